from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from accounts.models import User
from allowances.models import AllowanceEntry, AllowanceGrant
from allowances.selectors import allowance_balance, member_grants
from branches.models import BranchRole, UnionBranch
from catalog.models import (
    AssignedProductAttributeValue,
    Category,
    Collection,
    CollectionChannelListing,
    Merchant,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    Stock,
)
from catalog.richtext import editorjs_to_html
from catalog.search import product_search_document, search_products
from members.id_numbers import keyed_hash
from members.models import MemberProfile
from orders.models import Order
from relief_sourcing.models import (
    PartnerRegion,
    ProductBatch,
    ReliefCertification,
    ReliefLedgerEntry,
    ReliefSupplier,
    ReliefTarget,
)
from search.models import StaleProduct


def snapshot() -> dict:
    """Everything seed_demo makes, counted, and every product's prices by slug."""
    counts = {
        model.__name__: model.objects.count()
        for model in (
            Product,
            ProductVariant,
            Stock,
            Category,
            Merchant,
            Collection,
            ProductMedia,
            ProductChannelListing,
            AssignedProductAttributeValue,
            User,
            MemberProfile,
            UnionBranch,
            AllowanceGrant,
            AllowanceEntry,
            BranchRole,
            ReliefTarget,
            Order,
            ReliefLedgerEntry,
            PartnerRegion,
            ReliefSupplier,
            ReliefCertification,
            ProductBatch,
        )
    }
    prices = {
        (slug, sku): (price, member_price)
        for slug, sku, price, member_price in ProductVariant.objects.values_list(
            "product__slug", "sku", "price_amount", "member_price_amount"
        )
    }
    return {"counts": counts, "prices": prices, "collection_products": _collection_sizes()}


def _collection_sizes() -> dict:
    return dict(Collection.objects.annotate(size=Count("collection_products")).values_list("slug", "size"))


# --- What the demo contains -------------------------------------------------------------
def test_the_demo_has_at_least_200_products_in_10_categories_from_5_merchants(demo):
    assert Product.objects.count() == 204
    assert Product.objects.values("category").distinct().count() >= 10
    assert Product.objects.values("merchant").distinct().count() >= 5
    # 32 since each supplier sells only what it produces (the plum cooperative no longer sells honey and
    # bacon): a county's other produce comes from its own 农特产品 company, cooperative or family farm.
    assert Merchant.objects.filter(kind=Merchant.Kind.RELIEF_SUPPLIER).count() == 32
    assert "商品      204 件" in demo


def test_categories_form_a_two_level_tree_and_products_sit_on_the_second_level(demo):
    rice = Category.objects.get(name="大米")
    assert rice.parent.name == "粮油米面"
    assert (rice.level, rice.tree_path) == (1, f"/{rice.parent_id}/{rice.pk}/")
    assert Category.objects.filter(level=0).count() == 10
    assert not Product.objects.exclude(category__level=1).exists()


def test_relief_suppliers_are_registered_in_real_partner_counties(demo):
    regions = set(Merchant.objects.filter(kind=Merchant.Kind.RELIEF_SUPPLIER).values_list("region", flat=True))
    assert {
        "云南省怒江傈僳族自治州泸水市",
        "贵州省黔东南苗族侗族自治州雷山县",
        "甘肃省定西市安定区",
        "新疆维吾尔自治区喀什地区疏附县",
    } <= regions
    assert "" not in regions


def test_every_product_has_an_image_file_in_media_storage(demo):
    assert not Product.objects.filter(media__isnull=True).exists()
    for media in ProductMedia.objects.all():
        assert default_storage.exists(media.image.name), media.image.name
    assert ProductMedia.objects.values("image").distinct().count() == 204


def test_every_product_has_one_to_three_variants_with_a_member_price_at_or_below_the_price(demo):
    sizes = Product.objects.annotate(n=Count("variants")).aggregate(low=Min("n"), high=Max("n"))
    assert (sizes["low"], sizes["high"]) == (1, 3)
    assert not ProductVariant.objects.filter(member_price_amount__isnull=True).exists()
    assert not ProductVariant.objects.filter(member_price_amount__gt=F("price_amount")).exists()


def test_product_price_ranges_follow_their_variants(demo):
    mismatched = Product.objects.annotate(
        low=Min("variants__price_amount"), high=Max("variants__price_amount")
    ).exclude(min_price=F("low"), max_price=F("high"))
    assert not mismatched.exists()


