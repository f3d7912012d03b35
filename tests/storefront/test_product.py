from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import services
from catalog.models import Attribute, Stock
from mall.money import Money
from members.models import MemberProfile
from tests import factories
from tests.storefront.html import attributes, texts


def test_product_page_shows_name_prices_stock_merchant_and_origin(client, rice):
    response = client.get("/products/gao-yuan-hong-mi/")

    assert response.status_code == 200
    assert texts(response, "product__title") == ["高原红米"]
    assert texts(response, "price-panel") == ["¥39.90起 会员价¥35.00起 实名认证会员专享 · 如何认证 ›"]
    assert texts(response, "facts__row") == ["库存 有货", "产地 云南省怒江州", "商户 怒江高原农业合作社"]
    assert texts(response, "merchant-card__meta") == ["帮扶供应商 · 云南省怒江傈僳族自治州泸水市"]
    assert "<title>高原红米 · 工会商城</title>" in response.content.decode()


def test_product_page_lists_each_variant_with_its_price_and_member_price(client, rice):
    response = client.get("/products/gao-yuan-hong-mi/")
    assert texts(response, "variant__name") == ["规格1", "规格2"]
    assert texts(response, "variant__prices") == ["¥39.90 会员价¥35.00", "¥40.90 会员价¥36.00"]


def test_each_variant_says_in_stock_low_stock_or_out_of_stock(client, channel, warehouse, settings):
    settings.LOW_STOCK_THRESHOLD = 5
    product = factories.product(channel=channel, name="蜂蜜", slug="feng-mi", warehouse=warehouse, variants=4)
    variants = list(product.variants.all())
    for variant, quantity in zip(variants, [6, 5, 1, 0], strict=True):
        services.set_stock(variant=variant, warehouse=warehouse, quantity=quantity)

    response = client.get("/products/feng-mi/")

    assert [" ".join(text.split()[:2]) for text in texts(response, "variant__main")] == [
        "规格1 有货",
        "规格2 库存紧张",
        "规格3 库存紧张",
        "规格4 缺货",
    ]
    assert texts(response, "facts__row")[0] == "库存 有货"


def test_stock_allocated_to_orders_no_longer_counts_as_available(client, channel, warehouse):
    product = factories.product(channel=channel, name="蜂蜜", slug="feng-mi", warehouse=warehouse, quantity=10)
    Stock.objects.filter(product_variant__product=product).update(quantity_allocated=10)
    response = client.get("/products/feng-mi/")
    assert texts(response, "facts__row")[0] == "库存 缺货"


def test_a_product_not_on_sale_yet_says_so(client, channel, warehouse):
    product = factories.product(channel=channel, name="新茶", slug="xin-cha", warehouse=warehouse)
    services.publish_product(
        product=product, channel=channel, available_for_purchase_at=timezone.now() + timedelta(days=3)
    )
    response = client.get("/products/xin-cha/")
    assert texts(response, "facts__row")[0] == "库存 有货 暂未开售"


def test_specifications_list_the_origin_and_the_other_visible_attributes(client, rice):
    response = client.get("/products/gao-yuan-hong-mi/")
    assert texts(response, "specs") == ["产地 云南省怒江州 保质期 12个月"]


def test_breadcrumbs_lead_from_home_through_the_category_ancestors(client, rice):
    response = client.get("/products/gao-yuan-hong-mi/")
    assert texts(response, "breadcrumbs") == ["首页 食品 粮油 大米 高原红米"]
    assert '<a href="/categories/rice/">大米</a>' in response.content.decode()


def test_description_is_rendered_from_editorjs_with_markup_escaped(client, rice):
    services.update_product(
        rice,
        description={
            "blocks": [
                {"type": "header", "data": {"text": "产品特点", "level": 3}},
                {"type": "paragraph", "data": {"text": "梯田种植<script>alert(1)</script>"}},
                {"type": "list", "data": {"style": "unordered", "items": ["软糯", "香甜"]}},
            ]
        },
    )
    html = client.get("/products/gao-yuan-hong-mi/").content.decode()
    assert (
        '<div class="description"><h3>产品特点</h3><p>梯田种植alert(1)</p><ul><li>软糯</li><li>香甜</li></ul></div>'
        in html
    )
    assert "<script>alert" not in html


def test_gallery_shows_every_picture_with_a_thumbnail_that_can_be_fetched(client, rice, media_root):
    first = factories.product_image(rice, color=(200, 0, 0), alt="正面")
    second = factories.product_image(rice, color=(0, 200, 0))

    response = client.get("/products/gao-yuan-hong-mi/")

    assert len(attributes(response, "gallery__slide")) == 2
    html = response.content.decode()
    large = f'src="/thumbnail/{_global_id(first.pk)}/1024/webp/" alt="正面"'
    assert large in html
    assert f'src="/thumbnail/{_global_id(second.pk)}/1024/webp/" alt="高原红米"' in html
    thumbnails = [a["href"] for a in attributes(response, "gallery__thumb")]
    assert thumbnails == ["#picture-1", "#picture-2"]
    small = client.get(f"/thumbnail/{_global_id(first.pk)}/128/webp/")
    assert small.status_code == 302
    assert (media_root / small["Location"].removeprefix("/media/")).exists()


