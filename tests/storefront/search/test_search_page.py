"""The search page through the Django test client: results in the 综合 order, facets with counts that narrow
the results, the empty state that helps, and addresses that never give an error."""

from urllib.parse import urljoin

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import service, stats
from storefront import searching
from tests import factories
from tests.storefront import relief_data
from tests.storefront.html import attributes, product_names, texts
from tests.storefront.search.shelf import ORANGE_NAMES


def facet_links(response) -> dict[str, list[tuple[str, int, str, bool]]]:
    """{facet name: [(label, count, href, selected)]} as the page shows them."""
    groups = {}
    html = response.content.decode()
    for section in attributes(response, "facet"):
        groups[section["data-facet"]] = []
    labels = texts(response, "facet__label")
    counts = [int(count) for count in texts(response, "facet__count")]
    options = attributes(response, "facet__option")
    # The options are in page order, facet after facet: split them by where each section starts.
    starts = [html.index(f'data-facet="{name}"') for name in groups]
    positions = []
    cursor = 0
    for option in options:
        cursor = html.index(f'href="{option["href"].replace("&", "&amp;")}"', cursor)
        positions.append(cursor)
    names = list(groups)
    for label, count, option, position in zip(labels, counts, options, positions, strict=True):
        name = [names[index] for index, start in enumerate(starts) if start < position][-1]
        groups[name].append((label, count, option["href"], "is-selected" in option["class"]))
    return groups


def test_search_finds_the_products_and_offers_the_sorts_of_a_search(client, shelf):
    response = client.get("/search/", {"q": "橙"})

    assert response.status_code == 200
    assert sorted(product_names(response)) == sorted(ORANGE_NAMES)
    assert texts(response, "listing-header__count") == ["共 4 件商品"]
    assert texts(response, "sorts__option") == ["综合", "低价优先", "高价优先", "最新上架"]
    assert [link.get("aria-current") for link in attributes(response, "sorts__option")] == ["true", None, None, None]


def test_the_relevance_order_puts_popular_products_first_among_equal_matches(client, shelf):
    # Whatever the rank says, the price sort is exact and 综合 is the default.
    by_price = client.get("/search/", {"q": "橙", "sort": "price"})
    assert product_names(by_price) == ["怒江冰糖橙", "赣南脐橙5斤装", "赣南脐橙10斤装", "脐橙果干"]
    assert product_names(client.get("/search/", {"q": "普洱茶"})) == ["普洱茶"]


def test_a_category_listing_defaults_to_the_relevance_order_popular_first(client, shelf):
    response = client.get("/categories/fruit/")

    assert product_names(response) == ["赣南脐橙5斤装", "怒江冰糖橙", "赣南脐橙10斤装"]
    assert texts(response, "sorts__option") == ["综合", "名称", "低价优先", "高价优先", "最新上架"]
    assert attributes(response, "sorts__option")[0].get("aria-current") == "true"
    assert product_names(client.get("/categories/fruit/", {"sort": "name"})) == sorted(
        ["赣南脐橙5斤装", "怒江冰糖橙", "赣南脐橙10斤装"]
    )


def test_facets_show_counts_for_category_region_price_relief_and_stock(client, shelf):
    response = client.get("/search/", {"q": "橙"})
    facets = facet_links(response)

    assert set(facets) >= {"category", "region", "price", "relief", "in_stock"}
    categories = {label: count for label, count, _href, _selected in facets["category"]}
    assert categories["水果"] == 3 and categories["零食"] == 1
    assert [(count, "泸水" in label) for label, count, _href, _selected in facets["region"]] == [(1, True)]
    assert [count for _label, count, _href, _selected in facets["relief"]] == [1]
    assert [count for _label, count, _href, _selected in facets["in_stock"]] == [3]
    assert sum(count for _label, count, _href, _selected in facets["price"]) == 4  # no price on two ranges
    assert not any(selected for links in facets.values() for *_rest, selected in links)


def test_every_facet_link_narrows_the_results_to_its_count(client, shelf):
    facets = facet_links(client.get("/search/", {"q": "橙"}))

    for name, links in facets.items():
        for label, count, href, _selected in links:
            narrowed = client.get(urljoin("/search/", href))
            assert narrowed.status_code == 200
            assert len(product_names(narrowed)) == count, (name, label)
            chosen = [entry for entry in facet_links(narrowed)[name] if entry[0] == label]
            assert chosen and chosen[0][3], f"{name} {label} is shown as chosen"