def test_prices_are_the_same_on_every_run(demo):
    ham = ProductVariant.objects.get(sku="LS-003-1")
    assert (ham.product.name, ham.name, ham.price_amount, ham.member_price_amount) == (
        "泸水老窝火腿",
        "500g",
        Decimal("168.00"),
        Decimal("151.20"),
    )


def test_agricultural_products_carry_origin_specification_shelf_life_and_storage(demo):
    product = Product.objects.get(slug="ding-xi-ma-ling-shu-kuan-fen")
    attributes = dict(product.attribute_values.values_list("value__attribute__name", "value__name"))
    assert attributes["产地"] == "甘肃省定西市安定区"
    assert attributes["保质期"] == "12个月"
    assert attributes["储存方式"] == "阴凉干燥处保存，避免受潮"
    assert attributes["规格"].startswith("500g")
    relief_products = Product.objects.filter(merchant__kind=Merchant.Kind.RELIEF_SUPPLIER)
    missing = relief_products.annotate(n=Count("attribute_values")).exclude(n=4)
    assert not missing.exists()


def test_descriptions_are_editorjs_with_headers_lists_and_the_relief_story(demo):
    product = Product.objects.get(slug="lei-shan-yin-qiu-cha")
    rendered = editorjs_to_html(product.description)
    assert "<h3>帮扶故事</h3>" in rendered
    assert "<ul><li>" in rendered
    assert "贵州省黔东南苗族侗族自治州雷山县" in product.description_plaintext


def test_some_products_are_sold_out_some_low_some_unpublished_and_some_on_sale_later(demo):
    sold_out = Product.objects.annotate(units=Count("variants__stocks", filter=Q(variants__stocks__quantity__gt=0)))
    assert sold_out.filter(units=0).count() == 11
    assert Stock.objects.filter(quantity__range=(1, 5)).count() == 36
    listings = ProductChannelListing.objects.filter(channel__slug="union-mall")
    assert listings.count() == 204
    assert listings.filter(is_published=False).count() == 5
    assert listings.filter(is_published=True, available_for_purchase_at__gt=timezone.now()).count() == 5


def test_the_three_collections_are_published_in_the_channel(demo):
    published = CollectionChannelListing.objects.filter(channel__slug="union-mall", is_published=True)
    assert dict(published.values_list("collection__slug", "collection__name")) == {
        "relief-zone": "帮扶专区",
        "member-deals": "会员特惠",
        "festival-gifts": "节日礼包",
    }
    sizes = _collection_sizes()
    assert sizes["relief-zone"] == Product.objects.filter(merchant__kind=Merchant.Kind.RELIEF_SUPPLIER).count()
    assert sizes["member-deals"] > 0 and sizes["festival-gifts"] > 0


def test_warehouses_sell_in_the_channel(demo):
    stocked = Stock.objects.filter(warehouse__channels__slug="union-mall")
    assert stocked.count() == Stock.objects.count() == ProductVariant.objects.count()


def test_the_operator_signs_in_with_the_demo_password_and_has_every_permission(demo, client):
    assert client.login(email="operator@demo.union-mall.cn", password="union-mall-demo")
    from django.contrib.auth import get_user_model

    operator = get_user_model().objects.get(email="operator@demo.union-mall.cn")
    assert operator.is_staff and operator.is_superuser
    assert operator.has_perm("catalog.change_product")


def test_the_demo_member_signs_in_and_is_a_verified_member_of_a_grassroots_union(demo, client):
    assert client.login(email="member@demo.union-mall.cn", password="union-mall-demo")
    member = User.objects.select_related("member_profile__branch").get(email="member@demo.union-mall.cn")
    profile = member.member_profile
    assert (member.last_name, member.first_name, profile.real_name) == ("李", "晓梅", "李晓梅")
    assert profile.verification_status == "verified"
    assert profile.verification_decided_by.email == "operator@demo.union-mall.cn"
    assert (profile.branch.code, profile.branch.name) == ("GH-NS-001", "南山区科技园第一联合工会")
    assert profile.id_number_masked == "4403**********1220"
    assert profile.id_number_hash == keyed_hash("440305198806121220")


def test_the_demo_member_has_a_default_address_in_a_real_district(demo):
    member = User.objects.get(email="member@demo.union-mall.cn")
    address = member.default_shipping_address
    assert address == member.default_billing_address
    assert list(member.addresses.all()) == [address]
    assert (address.country, address.country_area, address.city, address.city_area, address.postal_code) == (
        "CN",
        "广东省",
        "深圳市",
        "南山区",
        "518057",
    )
    assert address.phone == "+8613800138000"