def _global_id(pk: int) -> str:
    from catalog.thumbnails import global_id

    return global_id("ProductMedia", pk)


def test_a_product_without_pictures_shows_a_placeholder(client, rice):
    response = client.get("/products/gao-yuan-hong-mi/")
    assert texts(response, "placeholder") == ["高"]


def test_an_unknown_product_gives_a_404_page_in_chinese(client, channel):
    response = client.get("/products/no-such-product/")
    assert response.status_code == 404
    assert texts(response, "empty__title") == ["页面不存在"]
    assert "该商品不存在或已下架。" in response.content.decode()


def test_an_unpublished_product_gives_a_404_page(client, channel, warehouse):
    factories.product(channel=channel, name="未上架", slug="wei-shang-jia", warehouse=warehouse, published=False)
    assert client.get("/products/wei-shang-jia/").status_code == 404


def test_a_product_hidden_from_listings_still_has_its_page(client, channel, warehouse):
    product = factories.product(channel=channel, name="专属礼包", slug="zhuan-shu", warehouse=warehouse)
    services.publish_product(product=product, channel=channel, visible_in_listings=False)
    assert client.get("/products/zhuan-shu/").status_code == 200


def test_the_product_page_runs_the_same_queries_for_1_or_5_variants(
    client, channel, warehouse, food, media_root, django_assert_num_queries
):
    one = factories.product(channel=channel, slug="one", category=food["rice"], warehouse=warehouse, variants=1)
    five = factories.product(channel=channel, slug="five", category=food["rice"], warehouse=warehouse, variants=5)
    for product in (one, five):
        factories.product_image(product)
        services.assign_attribute(product=product, attribute_name="产地", value="黑龙江省五常市")
    factories.product_image(five)
    services.assign_attribute(product=five, attribute_name="净含量", value="5kg")

    client.get("/")  # the header and footer menus and the active channels are cached from here on
    # 8 for the product itself, plus one for its relief certificate (none here: no batch query follows).
    with django_assert_num_queries(9):
        assert len(texts(client.get("/products/one/"), "variant__name")) == 1
    with django_assert_num_queries(9):
        assert len(texts(client.get("/products/five/"), "variant__name")) == 5


# --- Prices for the viewer --------------------------------------------------------------
def sign_in_member(client, django_user_model, status: str):
    user = django_user_model.objects.create_user(f"{status}@example.com", "pass-1234-word")
    MemberProfile.objects.create(user=user, number=f"M-{status}", verification_status=status)
    client.force_login(user)


def test_a_verified_member_sees_the_member_price_as_the_price_with_the_list_price_for_comparison(
    client, django_user_model, rice
):
    sign_in_member(client, django_user_model, "verified")
    page = client.get("/products/gao-yuan-hong-mi/").context["page"]
    card = page.product.card
    assert (card.price, card.list_price, card.member_price) == (yuan("35.00"), yuan("39.90"), None)
    assert card.pays_member_price is True
    assert [(row.price, row.list_price, row.member_price) for row in page.product.variants] == [
        (yuan("35.00"), yuan("39.90"), None),
        (yuan("36.00"), yuan("40.90"), None),
    ]


@pytest.mark.parametrize("status", ["unverified", "pending", "rejected"])
def test_members_not_yet_verified_see_list_prices_with_the_member_price_for_comparison(
    client, django_user_model, rice, status
):
    sign_in_member(client, django_user_model, status)
    card = client.get("/products/gao-yuan-hong-mi/").context["page"].product.card
    assert (card.price, card.list_price, card.member_price) == (yuan("39.90"), None, yuan("35.00"))
    assert card.pays_member_price is False


def test_an_anonymous_visitor_sees_list_prices_with_the_member_price_for_comparison(client, rice):
    variants = client.get("/products/gao-yuan-hong-mi/").context["page"].product.variants
    assert [(row.price, row.member_price) for row in variants] == [
        (yuan("39.90"), yuan("35.00")),
        (yuan("40.90"), yuan("36.00")),
    ]


def test_listing_and_home_cards_show_a_verified_member_the_member_price(client, django_user_model, rice, channel):
    factories.collection(channel=channel, slug="relief-zone", products=[rice])
    sign_in_member(client, django_user_model, "verified")
    listing_card = client.get("/categories/rice/").context["page"].listing.cards[0]
    home_card = client.get("/").context["page"].rows[0].cards[0]
    for card in (listing_card, home_card):
        assert (card.price, card.list_price) == (yuan("35.00"), yuan("39.90"))


def yuan(amount: str) -> Money:
    return Money(Decimal(amount), "CNY")


def test_specifications_leave_out_attributes_hidden_from_the_storefront(client, rice):
    Attribute.objects.filter(name="保质期").update(visible_in_storefront=False)
    response = client.get("/products/gao-yuan-hong-mi/")
    assert texts(response, "specs") == ["产地 云南省怒江州"]
