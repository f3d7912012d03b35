"""Query cost (Saleor's model): priced before it runs, refused over the limit, reported in every response."""

import time

import pytest
from graphql import get_introspection_query

from mall.graphql.views import DocumentCache, document_cache
from tests import factories

NAMES = "{ products(first: 10) { edges { node { name } } } }"


def fragment_bomb(levels: int = 24) -> str:
    """About 1 KB: F0 spreads F1 twice, F1 spreads F2 twice, …; naively expanded, 2**levels fields."""
    fragments = [f"fragment F{i} on Product {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Product {{ name }}")
    return "{ products(first: 1) { edges { node { ...F0 } } } }\n" + "\n".join(fragments)


def nested_products(levels: int) -> str:
    """product { category { products(first: 100) { edges { node { category { products(first: 100) …"""
    inner = "name"
    for _ in range(levels):
        inner = f"category {{ products(first: 100) {{ edges {{ node {{ name {inner} }} }} }} }}"
    return f'{{ product(slug: "tea") {{ name {inner} }} }}'


@pytest.fixture
def tea(channel, warehouse):
    return factories.product(channel=channel, name="Tea", slug="tea", warehouse=warehouse)


def test_every_response_reports_the_cost_of_the_query(api, tea):
    status, body = api.post(NAMES)
    assert status == 200
    # products 10 + edges 10 + node 10 + name 10
    assert body["extensions"] == {"cost": {"requestedQueryCost": 40, "maximumAvailable": 50000}}


def test_a_page_size_given_in_a_variable_multiplies_the_cost(api, tea):
    query = "query Names($n: Int) { products(first: $n) { totalCount edges { node { name slug } } } }"
    status, body = api.post(query, {"n": 7})
    assert status == 200
    # products, totalCount, edges, node, name, slug: six fields per row
    assert body["extensions"]["cost"]["requestedQueryCost"] == 7 * 6


def test_a_variable_default_counts_when_the_variable_is_not_sent(api, tea):
    query = "query Names($n: Int = 3) { products(first: $n) { edges { node { name } } } }"
    status, body = api.post(query)
    assert status == 200
    assert body["extensions"]["cost"]["requestedQueryCost"] == 3 * 4


def test_each_spread_of_a_fragment_is_paid_for(api, tea):
    query = """
    { a: products(first: 2) { edges { node { ...Card } } }
      b: products(first: 3) { edges { node { ...Card } } } }
    fragment Card on Product { name slug category { name } }
    """
    status, body = api.post(query)
    assert status == 200
    # each list: products + edges + node + name + slug + category + category.name = 7 fields per row
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2 * 7 + 3 * 7


def test_typename_and_introspection_cost_nothing(api, tea):
    status, body = api.post("{ __typename shop { __typename } __schema { queryType { name } } }")
    assert status == 200
    assert body["extensions"]["cost"]["requestedQueryCost"] == 1


def test_one_hundred_aliases_of_a_hundred_products_are_refused_unrun(api, tea, django_assert_num_queries):
    fields = (f"p{i}: products(first: 100) {{ edges {{ node {{ id name slug }} }} }}" for i in range(100))
    query = "{ " + " ".join(fields) + " }"
    with django_assert_num_queries(0):
        status, body = api.post(query)
    assert status == 400
    assert "data" not in body
    assert body["errors"][0] == {
        "message": "The query exceeds the maximum cost of 50000. Actual cost is 60000.",
        "extensions": {"cost": {"requestedQueryCost": 60000, "maximumAvailable": 50000}},
    }
    assert body["extensions"] == {"cost": {"requestedQueryCost": 60000, "maximumAvailable": 50000}}


def test_one_hundred_aliases_are_over_the_alias_limit_whatever_they_select(api, tea):
    query = "{ " + " ".join(f"p{i}: products(first: 100) {{ edges {{ node {{ id }} }} }}" for i in range(100)) + " }"
    status, body = api.post(query)
    assert status == 400
    assert [error["message"] for error in body["errors"]] == [
        "The query exceeds the maximum of 30 aliases. Actual number is 100."
    ]


def test_products_of_categories_of_products_four_deep_are_refused_in_milliseconds(api, tea, django_assert_num_queries):
    query = nested_products(4)
    with django_assert_num_queries(0):
        started = time.perf_counter()
        status, body = api.post(query)
        elapsed = time.perf_counter() - started
    assert status == 400
    # A level costs category 1 + 100 × (products + edges + node + name + the level below): 501, 50501, …
    assert body["errors"][0]["message"] == "The query exceeds the maximum cost of 50000. Actual cost is 505050503."
    assert elapsed < 0.5


def test_products_of_categories_of_products_two_deep_are_refused(api, tea):
    status, body = api.post(nested_products(2))
    assert status == 400
    assert body["errors"][0]["message"] == "The query exceeds the maximum cost of 50000. Actual cost is 50503."


def test_a_fragment_bomb_is_priced_by_its_expansion_and_refused_at_once(api, tea, django_assert_num_queries):
    query = fragment_bomb(24)
    assert len(query) < 1100
    with django_assert_num_queries(0):
        started = time.perf_counter()
        status, body = api.post(query)
        elapsed = time.perf_counter() - started
    assert status == 400
    # products 1 + edges 1 + node 1 + 2**24 × name
    assert body["extensions"]["cost"]["requestedQueryCost"] == 3 + 2**24
    assert elapsed < 1.0


