"""bulkOrders prices its page in a fixed number of queries, and the totals match pricing one order alone."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulk_orders import services
from bulk_orders.models import BulkOrder
from bulk_orders.pricing import order_totals, price_bulk_order, price_bulk_orders
from tests.bulk_orders.documents.conftest import add_recipient, approve, many_variants
from tests.bulk_orders.flow_fixtures import api_for

LIST = """query($first: Int!) { bulkOrders(first: $first) { totalCount edges { node {
  id number status total { amount currency } undiscountedTotal { amount }
  branch { code name } purchasePlanUrl noticeUrl approvedAt createdByEmail orderNumber
} } } }"""
LIST_WITH_LINES = """query { bulkOrders(first: 20) { edges { node {
  total { amount } lines { sku quantity unitPrice { amount } totalPrice { amount } }
} } } }"""


def build(tree, people, shop, index, variants):
    """A bulk order with recipients over several variants, a tiered variant and a pack; every other one approved."""
    bulk = services.create_bulk_order(branch=tree.union, name=f"采购 {index}", by=people.clerk)
    for row, variant in enumerate(variants):
        add_recipient(bulk, row, variant, 2)
    services.add_lines(bulk, [(shop.apple.sku, 50 + index), (shop.pack.sku, 1)], by=people.clerk)
    if index % 2:
        approve(bulk, people)
    return bulk


def list_queries(api, first=20):
    with CaptureQueriesContext(connection) as captured:
        data = api.data(LIST, {"first": first})["bulkOrders"]
    return len(captured), data


def test_bulk_orders_with_totals_cost_the_same_queries_for_2_and_12_orders(tree, people, shop):
    variants = many_variants(shop, 4)
    clerk = api_for(people.clerk)
    for index in range(2):
        build(tree, people, shop, index, variants)
    small, data = list_queries(clerk)
    assert len(data["edges"]) == 2
    for index in range(2, 12):
        build(tree, people, shop, index, variants)
    large, data = list_queries(clerk)
    assert len(data["edges"]) == 12
    assert small == large
    assert large <= 8  # session, user, roles, count, page, totals, tiers…
    expected = {str(bulk): price_bulk_order(bulk)[1] for bulk in BulkOrder.objects.all()}
    for edge in data["edges"]:
        node = edge["node"]
        assert Decimal(str(node["total"]["amount"])) == expected[node["number"]].total
        assert Decimal(str(node["undiscountedTotal"]["amount"])) == expected[node["number"]].undiscounted_total
        assert (node["purchasePlanUrl"] is None) == (node["status"] == "DRAFT")


def test_lines_of_a_page_of_bulk_orders_load_together(tree, people, shop):
    variants = many_variants(shop, 3)
    clerk = api_for(people.clerk)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            data = clerk.data(LIST_WITH_LINES)["bulkOrders"]["edges"]
        return len(captured), len(data)

    for index in range(2):
        build(tree, people, shop, index, variants)
    small, count = queries()
    assert count == 2
    for index in range(2, 8):
        build(tree, people, shop, index, variants)
    large, count = queries()
    assert (large, count) == (small, 8)


def test_order_totals_equal_pricing_each_order_alone(tree, people, shop):
    variants = many_variants(shop, 3)
    bulks = [build(tree, people, shop, index, variants) for index in range(4)]
    ids = [bulk.pk for bulk in bulks]
    totals = order_totals(ids)
    priced = price_bulk_orders(ids)
    for bulk in bulks:
        _, alone = price_bulk_order(bulk)
        assert totals[bulk.pk] == (alone.total, alone.undiscounted_total)
        assert priced[bulk.pk][1].total == alone.total
    # 50 apples reach the 5% tier: 50 × 95 + 200 + 3 recipients × 2 × 10.
    assert totals[bulks[0].pk][0] == Decimal("4750.00") + Decimal("200.00") + Decimal("60.00")


def test_order_totals_of_nothing_are_zero(db):
    import uuid

    missing = uuid.uuid4()
    assert order_totals([missing]) == {missing: (Decimal("0.00"), Decimal("0.00"))}
