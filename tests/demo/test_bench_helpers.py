"""The benchmark's pure helpers (the benchmark itself runs with `make bench`, never in the test suite)."""

import json

import pytest

from bench import database, load, queries


def test_percentiles_are_nearest_rank():
    values = [float(value) for value in range(1, 101)]
    assert (load.percentile(values, 0.50), load.percentile(values, 0.95)) == (50.0, 95.0)
    assert load.percentile([7.0], 0.95) == 7.0
    assert load.percentile([], 0.5) is None


def test_the_benchmark_database_is_on_the_same_server_with_its_own_name():
    url = "postgres://postgres@%2Fwork%2Fmain%2Fvar%2Fpgdata:5432/union_mall?sslmode=disable"
    assert database.with_database_name(url, "union_mall_bench") == (
        "postgres://postgres@%2Fwork%2Fmain%2Fvar%2Fpgdata:5432/union_mall_bench?sslmode=disable"
    )


def test_the_development_database_is_never_used_for_the_benchmark():
    with pytest.raises(SystemExit, match="must not be the development database"):
        database.ensure_database("postgres://postgres@127.0.0.1:5432/union_mall", "union_mall")


def test_graphql_answers_with_errors_or_too_few_products_are_failures():
    good = json.dumps({"data": {"products": {"edges": [{}, {}]}}}).encode()
    error = json.dumps({"errors": [{"message": "Cannot query field 'memberPrice'"}]}).encode()
    assert queries.graphql_problem(200, good) is None
    assert queries.graphql_problem(200, good, expected_edges=2) is None
    assert queries.graphql_problem(200, good, expected_edges=100) == "2 products instead of 100"
    assert queries.graphql_problem(200, error) == "GraphQL error: Cannot query field 'memberPrice'"
    assert queries.graphql_problem(502, b"") == "HTTP 502"