def test_the_demo_member_holds_two_welfare_allowances(demo):
    member = User.objects.get(email="member@demo.union-mall.cn")
    held = member_grants(member)
    # Their order depends on today's date (60 days against the year's end), so compare them as a set.
    assert {(item.grant.reason, item.balance, item.restriction) for item in held} == {
        ("中秋慰问", Decimal("300.00"), "全场通用"),
        ("消费帮扶专项额度", Decimal("600.00"), "仅限帮扶专区"),
    }
    assert allowance_balance(member) == Decimal("900.00")
    assert all(item.grant.issued_by.email == "operator@demo.union-mall.cn" for item in held)


def test_the_newcomer_signs_in_and_is_an_unverified_member(demo, client):
    assert client.login(email="newcomer@demo.union-mall.cn", password="union-mall-demo")
    profile = MemberProfile.objects.get(user__email="newcomer@demo.union-mall.cn")
    assert (profile.verification_status, profile.branch, profile.id_number_hash) == ("unverified", None, "")


def test_the_demo_has_grassroots_unions_with_codes(demo):
    # The six grassroots unions of earlier demos, now among the 28 leaves of the 48-branch tree
    # (tests/demo/test_seed_relief.py).
    assert UnionBranch.objects.count() == 48
    grassroots = UnionBranch.objects.filter(depth=4)
    assert grassroots.count() == 28
    union = grassroots.get(code="GH-FT-001")
    assert union.name == "福田区教育系统工会"
    assert [ancestor.code for ancestor in UnionBranch.objects.get_ancestors(union)] == ["SZ", "SZ-FT", "SZ-FT-JY"]


# --- Running it again -------------------------------------------------------------------
def test_running_seed_demo_again_changes_nothing(demo):
    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before


def test_seed_demo_refuses_to_run_with_debug_off(demo, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off.*--force"):
        call_command("seed_demo", stdout=StringIO())


def test_force_runs_it_with_debug_off(demo, settings):
    settings.DEBUG = False
    before = snapshot()
    output = StringIO()
    call_command("seed_demo", "--force", stdout=output)
    assert "演示数据就绪" in output.getvalue()
    assert snapshot() == before


def test_a_negative_number_of_products_is_refused(demo):
    with pytest.raises(CommandError, match="--products"):
        call_command("seed_demo", "--products", "-1", stdout=StringIO())


# --- Large catalogues -------------------------------------------------------------------
def test_products_300_generates_the_rest_with_the_same_invariants(demo):
    call_command("seed_demo", "--products", "300", stdout=StringIO())

    assert Product.objects.count() == 300
    generated = Product.objects.filter(variants__sku__startswith="G").distinct()
    assert generated.count() == 96
    assert not ProductVariant.objects.filter(member_price_amount__gt=F("price_amount")).exists()
    mismatched = generated.annotate(low=Min("variants__price_amount"), high=Max("variants__price_amount")).exclude(
        min_price=F("low"), max_price=F("high")
    )
    assert not mismatched.exists()
    assert not generated.filter(Q(search_vector__isnull=True) | Q(pk__in=StaleProduct.objects.values("pk"))).exists()
    assert generated.filter(media__isnull=False).count() == 96
    listings = ProductChannelListing.objects.filter(product__in=generated, channel__slug="union-mall")
    assert listings.filter(is_published=True).count() == 96


def test_generated_products_have_the_search_document_a_save_would_give_them(demo):
    call_command("seed_demo", "--products", "220", stdout=StringIO())
    generated = Product.objects.filter(variants__sku__startswith="G").distinct()
    assert generated.count() == 16
    for product in generated:
        assert product.search_document == product_search_document(product)
    found = search_products(Product.objects.all(), "精选")
    assert found.filter(pk__in=generated).exists()


def test_generated_products_share_a_small_pool_of_images(demo):
    call_command("seed_demo", "--products", "300", stdout=StringIO())
    generated_media = ProductMedia.objects.filter(product__variants__sku__startswith="G").distinct()
    pictures = set(generated_media.values_list("image", flat=True))
    assert 1 < len(pictures) <= 27 * 2
    assert all(name.startswith("products/demo-pool/") and default_storage.exists(name) for name in pictures)


def test_products_300_twice_keeps_300(demo):
    call_command("seed_demo", "--products", "300", stdout=StringIO())
    before = snapshot()
    call_command("seed_demo", "--products", "300", stdout=StringIO())
    assert snapshot() == before
    assert before["counts"]["Product"] == 300
