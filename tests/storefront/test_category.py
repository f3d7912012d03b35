from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import services
from catalog.models import Product
from tests import factories
from tests.storefront.html import attributes, product_names, texts


def test_category_lists_the_products_of_the_category_and_all_its_descendants(client, channel, warehouse, food):
    for name, category in [("玉米", food["root"]), ("小米", food["grain"]), ("大米", food["rice"])]:
        factories.product(channel=channel, name=name, category=category, warehouse=warehouse)
    factories.product(channel=channel, name="茶叶", category=factories.category(name="茶"), warehouse=warehouse)
    factories.product(channel=channel, name="未发布大米", category=food["rice"], warehouse=warehouse, published=False)

    response = client.get("/categories/food/")

    assert response.status_code == 200
    assert texts(response, "listing-header__title") == ["食品"]
    assert texts(response, "listing-header__count") == ["共 3 件商品"]
    assert product_names(response) == ["大米", "小米", "玉米"]
    assert product_names(client.get("/categories/grain-oil/")) == ["大米", "小米"]


def test_category_page_shows_breadcrumbs_from_its_ancestors_and_links_to_its_subcategories(client, channel, food):
    response = client.get("/categories/grain-oil/")
    assert texts(response, "breadcrumbs") == ["首页 食品 粮油"]
    assert [a["href"] for a in attributes(response, "chip")] == ["/categories/rice/"]
    assert texts(response, "chip") == ["大米"]


def test_product_card_shows_price_member_price_stock_state_and_merchant(client, channel, warehouse, rice):
    response = client.get("/categories/food/")
    assert texts(response, "card__title") == ["高原红米"]
    assert texts(response, "tag--relief") == ["帮扶"]
    assert texts(response, "prices__main") == ["¥39.90起"]
    assert texts(response, "member-price") == ["会员价¥35.00"]
    assert texts(response, "prices__note") == ["认证会员专享"]
    assert texts(response, "card__merchant") == ["怒江高原农业合作社"]
    assert texts(response, "card__stock") == []  # in stock: no badge over the picture


@pytest.fixture
def priced(channel, warehouse, food):
    """Three products at ¥10, ¥20 and ¥30 by two merchants; the ¥30 one is sold out."""
    first, second = (
        factories.merchant(name="大丰农场", slug="merchant-a"),
        factories.merchant(name="小满商行", slug="merchant-b"),
    )
    return {
        "大米": factories.product(channel=channel, name="大米", category=food["rice"], price="20.00", merchant=first),
        "小米": factories.product(channel=channel, name="小米", category=food["grain"], price="10.00", merchant=second),
        "玉米": factories.product(
            channel=channel, name="玉米", category=food["root"], price="30.00", merchant=first, quantity=0
        ),
    }


def test_price_range_filter_keeps_products_priced_within_the_range(client, priced):
    response = client.get("/categories/food/", {"min_price": "15", "max_price": "25"})
    assert product_names(response) == ["大米"]
    assert product_names(client.get("/categories/food/", {"min_price": "20"})) == ["大米", "玉米"]
    assert product_names(client.get("/categories/food/", {"max_price": "20.00"})) == ["大米", "小米"]


def test_only_in_stock_filter_leaves_out_sold_out_products(client, priced):
    response = client.get("/categories/food/", {"available": "on"})
    assert product_names(response) == ["大米", "小米"]


def test_merchant_filter_offers_the_merchants_of_the_category_and_keeps_one(client, priced):
    response = client.get("/categories/food/", {"merchant": "merchant-a"})
    assert product_names(response) == ["大米", "玉米"]
    assert texts(response, "filters__group")[1].split() == ["商户", "全部商户", "大丰农场", "小满商行"]


def test_sold_out_products_are_marked_on_their_cards(client, priced):
    response = client.get("/categories/food/", {"sort": "-price"})
    assert texts(response, "card__stock") == ["缺货"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["大米", "小米", "玉米"]),
        ("name", ["大米", "小米", "玉米"]),
        ("price", ["小米", "大米", "玉米"]),
        ("-price", ["玉米", "大米", "小米"]),
        ("newest", ["玉米", "小米", "大米"]),
        ("no-such-order", ["大米", "小米", "玉米"]),
    ],
)
def test_products_are_sorted_by_name_price_or_newest(client, priced, sort, expected):
    assert product_names(client.get("/categories/food/", {"sort": sort})) == expected


def test_sort_links_keep_the_filters_and_go_back_to_the_first_page(client, priced):
    response = client.get("/categories/food/", {"max_price": "25", "page": "2", "sort": "price"})
    links = dict(
        zip(texts(response, "sorts__option"), [a["href"] for a in attributes(response, "sorts__option")], strict=True)
    )
    assert links == {
        "综合": "?max_price=25&sort=relevance",
        "名称": "?max_price=25&sort=name",
        "低价优先": "?max_price=25&sort=price",
        "高价优先": "?max_price=25&sort=-price",
        "最新上架": "?max_price=25&sort=newest",
    }
    assert [a.get("aria-current") for a in attributes(response, "sorts__option")] == [None, None, "true", None, None]


def _many(channel, warehouse, category, count):
    """`count` products named 商品01…, created one after the other."""
    start = timezone.now() - timedelta(days=1)
    products = [
        factories.product(channel=channel, name=f"商品{number:02d}", category=category, warehouse=warehouse)
        for number in range(1, count + 1)
    ]
    for index, product in enumerate(products):
        Product.objects.filter(pk=product.pk).update(created_at=start + timedelta(minutes=index))
    return products


