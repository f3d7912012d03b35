"""The union extras of the API: facets on products, the filter extras, searchSuggestions and hotSearches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import suggestions
from search.stats import record_search

PRODUCTS = """
query Products($filter: ProductFilterInput, $search: String) {
  products(first: 20, channel: "union-mall", filter: $filter, search: $search) {
    totalCount
    edges { node { name } }
    facets { name label buckets { value label count selected } }
  }
}
"""
COUNT = """
query Count($filter: ProductFilterInput, $search: String) {
  products(first: 1, channel: "union-mall", filter: $filter, search: $search) { totalCount }
}
"""


def chosen(filter_input: dict, facet: str, value: str) -> dict:
    key, chosen_value = {
        "category": ("categories", [value]),
        "region": ("partnerRegions", [value]),
        "price": ("priceBucket", value),
        "relief": ("reliefCertified", True),
        "in_stock": ("stockAvailability", "IN_STOCK"),
    }[facet]
    return {**filter_input, key: chosen_value}


FILTERS = [
    {},
    {"reliefCertified": True},
    {"priceBucket": "50-100", "stockAvailability": "IN_STOCK"},
    {"partnerRegions": ["522634"], "isAvailable": True},
    {"search": "大米"},
]


@pytest.mark.parametrize("filter_input", FILTERS, ids=[str(f) for f in FILTERS])
def test_graphql_facet_counts_equal_the_total_count_of_choosing_them(api, catalogue, filter_input):
    data = api.data(PRODUCTS, {"filter": filter_input})["products"]
    facets = {facet["name"]: facet for facet in data["facets"]}
    assert list(facets) == ["category", "region", "price", "relief", "in_stock"]
    for name, facet in facets.items():
        for bucket in facet["buckets"]:
            total = api.data(COUNT, {"filter": chosen(filter_input, name, bucket["value"])})["products"]["totalCount"]
            assert total == bucket["count"], (name, bucket)


def test_filter_extras_and_selected_buckets(api, catalogue):
    data = api.data(PRODUCTS, {"filter": {"partnerRegions": ["500237"], "reliefCertified": True}})["products"]
    assert sorted(edge["node"]["name"] for edge in data["edges"]) == ["巫山脆李", "湘西腊肉"]
    region = next(facet for facet in data["facets"] if facet["name"] == "region")
    assert {(b["label"], b["count"], b["selected"]) for b in region["buckets"]} == {
        ("巫山县", 2, True),
        ("雷山县", 3, False),
    }
    out = api.data(COUNT, {"filter": {"stockAvailability": "OUT_OF_STOCK"}})["products"]["totalCount"]
    assert out == 2
    uncertified = api.data(COUNT, {"filter": {"reliefCertified": False}})["products"]["totalCount"]
    assert uncertified == 6


def test_a_chosen_category_offers_its_children_as_global_ids(api, catalogue):
    from graphql_relay import to_global_id

    fresh = to_global_id("Category", catalogue.categories["生鲜"].pk)
    data = api.data(PRODUCTS, {"filter": {"categories": [fresh]}})["products"]
    category = next(facet for facet in data["facets"] if facet["name"] == "category")
    assert [(b["label"], b["count"]) for b in category["buckets"]] == [("水果", 4), ("肉类", 1)]
    assert category["buckets"][0]["value"] == to_global_id("Category", catalogue.categories["水果"].pk)


def test_facets_are_computed_only_when_asked_and_in_fixed_queries(api, catalogue):
    plain = 'query { products(first: 5, channel: "union-mall") { totalCount edges { node { name } } } }'

    def queries(query, variables=None):
        with CaptureQueriesContext(connection) as captured:
            api.data(query, variables)
        return len(captured)

    without = queries(plain)
    with_facets = queries(PRODUCTS)
    assert with_facets - without <= 5
    busy = {"reliefCertified": True, "partnerRegions": ["522634", "500237"], "priceBucket": "0-50"}
    assert queries(PRODUCTS, {"filter": busy}) <= with_facets + 1


def test_saleor_queries_keep_working(api, catalogue):
    query = """query { products(first: 3, channel: "union-mall", filter: {price: {gte: 40, lte: 60}}) {
        totalCount edges { node { name } } } }"""
    data = api.data(query)["products"]
    assert data["totalCount"] == 3  # Saleor's price filter: a variant within the range


SUGGEST = """query S($q: String!, $first: Int) { searchSuggestions(query: $q, first: $first, channel: "union-mall") {
  text kind slug } }"""


def test_search_suggestions_by_chinese_pinyin_and_initials(api, catalogue):
    suggestions.rebuild()
    by_chinese = api.data(SUGGEST, {"q": "赣南"})["searchSuggestions"]
    assert by_chinese == [{"text": "赣南脐橙", "kind": "product", "slug": catalogue.products["赣南脐橙"].slug}]
    assert [s["text"] for s in api.data(SUGGEST, {"q": "gannan"})["searchSuggestions"]] == ["赣南脐橙"]
    assert [s["text"] for s in api.data(SUGGEST, {"q": "gnqc"})["searchSuggestions"]] == ["赣南脐橙"]
    teas = api.data(SUGGEST, {"q": "cha"})["searchSuggestions"]
    assert teas == [{"text": "茶叶", "kind": "category", "slug": catalogue.categories["茶叶"].slug}]
    # The category (3 products) weighs more than a product nobody bought yet; `first` limits.
    assert [s["text"] for s in api.data(SUGGEST, {"q": "da"})["searchSuggestions"]] == ["大米", "稻花香大米"]
    assert [s["text"] for s in api.data(SUGGEST, {"q": "da", "first": 1})["searchSuggestions"]] == ["大米"]


HOSTILE = [
    "",
    " ",
    "x" * 10_000,
    "脐" * 10_000,
    "\x01\x1f\x7f脐橙\u200b\r\n",
    "' OR 1=1; DROP TABLE catalog_product; --",
    "%_\\",
    'title:(+"a" -b) AND c* OR d~2 ^3 [x TO y] {} / \\ && || ! ?',
    "😀🍊",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_bad_input_never_errors(api, catalogue, text):
    suggestions.rebuild()
    assert isinstance(api.data(SUGGEST, {"q": text})["searchSuggestions"], list)
    data = api.data(PRODUCTS, {"search": text, "filter": {"search": text}})["products"]
    assert isinstance(data["facets"], list)
    bad_filter = {"partnerRegions": [text + "?"], "priceBucket": text + "?"}
    assert api.data(PRODUCTS, {"filter": bad_filter})["products"]["totalCount"] == 0
    assert api.data(SUGGEST, {"q": text, "first": 10_000})["searchSuggestions"] is not None
    assert api.data(SUGGEST, {"q": "cha", "first": -5})["searchSuggestions"] == []


def test_a_nul_character_is_a_clear_error_and_the_service_shrugs_it_off(api, catalogue):
    from search import service

    suggestions.rebuild()
    status, body = api.post(SUGGEST, {"q": "\x00脐橙"})
    assert status == 400 and "NUL" in body["errors"][0]["message"]
    assert service.suggest("\x00赣南", catalogue.channel) == service.suggest("赣南", catalogue.channel)
    service.record_search("\x00脐橙", 1)


def test_hot_searches(api, catalogue):
    for text, found in [("脐橙", 5), ("脐橙", 3), ("大米", 1), ("不存在的东西", 0), ("不存在的东西", 0)]:
        record_search(text, found)
    assert api.data("query { hotSearches(first: 5) }")["hotSearches"] == ["脐橙", "大米"]