def test_facets_combine_and_the_clear_link_removes_them_but_keeps_the_words(client, shelf):
    fruit = shelf["categories"]["水果"]
    response = client.get("/search/", {"q": "橙", "category": fruit.pk, "in_stock": "1", "price": "0-50"})

    assert sorted(product_names(response)) == ["怒江冰糖橙", "赣南脐橙5斤装"]
    assert attributes(response, "facet__clear")[0]["href"] == "?q=%E6%A9%99"
    # Unchoosing the category keeps the other choices.
    fruit_link = next(href for label, _c, href, selected in facet_links(response)["category"] if label == "水果")
    assert "category" not in fruit_link and "in_stock=1" in fruit_link


def test_facet_choices_that_find_nothing_say_so_and_keep_the_facets_to_undo(client, shelf):
    tea = shelf["categories"]["茶叶"]
    response = client.get("/search/", {"q": "橙", "category": tea.pk})

    assert product_names(response) == []
    assert texts(response, "empty__title") == ["没有符合筛选条件的商品"]
    assert texts(response, "sorts__option")  # the bar stays: the words did find products
    assert attributes(response, "facet__clear")


def test_a_search_that_finds_nothing_helps_instead_of_showing_the_sort_bar(client, shelf, search_tables):
    response = client.get("/search/", {"q": "榴莲"})

    assert response.status_code == 200
    assert texts(response, "listing-header__count") == ["共 0 件商品"]
    assert texts(response, "sorts__option") == []
    assert attributes(response, "facet") == []
    assert 'data-testid="search-toolbar"' not in response.content.decode()
    assert texts(response, "empty__title") == ["没有找到相关商品，换个词试试吧。"]
    assert len(texts(response, "search-tips")[0]) > 10
    assert "脐橙" in texts(response, "search-hot") and "榴莲" not in texts(response, "search-hot")
    assert texts(response, "search-category") == ["水果", "零食", "茶叶"]
    # 大家都在买: the most popular first, only what can be bought (脐橙果干 is sold out).
    assert product_names(response) == ["普洱茶", "赣南脐橙5斤装", "怒江冰糖橙", "赣南脐橙10斤装"]


def test_the_empty_state_offers_the_alternatives_of_the_search_service(client, shelf, search_tables):
    text = "冰糖橙子罐头礼盒"
    response = client.get("/search/", {"q": text})
    if not attributes(response, "search-empty"):
        # A ranking that matches any of the words finds 怒江冰糖橙 here: no empty state to check then.
        pytest.skip("the search found products for these words")
    assert product_names(response)[:1] == ["普洱茶"]  # found nothing: the popular products are shown

    offered = [word for word in service.alternatives(text) if word != text]
    assert offered  # shorter words that find products (冰糖橙)
    assert texts(response, "search-empty__alternative") == offered
    assert texts(response, "search-empty__alternatives")[0].startswith("您是不是要找：")
    first = attributes(response, "search-empty__alternative")[0]["href"]
    assert product_names(client.get(first))


def test_the_search_page_without_words_shows_hot_searches_and_categories(client, shelf, search_tables):
    response = client.get("/search/")

    assert texts(response, "empty__title") == ["想找什么商品？"]
    assert texts(response, "search-hot")[:2] == ["脐橙", "普洱茶"]
    assert attributes(response, "search-hot")[0]["href"] == "/search/?q=%E8%84%90%E6%A9%99"
    assert texts(response, "search-category") == ["水果", "零食", "茶叶"]
    assert "data-recent-searches hidden" in response.content.decode()  # filled from this browser by the script


def test_a_search_is_counted_once_not_for_every_page_or_facet_of_it(client, shelf):
    from search.models import SearchQueryStat

    client.get("/search/", {"q": "橙"})
    client.get("/search/", {"q": "橙", "page": "1"})
    client.get("/search/", {"q": "橙", "sort": "price"})
    client.get("/search/", {"q": "橙", "in_stock": "1"})
    client.get("/search/", {"q": "榴莲"})

    stats = {row.text: (row.searches, row.searches_with_results) for row in SearchQueryStat.objects.all()}
    assert stats["橙"] == (1, 1)
    assert stats["榴莲"] == (1, 0)


