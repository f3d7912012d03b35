"""The relevance core through the API: RANK ordering as Saleor, cursors over a ranked list, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import selectors
from catalog.models import Product
from search import service

PRODUCTS = """
query ($search: String, $filter: ProductFilterInput, $sortBy: ProductOrder, $first: Int, $after: String) {
  products(first: $first, after: $after, search: $search, filter: $filter, sortBy: $sortBy, channel: "union-mall") {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def names(body) -> list[str]:
    assert "errors" not in body, body["errors"]
    return [edge["node"]["name"] for edge in body["data"]["products"]["edges"]]


def test_a_search_is_sorted_by_rank_when_no_sort_is_given(graphql):
    found = names(graphql(PRODUCTS, {"search": "脐橙", "first": 5}))
    assert found[0] == "赣南脐橙"
    by_filter = names(graphql(PRODUCTS, {"filter": {"search": "脐橙"}, "first": 5}))
    assert by_filter == found


def test_rank_descending_and_ascending_are_reverse_orders(graphql):
    descending = names(
        graphql(PRODUCTS, {"search": "茶", "first": 100, "sortBy": {"field": "RANK", "direction": "DESC"}})
    )
    ascending = names(
        graphql(PRODUCTS, {"search": "茶", "first": 100, "sortBy": {"field": "RANK", "direction": "ASC"}})
    )
    assert len(descending) > 5
    assert ascending == list(reversed(descending))


def test_another_sort_still_applies_to_a_search(graphql):
    by_rank = names(graphql(PRODUCTS, {"search": "茶", "first": 100}))
    by_price = names(
        graphql(PRODUCTS, {"search": "茶", "first": 100, "sortBy": {"field": "PRICE", "direction": "ASC"}})
    )
    assert set(by_price) == set(by_rank) and by_price != by_rank


def test_rank_without_a_search_is_an_error_as_in_saleor(graphql):
    body = graphql(PRODUCTS, {"first": 5, "sortBy": {"field": "RANK", "direction": "DESC"}})
    assert body["errors"][0]["message"] == (
        "Sorting by RANK is available only when using a search filter or search argument."
    )


@pytest.mark.parametrize("text", ["茶", "米", "cha"])
def test_paging_through_a_ranked_search_with_cursors_gives_every_result_once(graphql, text):
    everything = names(graphql(PRODUCTS, {"search": text, "first": 100}))
    assert len(everything) > 6
    paged, after = [], None
    while True:
        body = graphql(PRODUCTS, {"search": text, "first": 4, "after": after})
        paged += names(body)
        info = body["data"]["products"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert paged == everything
    assert body["data"]["products"]["totalCount"] == len(everything)


def test_a_cursor_of_a_ranked_list_is_refused_by_a_list_sorted_otherwise(graphql):
    body = graphql(PRODUCTS, {"search": "茶", "first": 2})
    cursor = body["data"]["products"]["pageInfo"]["endCursor"]
    other = graphql(
        PRODUCTS, {"search": "茶", "first": 2, "after": cursor, "sortBy": {"field": "NAME", "direction": "ASC"}}
    )
    assert other["errors"][0]["message"].startswith("Received cursor is invalid")


def test_a_page_of_a_search_is_its_ids_then_their_rows(demo_catalogue):
    """The page's ids are sorted on the rank alone, without the rows and their relations; then the rows of
    those ids are read: two queries whatever the page and the number of matches, in the order of the rank."""
    products = selectors.with_listing_data(
        selectors.product_listing(
            demo_catalogue, product_filter=selectors.ProductFilter(search="大米"), sort_field="RANK", descending=True
        ),
        demo_catalogue,
    )
    expected = list(products.values_list("pk", "search_rank")[1:5])
    with CaptureQueriesContext(connection) as queries:
        rows = list(products[1:5])
    assert len(rows) == 4 and [(row.pk, row.search_rank) for row in rows] == expected
    ids, by_ids, *prefetches = [query["sql"] for query in queries.captured_queries]
    assert ids.startswith('SELECT "catalog_product"."id" AS "pk" FROM "catalog_product" WHERE')  # no joins
    page_ids = ", ".join(str(row.pk) for row in rows)
    assert f'"catalog_product"."id" IN ({page_ids})' in by_ids and " OFFSET " not in by_ids
    assert len(prefetches) == 4  # variants, their stocks, media, this channel's listing: once for the page
    assert rows[0].merchant.name and rows[0].listed_variants  # joined and prefetched, no query more
    assert len(queries) == 6


BAD_INPUTS = [
    "",
    " ",
    "茶" * 10_000,
    "a" * 10_000,
    "'",
    "''",
    "' OR 1=1 --",
    "'; DROP TABLE catalog_product; --",
    "&",
    "|",
    "!",
    ":*",
    "茶:*",
    "\\",
    "\\'",
    "a & | ! b",
    "(茶",
    "茶)",
    "<->",
    "茶 <-> 米",
    'title:(foo AND bar) OR baz~2 +x -y "phrase" [1 TO 5] {a TO b} ^2 /regex/ * ?',
    "\x00",
    "茶\x00米",
    "\x01\x02\x1f\x7f",
    "\u200b\u202e",
    "%",
    "_",
    "%_%",
    "\ud83c\udf4a".encode("utf-16", "surrogatepass").decode("utf-16"),
    "🍊 脐橙",
    "ｑｉｃｈｅｎｇ",
]


@pytest.mark.parametrize("text", BAD_INPUTS)
def test_bad_input_never_errors(demo_catalogue, text):
    queryset = selectors.product_listing(
        demo_catalogue, product_filter=selectors.ProductFilter(search=text), sort_field="RANK", descending=True
    )
    list(queryset[:5])
    queryset.count()
    service.alternatives(text)


# NUL in an argument is refused by the API before any resolver (tests/graphql/test_errors.py).
@pytest.mark.parametrize("text", ["'", "&|!", ":*", "\\", "茶\x01\x1f米", "a" * 10_000, "茶" * 10_000])
def test_bad_input_through_the_api_never_errors(graphql, text):
    body = graphql(PRODUCTS, {"search": text, "first": 3})
    assert "errors" not in body, body


def test_full_width_pinyin_is_read_as_pinyin(demo_catalogue):
    assert "赣南脐橙" in [p.name for p in service.match(Product.objects.all(), "ｑｉｃｈｅｎｇ")]


def test_alternatives_for_homophones_pinyin_synonyms_and_shorter_words(demo_catalogue):
    assert service.alternatives("脐澄")[0] == "脐橙"
    assert service.alternatives("qicheng")[0] == "脐橙"
    assert service.alternatives("猕猴淘")[0] == "猕猴桃"
    assert "脐橙" in service.alternatives("橙子")
    assert service.alternatives("大米 电脑") == ["大米"]
    assert service.alternatives("xyzxyz") == []
