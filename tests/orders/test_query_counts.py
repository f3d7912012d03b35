"""Order reads run a fixed number of SQL queries however many orders, lines and events they show."""

import pytest
from graphql_relay import to_global_id

from orders.services import FulfillRequest, complete_checkout, fulfill_order
from tests import factories
from tests.orders.conftest import api_for, make_checkout
from tests.orders.helpers import pay

pytestmark = pytest.mark.django_db

ORDER_NODE = """
    number status chargeStatus paymentStatus isPaid isShippingRequired
    total { gross { amount } } subtotal { gross { amount } } allowanceAmount { amount }
    user { email } channel { slug } shippingAddress { city } billingAddress { city }
    lines {
        productName variantName quantity unitPrice { gross { amount } } memberPrice { amount }
        variant { id sku product { name } } thumbnail(size: 64) { url }
    }
    events { type date message user { email } lines { quantity orderLine { productName } } }
    fulfillments { trackingNumber lines { quantity orderLine { productName } } }
"""
MY_ORDERS = f"{{ me {{ orders(first: 20) {{ totalCount edges {{ node {{ {ORDER_NODE} }} }} }} }} }}"
ORDER = f"query($id: ID!) {{ order(id: $id) {{ {ORDER_NODE} }} }}"

# Session, user; the page of orders, totalCount; their lines, channel, addresses (shipping and billing
# together), variants, products, media; events, the events' users (other than the member); fulfilments
# and their lines (order line joined).
MY_ORDERS_QUERIES = 14
# As above, with the order read by id instead of a page and its count.
ORDER_QUERIES = 13


def placed_order(shop, member, products):
    checkout = make_checkout(shop, [(product.variants.get(), 1) for product in products], user=member)
    order, _ = complete_checkout(checkout, user=member)
    return order


def with_history(order, order_manager):
    """Paid, half shipped: events of three kinds, one with lines, and a fulfilment."""
    pay(order)
    first_line = order.lines.order_by("sort_order").first()
    fulfill_order(order, lines=[FulfillRequest(first_line.pk, 1)], by=order_manager, tracking_number="SF1")
    return order


@pytest.fixture
def products(shop, media_root):
    made = []
    for number in range(10):
        product = factories.product(channel=shop.channel, name=f"土特产{number}", warehouse=shop.warehouse)
        factories.product_image(product)
        made.append(product)
    return made


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_me_orders_of_1_and_10_orders_run_the_same_queries(
    shop, member, order_manager, products, django_assert_num_queries
):
    client = api_for(member)
    client.data(MY_ORDERS)  # warm-up: the active channels come from the cache from here on
    with_history(placed_order(shop, member, products[:1]), order_manager)
    with django_assert_num_queries(MY_ORDERS_QUERIES):
        one = client.data(MY_ORDERS)["me"]["orders"]
    for product in products[1:]:
        with_history(placed_order(shop, member, [product]), order_manager)
    with django_assert_num_queries(MY_ORDERS_QUERIES):
        ten = client.data(MY_ORDERS)["me"]["orders"]

    assert (one["totalCount"], ten["totalCount"]) == (1, 10)
    node = ten["edges"][0]["node"]
    assert [event["type"] for event in node["events"]][:2] == ["PLACED", "ORDER_FULLY_PAID"]
    assert node["fulfillments"][0]["lines"] == [{"quantity": 1, "orderLine": {"productName": "土特产9"}}]
    assert node["lines"][0]["thumbnail"]["url"]


def test_one_order_of_1_and_10_lines_runs_the_same_queries(
    shop, member, order_manager, products, django_assert_num_queries
):
    client = api_for(member)
    small = with_history(placed_order(shop, member, products[:1]), order_manager)
    large = with_history(placed_order(shop, member, products), order_manager)
    client.data(ORDER, {"id": to_global_id("Order", small.pk)})  # warm-up

    for order, lines in ((small, 1), (large, 10)):
        with django_assert_num_queries(ORDER_QUERIES):
            data = client.data(ORDER, {"id": to_global_id("Order", order.pk)})["order"]
        assert len(data["lines"]) == lines
        assert all(line["variant"]["product"]["name"].startswith("土特产") for line in data["lines"])