def more_oranges(channel, warehouse):
    """Twelve more oranges in a category with a subcategory, from two more partner regions, at every price."""
    drinks = factories.category(name="饮品", slug="drinks")
    juice = factories.category(name="果汁", slug="juice", parent=drinks)
    coops = [
        relief_data.supplier(f"合作社{index}", f"coop-{index}", division)
        for index, division in enumerate((relief_data.WUSHAN, relief_data.FUGONG))
    ]
    for number in range(12):
        product = factories.product(
            channel=channel,
            name=f"冰糖橙{number}号",
            warehouse=warehouse,
            variants=2,
            category=[None, drinks, juice][number % 3],
            price=["9.90", "88.00", "350.00", "900.00"][number % 4],
        )
        if number % 2:
            relief_data.certify(coops[number % 4 // 2], [product], f"CERT-{number}")
    return drinks


@pytest.mark.parametrize("chosen", [{}, {"category": "drinks", "relief": "1"}, {"region": "533323", "price": "500-"}])
def test_every_facet_link_gives_its_count_when_facets_are_chosen_too(client, channel, warehouse, shelf, chosen):
    drinks = more_oranges(channel, warehouse)
    params = {"q": "橙", **chosen}
    if "category" in params:
        params["category"] = drinks.pk
    facets = facet_links(client.get("/search/", params))

    assert facets["category"] and facets["region"]
    for name, links in facets.items():
        for label, count, href, selected in links:
            if not selected:  # a chosen bucket's link takes the choice back
                assert len(product_names(client.get(urljoin("/search/", href)))) == count, (name, label)


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return len(captured)


def test_the_search_page_runs_the_same_queries_for_few_or_many_results(client, channel, warehouse, shelf):
    # The channel cache, sessions and 热搜 (search.stats caches it for a minute) once, for both kinds of page.
    client.get("/search/", {"q": "橙"})
    client.get("/search/", {"q": "榴莲", "sort": "price"})
    few = _queries(client, {"q": "橙", "sort": "price"})
    drinks = more_oranges(channel, warehouse)  # more results, categories, partner regions and price buckets
    many = _queries(client, {"q": "橙", "sort": "price"})
    assert few == many
    assert many <= 40
    chosen = {"q": "橙", "sort": "price", "category": drinks.pk, "region": "500237", "price": "50-100", "relief": "1"}
    assert _queries(client, chosen) <= many + 2  # the chosen categories and the chosen regions' names

    empty_first = _queries(client, {"q": "榴莲", "sort": "price"})
    factories.product(channel=channel, name="热带水果", warehouse=warehouse)
    assert _queries(client, {"q": "榴莲", "sort": "price"}) == empty_first


def test_the_empty_search_page_reads_hot_searches_once_a_minute(client, shelf, search_tables):
    client.get("/search/", {"q": "榴莲", "sort": "price"})
    warm = _queries(client, {"q": "榴莲", "sort": "price"})
    cache.delete(stats.HOT_CACHE_KEY.format(limit=searching.HOT_COUNT))
    assert _queries(client, {"q": "榴莲", "sort": "price"}) == warm + 1  # 热搜 read again, nothing else


BAD_WORDS = [
    "",
    "   ",
    "橙" * 10_000,
    "a" * 10_000,
    "\x00\x01\x02橙\x7f",
    "' OR 1=1; DROP TABLE catalog_product; --",
    'name:(橙 OR 茶) AND title:"x"~2 ^3 \\ / [1 TO 5] {a} * ? ! && || -',
    "%_\\%",
    "😀🍊",
    "\u200b\u202e橙\ufeff",
    "&:|!()<>",
]


@pytest.mark.parametrize("words", BAD_WORDS)
def test_odd_words_give_a_normal_page(client, shelf, words):
    response = client.get("/search/", {"q": words})
    assert response.status_code == 200
    assert texts(response, "search__button") == ["搜索"]


@pytest.mark.parametrize(
    "query_string",
    [
        "q=%FF%FE%FD",
        "q=%E6%A9",
        "q=%00",
        "q=橙&category=abc&category=99999999999999999999&region=12&region=abcdef",
        "q=橙&price=abc-xyz",
        "q=橙&price=1e999-",
        "q=橙&price=-5--3",
        "q=橙&price=NaN-Infinity",
        "q=橙&page=-1&sort=DROP",
        "q=橙&page=99999999999999999999999",
        "q=橙&relief=maybe&in_stock=%00",
        "q[]=橙&q=",
    ],
)
def test_odd_addresses_give_a_normal_page(client, shelf, query_string):
    response = client.get(f"/search/?{query_string}")
    assert response.status_code == 200