def test_listing_shows_24_products_per_page_with_page_numbers(client, channel, warehouse, food):
    _many(channel, warehouse, food["rice"], 30)

    first = client.get("/categories/rice/")
    second = client.get("/categories/rice/", {"page": "2"})

    assert product_names(first) == [f"商品{number:02d}" for number in range(1, 25)]
    assert product_names(second) == [f"商品{number:02d}" for number in range(25, 31)]
    assert texts(first, "pagination__page") == ["1", "2"]
    assert [a["href"] for a in attributes(first, "pagination__page") if "href" in a] == ["?page=2"]
    assert texts(second, "listing-header__count") == ["共 30 件商品"]


def test_page_links_keep_the_sorting_and_filters(client, channel, warehouse, food):
    _many(channel, warehouse, food["rice"], 30)
    response = client.get("/categories/rice/", {"sort": "newest", "available": "on"})
    assert product_names(response)[:2] == ["商品30", "商品29"]
    assert attributes(response, "pagination__step")[-1]["href"] == "?sort=newest&available=on&page=2"


@pytest.mark.parametrize(
    ("page", "first_shown"), [("abc", "商品01"), ("0", "商品25"), ("-3", "商品25"), ("999", "商品25")]
)
def test_bad_page_numbers_show_a_page_instead_of_an_error(client, channel, warehouse, food, page, first_shown):
    _many(channel, warehouse, food["rice"], 30)
    response = client.get("/categories/rice/", {"page": page})
    assert response.status_code == 200
    assert product_names(response)[0] == first_shown


def test_invalid_price_filters_are_explained_and_ignored(client, priced):
    response = client.get("/categories/food/", {"min_price": "abc", "max_price": "-1"})
    assert response.status_code == 200
    assert texts(response, "field-error") == ["最低价：输入一个数字。", "最高价：确保该值大于或等于0。"]
    assert product_names(response) == ["大米", "小米", "玉米"]


def test_a_highest_price_below_the_lowest_price_is_refused(client, priced):
    response = client.get("/categories/food/", {"min_price": "30", "max_price": "10"})
    assert texts(response, "field-error") == ["最高价：最高价不能低于最低价。"]
    assert product_names(response) == ["玉米"]


def test_an_unknown_merchant_in_the_address_is_explained_and_ignored(client, priced):
    response = client.get("/categories/food/", {"merchant": "<b>nobody</b>"})
    assert response.status_code == 200
    assert product_names(response) == ["大米", "小米", "玉米"]
    assert "<b>nobody</b>" not in response.content.decode()


def test_an_empty_category_says_it_has_no_products(client, channel, food):
    response = client.get("/categories/rice/")
    assert texts(response, "empty__title") == ["该分类暂无商品"]
    assert product_names(response) == []


def test_filters_that_match_nothing_say_so_and_offer_to_clear_them(client, priced):
    response = client.get("/categories/food/", {"min_price": "100"})
    assert texts(response, "empty__title") == ["没有符合筛选条件的商品"]
    assert "清除筛选条件" in texts(response, "empty")[0]


def test_an_unknown_category_gives_a_404_page_in_chinese(client, channel):
    response = client.get("/categories/no-such-category/")
    assert response.status_code == 404
    assert texts(response, "empty__title") == ["页面不存在"]
    assert "该分类不存在。" in response.content.decode()
    assert texts(response, "brand__name") == ["工会商城"]


def test_an_unknown_address_gives_the_same_404_page(client, channel):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert texts(response, "empty__title") == ["页面不存在"]


def test_the_category_page_runs_the_same_queries_for_3_or_30_products(
    client, channel, warehouse, food, django_assert_num_queries
):
    products = _many(channel, warehouse, food["rice"], 3)
    for product in products:
        services.create_variant(product=product, sku=f"{product.slug}-big", price="99.00")
    client.get("/")  # the header and footer menus and the active channels are cached from here on
    with django_assert_num_queries(12):
        assert len(product_names(client.get("/categories/grain-oil/", {"available": "on"}))) == 3

    _many(channel, warehouse, food["grain"], 27)
    with django_assert_num_queries(12):
        assert len(product_names(client.get("/categories/grain-oil/", {"available": "on"}))) == 24


@pytest.mark.parametrize(
    "query",
    [
        {"min_price": "NaN"},
        {"min_price": "Infinity"},
        {"min_price": "1e400"},
        {"max_price": "0.001"},
        {"min_price": "\x00"},
        {"merchant": "\x00"},
        {"sort": "\x00"},
        {"page": "1.5"},
        {"page": "99999999999999999999999"},
    ],
)
def test_odd_values_in_the_address_are_ignored_instead_of_causing_an_error(client, priced, query):
    response = client.get("/categories/food/", query)
    assert response.status_code == 200
    assert product_names(response) == ["大米", "小米", "玉米"]


@pytest.mark.parametrize("address", ["/categories/%00/", "/products/%00/", "/collections/%00/", "/products/a%2Fb/"])
def test_addresses_with_characters_no_slug_has_give_the_404_page(client, channel, address):
    response = client.get(address)
    assert response.status_code == 404
    assert texts(response, "empty__title") == ["页面不存在"]
