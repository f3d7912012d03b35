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


def test_the_flash_sale_variant_is_left_with_exactly_the_units_on_sale(channel, db):
    from bench import buying
    from catalog.models import Stock
    from tests import factories

    product = factories.product(channel=channel, name="秒杀商品", quantity=7)
    variant = product.variants.get()
    other_warehouse = factories.warehouse(channels=[channel], name="第二仓")
    Stock.objects.create(warehouse=other_warehouse, product_variant=variant, quantity=30, quantity_allocated=4)

    buying.set_available(variant, 50)

    stocks = list(Stock.objects.filter(product_variant=variant).order_by("pk"))
    assert [stock.quantity_available for stock in stocks] == [50, 0]
    assert buying.allocated_units(variant) == (4, 54)


def test_the_buying_budgets_fail_on_oversold_or_unsold_units():
    from bench import buying

    def verdicts(orders, oversold):
        flash = {"orders": orders, "oversold_units": oversold}
        return [budget["pass"] for budget in buying.budgets({"flash_sale": flash})]

    assert verdicts(50, 0) == [True, True]
    assert verdicts(51, 1) == [False, False]
    assert verdicts(49, 0) == [True, False]
