"""The storefront side of relief certification: the 帮扶认定 block of a product page, the supplier page and
the 帮扶专区 grouped by partner region and county. Only a certificate in force today (valid dates, not
revoked, supplier admitted) is ever shown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import MemberProfile
from relief_sourcing.models import ReliefCertification, ReliefSupplier
from tests import factories
from tests.storefront.html import attributes, product_names, texts
from tests.storefront.relief_data import FUGONG, LUSHUI, WUSHAN, batch, certify, region, supplier


def make_product(shop, merchant, name, slug, price="39.90", member_price="35.00"):
    channel, warehouse = shop
    return factories.product(
        channel=channel,
        name=name,
        slug=slug,
        merchant=merchant,
        price=price,
        member_price=member_price,
        quantity=20,
        warehouse=warehouse,
    )


@pytest.fixture
def shop(channel, warehouse):
    return channel, warehouse


@pytest.fixture
def coop(db):
    return supplier(
        "怒江高原农业合作社",
        "nujiang-coop",
        LUSHUI,
        story="合作社在高黎贡山脚下种植红米。",
        farmer_linkage="订单收购、优先吸纳脱贫户务工。",
        households_linked=126,
        recommended_by="泸水市乡村振兴局",
    )


@pytest.fixture
def red_rice(shop, coop):
    product = make_product(shop, coop.merchant, "高原红米", "gao-yuan-hong-mi")
    certify(coop, [product], "BF-533301-NJ-2")
    batch(product, "NJ-001-01", days_ago=30)
    batch(product, "NJ-001-02", days_ago=8, producer="怒江高原农业合作社第二基地", contact="0886-3620000")
    return product


# --- The product page ----------------------------------------------------------------------
def test_a_certified_product_shows_its_certificate_origin_supplier_and_current_batch(client, red_rice):
    response = client.get("/products/gao-yuan-hong-mi/")
    assert response.status_code == 200
    valid_to = timezone.localdate() + timedelta(days=300)
    produced = timezone.localdate() - timedelta(days=8)
    assert texts(response, "relief-block__title") == ["已认定帮扶产品认定"]
    block = texts(response, "relief-block")[0]
    assert "证书编号 BF-533301-NJ-2" in block
    assert "认定机构 云南省乡村振兴局" in block
    assert f"有效期至 {valid_to.year}年{valid_to.month}月{valid_to.day}日" in block
    assert "产地 云南省怒江傈僳族自治州泸水市 东西部协作" in block
    # The latest batch by production date, with its 承诺达标合格证 data.
    assert "批次号 NJ-001-02" in block and "NJ-001-01" not in block
    assert f"采收/生产 {produced.year}年{produced.month}月{produced.day}日" in block
    assert "生产者 怒江高原农业合作社第二基地" in block
    assert "联系方式 0886-3620000" in block
    issued = produced + timedelta(days=1)
    assert f"开具日期 {issued.year}年{issued.month}月{issued.day}日" in block
    card = attributes(response, "merchant-card--link")
    assert [a["href"] for a in card] == ["/suppliers/nujiang-coop/"]
    assert "农民专业合作社" in texts(response, "merchant-card--link")[0]


def test_a_certified_product_without_batches_shows_the_certificate_only(client, shop, coop):
    product = make_product(shop, coop.merchant, "高原黑米", "hei-mi")
    certify(coop, [product], "BF-533301-NJ-3")
    response = client.get("/products/hei-mi/")
    assert "BF-533301-NJ-3" in texts(response, "relief-block")[0]
    assert texts(response, "relief-batch") == []


def never_claims_certification(response):
    page = response.content.decode()
    assert 'data-testid="relief-block"' not in page
    assert "认定" not in page
    assert "/suppliers/" not in page


@pytest.mark.parametrize(
    "certificate",
    [
        pytest.param({"days_from": -400, "days_to": -1}, id="expired"),
        pytest.param({"days_from": 1, "days_to": 300}, id="not-yet-valid"),
        pytest.param({"status": "REVOKED", "revoked_reason": "抽检不合格"}, id="revoked"),
    ],
)
def test_a_certificate_not_in_force_today_is_not_shown(client, shop, coop, certificate):
    product = make_product(shop, coop.merchant, "高原红米", "gao-yuan-hong-mi")
    certify(coop, [product], "BF-OLD", **certificate)
    batch(product, "NJ-001-01")
    response = client.get("/products/gao-yuan-hong-mi/")
    assert response.status_code == 200
    never_claims_certification(response)
    assert texts(response, "merchant-card__name") == ["怒江高原农业合作社"]


def test_the_certificate_of_a_suspended_supplier_is_not_shown(client, red_rice, coop):
    ReliefSupplier.objects.filter(pk=coop.pk).update(admission_status="SUSPENDED", status_reason="材料过期")
    never_claims_certification(client.get("/products/gao-yuan-hong-mi/"))


def test_an_ordinary_product_shows_nothing_of_relief(client, shop):
    make_product(shop, factories.merchant(name="工会福利社"), "东北大米", "dong-bei-da-mi")
    never_claims_certification(client.get("/products/dong-bei-da-mi/"))


def test_the_product_page_queries_are_pinned_with_and_without_a_certificate(
    client, shop, red_rice, django_assert_num_queries
):
    make_product(shop, factories.merchant(name="工会福利社"), "东北大米", "dong-bei-da-mi")
    client.get("/")  # the header and footer menus and the active channels are cached from here on
    # A product page without a category runs 7 queries; relief adds the certificate query for every product
    # and the batch query when there is a certificate.
    with django_assert_num_queries(8):
        assert client.get("/products/dong-bei-da-mi/").status_code == 200
    with django_assert_num_queries(9):
        assert texts(client.get("/products/gao-yuan-hong-mi/"), "relief-block")


# --- The supplier page ---------------------------------------------------------------------
def test_the_supplier_page_shows_county_story_linkage_and_certified_products_only(client, shop, coop, red_rice):
    make_product(shop, coop.merchant, "未认定野生菌", "ye-sheng-jun")
    lapsed = make_product(shop, coop.merchant, "过期认定核桃", "he-tao")
    certify(coop, [lapsed], "BF-LAPSED", days_from=-500, days_to=-10)
    response = client.get("/suppliers/nujiang-coop/")
    assert response.status_code == 200
    assert texts(response, "supplier-hero__name") == ["怒江高原农业合作社"]
    facts = texts(response, "supplier-facts")[0]
    assert "所在县 云南省怒江傈僳族自治州泸水市 东西部协作" in facts
    assert "主体类型 农民专业合作社" in facts
    assert "带动农户 126 户" in facts
    assert "推荐单位 泸水市乡村振兴局" in facts
    assert texts(response, "supplier-text") == ["合作社在高黎贡山脚下种植红米。", "订单收购、优先吸纳脱贫户务工。"]
    assert product_names(response) == ["高原红米"]
    assert "¥39.90" in texts(response, "card")[0]


def test_the_supplier_page_shows_a_verified_member_the_member_price(client, django_user_model, red_rice):
    user = django_user_model.objects.create_user("li@example.com", "pass-1234-word")
    MemberProfile.objects.create(user=user, number="M-1", verification_status=MemberProfile.VerificationStatus.VERIFIED)
    client.force_login(user)
    card = texts(client.get("/suppliers/nujiang-coop/"), "card")[0]
    assert card.index("¥35.00") < card.index("¥39.90")


@pytest.mark.parametrize("status", ["APPLIED", "SUSPENDED"])
def test_a_supplier_not_admitted_has_no_page(client, coop, status):
    ReliefSupplier.objects.filter(pk=coop.pk).update(admission_status=status)
    response = client.get("/suppliers/nujiang-coop/")
    assert response.status_code == 404
    assert "该帮扶供应商不存在或暂未准入。" in response.content.decode()


def test_an_unknown_or_ordinary_merchant_has_no_supplier_page(client, db):
    factories.merchant(name="工会福利社", slug="fu-li-she")
    assert client.get("/suppliers/fu-li-she/").status_code == 404
    assert client.get("/suppliers/no-such/").status_code == 404


def test_a_supplier_without_certified_products_says_so(client, coop):
    response = client.get("/suppliers/nujiang-coop/")
    assert response.status_code == 200
    assert texts(response, "supplier-empty") == ["该供应商暂无在售的认定产品。"]


# --- 帮扶专区 --------------------------------------------------------------------------------
@pytest.fixture
def zone(shop, coop, red_rice):
    """Three counties in two provinces; a product whose certificate expired and one of a suspended supplier."""
    tea = supplier("福贡县高山茶叶合作社", "fugong-tea", FUGONG)
    green_tea = make_product(shop, tea.merchant, "福贡高山绿茶", "fugong-tea", price="58.00", member_price=None)
    certify(tea, [green_tea], "BF-533323-FG-1")
    plums = supplier("巫山脆李专业合作社", "wushan-plum", WUSHAN, entity_type="ENTERPRISE")
    plum = make_product(shop, plums.merchant, "巫山脆李", "wushan-cui-li", price="30.00", member_price="25.00")
    certify(plums, [plum], "BF-500237-WS-1")
    expired = make_product(shop, plums.merchant, "巫山老鹰茶", "lao-ying-cha")
    certify(plums, [expired], "BF-500237-WS-0", days_from=-500, days_to=-1)
    suspended = supplier("暂停的合作社", "paused", WUSHAN, status="SUSPENDED")
    paused = make_product(shop, suspended.merchant, "暂停的产品", "paused-product")
    certify(suspended, [paused], "BF-500237-PA-1")
    return {"tea": tea, "plums": plums}


def county_headings(response):
    return texts(response, "relief-county__header")


def test_the_relief_zone_groups_certified_products_by_region_and_county(client, zone):
    response = client.get("/relief/")
    assert response.status_code == 200
    assert texts(response, "relief-region__title") == ["重庆市", "云南省 怒江傈僳族自治州"]
    assert county_headings(response) == [
        "巫山县 重庆市巫山县 · 对口支援",
        "泸水市 云南省怒江傈僳族自治州泸水市 · 东西部协作",
        "福贡县 云南省怒江傈僳族自治州福贡县 · 东西部协作",
    ]
    # Expired certificates and suspended suppliers show nothing; each county lists its admitted suppliers.
    assert product_names(response) == ["巫山脆李", "高原红米", "福贡高山绿茶"]
    assert texts(response, "relief-county__suppliers") == [
        "巫山脆李专业合作社 ›",
        "怒江高原农业合作社 ›",
        "福贡县高山茶叶合作社 ›",
    ]
    assert [a["href"] for a in attributes(response, "chip") if "/suppliers/" in a["href"]] == [
        "/suppliers/wushan-plum/",
        "/suppliers/nujiang-coop/",
        "/suppliers/fugong-tea/",
    ]
    assert texts(response, "listing-header__count") == ["3 件认定产品"]


def test_the_relief_zone_filters_by_province_then_county(client, zone):
    response = client.get("/relief/", {"province": "云南省"})
    assert product_names(response) == ["高原红米", "福贡高山绿茶"]
    chips = dict(zip(texts(response, "chip"), attributes(response, "chip"), strict=True))
    assert chips["云南省"].get("aria-current") == "true"
    assert chips["福贡县"]["href"] == "?county=533323"
    assert "巫山县" not in chips  # counties of the chosen province only

    response = client.get("/relief/", {"county": "533323"})
    assert product_names(response) == ["福贡高山绿茶"]
    assert county_headings(response) == ["福贡县 云南省怒江傈僳族自治州福贡县 · 东西部协作"]
    chips = dict(zip(texts(response, "chip"), attributes(response, "chip"), strict=True))
    assert chips["云南省"].get("aria-current") == "true"  # a county names its province
    assert chips["福贡县"].get("aria-current") == "true"


@pytest.mark.parametrize("query", [{"county": "999999"}, {"province": "火星"}, {"county": "<script>"}])
def test_a_filter_without_products_says_so_and_offers_every_region(client, zone, query):
    response = client.get("/relief/", query)
    assert response.status_code == 200
    assert product_names(response) == []
    assert texts(response, "empty__title") == ["所选地区暂无认定的帮扶产品。"]
    assert "查看全部地区" in response.content.decode()


def test_an_empty_relief_zone_says_so(client, shop):
    response = client.get("/relief/")
    assert response.status_code == 200
    assert texts(response, "empty__title") == ["暂无认定的帮扶产品。"]


def test_the_relief_zone_shows_a_verified_member_member_prices(client, django_user_model, zone):
    user = django_user_model.objects.create_user("li@example.com", "pass-1234-word")
    MemberProfile.objects.create(user=user, number="M-1", verification_status=MemberProfile.VerificationStatus.VERIFIED)
    client.force_login(user)
    cards = dict(zip(product_names(client.get("/relief/")), texts(client.get("/relief/"), "card"), strict=True))
    assert cards["高原红米"].index("¥35.00") < cards["高原红米"].index("¥39.90")


def add_counties(shop, count: int, *, start: int):
    """`count` more suppliers, each in its own county with two certified products and a batch each."""
    codes = ["533324", "533325", "530324", "530325", "530326", "532529", "532530", "532531"]
    for index in range(start, start + count):
        code = codes[index]
        partner = supplier(f"合作社{index}", f"coop-{index}", (code, "云南省", "某州", f"县{index}", "EAST_WEST"))
        products = [make_product(shop, partner.merchant, f"特产{index}-{n}", f"te-chan-{index}-{n}") for n in (1, 2)]
        certify(partner, products, f"BF-{code}-{index}")
        for product in products:
            batch(product, f"B-{index}")


def test_the_relief_zone_runs_the_same_queries_for_few_or_many_products_and_counties(
    client, shop, zone, django_assert_num_queries
):
    client.get("/")  # menus and channels cached
    # Candidates, certificates, the products with variants, stocks, media and listings, the suppliers.
    with django_assert_num_queries(8):
        assert len(product_names(client.get("/relief/"))) == 3
    add_counties(shop, 6, start=0)
    with django_assert_num_queries(8):
        response = client.get("/relief/")
    assert len(product_names(response)) == 3 + 12
    assert len(county_headings(response)) == 3 + 6


def test_the_supplier_page_runs_the_same_queries_for_one_or_many_products(
    client, shop, coop, red_rice, django_assert_num_queries
):
    client.get("/")
    # The supplier, its visible products' ids, their certificates, the products with their listing data.
    with django_assert_num_queries(8):
        client.get("/suppliers/nujiang-coop/")
    for n in range(6):
        product = make_product(shop, coop.merchant, f"红米礼盒{n}", f"hong-mi-{n}")
        certify(coop, [product], f"BF-533301-NJ-{10 + n}")
    with django_assert_num_queries(8):
        assert len(product_names(client.get("/suppliers/nujiang-coop/"))) == 7


# --- The home page ---------------------------------------------------------------------------
def test_the_home_pages_certification_claim_leads_to_the_relief_zone(client, shop):
    home = client.get("/")
    assert texts(home, "hero__points")[0].endswith("帮扶产品经认定 ›")
    assert 'href="/relief/" data-testid="relief-claim"' in home.content.decode()
    assert client.get("/relief/").status_code == 200


def test_the_relief_regions_are_the_certificates_origins(client, shop, coop):
    """A certificate may name an origin county other than the supplier's registered one: the zone groups by it."""
    product = make_product(shop, coop.merchant, "福贡草果", "cao-guo")
    certify(coop, [product], "BF-ORIGIN", origin=region(FUGONG))
    response = client.get("/relief/")
    assert county_headings(response) == ["福贡县 云南省怒江傈僳族自治州福贡县 · 东西部协作"]
    # The county lists the suppliers registered there; the product card still names its seller.
    assert texts(response, "card__merchant") == ["怒江高原农业合作社"]
    assert ReliefCertification.objects.count() == 1