def test_a_fragment_bomb_runs_in_milliseconds_when_the_cost_limit_is_off(api, tea, settings):
    """Resolvers ask which fields are selected below them: each fragment is walked once."""
    settings.GRAPHQL_QUERY_MAX_COMPLEXITY = 0
    started = time.perf_counter()
    data = api.data(fragment_bomb(24))
    assert time.perf_counter() - started < 1.0
    assert data == {"products": {"edges": [{"node": {"name": "Tea"}}]}}


def test_a_query_nested_deeper_than_the_limit_is_refused(api, tea):
    inner = "name"
    for _ in range(15):
        inner = f"parent {{ {inner} }}"
    status, body = api.post(f'{{ category(slug: "x") {{ {inner} }} }}')
    assert status == 400
    assert body["errors"] == [
        {"message": "The query exceeds the maximum depth of 15 nested fields. Actual depth is 17."}
    ]


def test_a_query_at_the_depth_limit_runs(api, tea):
    inner = "name"
    for _ in range(13):
        inner = f"parent {{ {inner} }}"
    assert api.data(f'{{ category(slug: "x") {{ {inner} }} }}') == {"category": None}


def test_aliases_inside_a_fragment_count_at_every_spread(api, tea, settings):
    settings.GRAPHQL_QUERY_MAX_ALIASES = 5
    query = """
    { products(first: 1) { edges { a: node { ...Names } b: node { ...Names } } } }
    fragment Names on Product { one: name two: name }
    """
    status, body = api.post(query)
    assert status == 400
    assert body["errors"] == [{"message": "The query exceeds the maximum of 5 aliases. Actual number is 6."}]


def test_the_limits_are_settings(api, tea, settings):
    settings.GRAPHQL_QUERY_MAX_COMPLEXITY = 39
    status, body = api.post(NAMES)
    assert status == 400
    assert body["errors"][0]["message"] == "The query exceeds the maximum cost of 39. Actual cost is 40."


def test_graphiqls_introspection_query_is_allowed(api, tea):
    status, body = api.post(get_introspection_query(descriptions=True))
    assert status == 200, body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    assert body["extensions"]["cost"]["requestedQueryCost"] == 0


def test_deeply_nested_introspection_is_refused(api, tea):
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    status, body = api.post(query)
    assert status == 400
    assert body["errors"][0]["message"] == "Maximum introspection depth exceeded"


def test_only_valid_small_documents_are_kept_parsed(api, tea):
    document_cache.clear()
    api.post("{ products(first: 1) { edges { node { nope } } } }")
    api.post("{ products(first: 1) { edges { node { name } } }" + " " * 30_000 + "}")
    assert len(document_cache.documents) == 0
    api.data(NAMES)
    api.data(NAMES)
    assert list(document_cache.documents) == [NAMES]


def test_a_field_repeated_many_times_in_one_selection_set_is_refused_before_validation(api, tea):
    status, body = api.post("{ shop { " + " name" * 21 + " } }")
    assert status == 400
    assert body["errors"] == [
        {"message": "The field `name` is selected 21 times in one selection set; at most 20 are allowed."}
    ]


def test_a_field_repeated_twenty_times_is_allowed(api, tea):
    assert api.data("{ shop { " + " name" * 20 + " } }")["shop"]["name"]


def test_fragments_that_spread_each_other_are_a_validation_error(api, tea):
    query = """
    { products(first: 1) { edges { node { ...A } } } }
    fragment A on Product { name ...B }
    fragment B on Product { slug ...A }
    """
    status, body = api.post(query)
    assert status == 400
    assert body["errors"][0]["message"] == "Cannot spread fragment 'A' within itself via 'B'."


def test_a_document_over_the_cost_limit_is_refused_even_when_it_is_also_invalid(api, tea):
    query = (
        "{ "
        + " ".join(f"p{i}: products(first: 100) {{ edges {{ node {{ nope name slug }} }} }}" for i in range(100))
        + " }"
    )
    status, body = api.post(query)
    assert status == 400
    assert body["errors"][0]["message"] == "The query exceeds the maximum cost of 50000. Actual cost is 60000."


def test_the_parse_cache_keeps_the_most_recent_texts_within_its_budget():
    cache = DocumentCache(text_budget=10)
    for query in ("aaaa", "bbbb", "cccc"):
        cache.put(query, object())
    assert list(cache.documents) == ["bbbb", "cccc"]
    assert cache.get("aaaa") is None
    cache.get("bbbb")
    cache.put("ddd", object())  # 11 characters: the least recently used, cccc, goes
    assert list(cache.documents) == ["bbbb", "ddd"]
    assert cache.text_size == 7


def test_a_query_sent_by_get_is_priced_too(client, tea, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/graphql/", {"query": nested_products(2)}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "The query exceeds the maximum cost of 50000. Actual cost is 50503."
    )


def test_an_invalid_document_reports_its_cost_with_the_validation_error(api, tea):
    status, body = api.post("{ products(first: 10) { edges { node { nope } } } }")
    assert status == 400
    assert body["errors"][0]["message"].startswith("Cannot query field 'nope' on type 'Product'.")
    assert body["extensions"] == {"cost": {"requestedQueryCost": 40, "maximumAvailable": 50000}}
