"""The order API over HTTP: checkoutComplete, order, orders, me.orders, the cancel mutations and orderFulfill."""

import pytest
from django.core import mail
from graphql_relay import to_global_id

from checkout.models import Checkout
from orders.models import Order, OrderEventType, OrderStatus
from orders.services import complete_checkout
from tests.graphql.conftest import GraphQLClient
from tests.orders.conftest import api_for, make_checkout
from tests.orders.helpers import pay, stock_of

pytestmark = pytest.mark.django_db

ORDER_FIELDS = """
    id number status statusDisplay chargeStatus paymentStatus authorizeStatus isPaid userEmail pricedAsMember
    paymentDueAt origin checkoutId isShippingRequired shippingMethodName voucherCode customerNote
    user { email }
    channel { slug }
    total { gross { amount currency } net { amount } }
    subtotal { gross { amount } }
    undiscountedTotal { gross { amount } }
    shippingPrice { gross { amount } }
    totalCharged { amount }
    totalBalance { amount }
    allowanceAmount { amount }
    shippingAddress { lastName firstName city countryArea streetAddress1 }
    lines {
        id productName variantName productSku productVariantId quantity quantityFulfilled quantityToFulfill
        unitPrice { gross { amount } } undiscountedUnitPrice { gross { amount } } unitDiscount { amount }
        totalPrice { gross { amount } } memberPrice { amount } allowanceAmount { amount } merchantName
        variant { id sku }
    }
    events { type user { email } message }
    fulfillments { id }
"""

COMPLETE = f"""
mutation Complete($id: ID, $checkoutId: ID, $token: UUID) {{
  checkoutComplete(id: $id, checkoutId: $checkoutId, token: $token) {{
    order {{ {ORDER_FIELDS} }}
    confirmationNeeded
    confirmationData
    errors {{ field code message variants }}
  }}
}}"""


def checkout_id(checkout) -> str:
    return to_global_id("Checkout", checkout.pk)


def complete(client: GraphQLClient, checkout) -> dict:
    return client.data(COMPLETE, {"id": checkout_id(checkout)})["checkoutComplete"]


@pytest.fixture
def member_api(member):
    return api_for(member)


def test_a_member_completes_a_checkout_and_gets_the_order_with_its_snapshot(shop, member, member_api, tea, rice):
    checkout = make_checkout(shop, [(tea, 2), (rice, 1)], user=member, email="member@example.com")

    payload = complete(member_api, checkout)

    assert payload["errors"] == []
    assert payload["confirmationNeeded"] is False and payload["confirmationData"] is None
    order = payload["order"]
    saved = Order.objects.get()
    assert order["id"] == to_global_id("Order", saved.pk)
    assert order["number"] == str(saved.number)
    assert (order["status"], order["statusDisplay"]) == ("UNCONFIRMED", "待确认")
    assert (order["chargeStatus"], order["paymentStatus"], order["authorizeStatus"]) == (
        "NONE",
        "NOT_CHARGED",
        "NONE",
    )
    assert order["isPaid"] is False and order["pricedAsMember"] is True
    assert order["paymentDueAt"] is not None
    assert order["userEmail"] == "member@example.com" and order["user"] == {"email": "member@example.com"}
    assert order["checkoutId"] == checkout_id(checkout)
    assert order["origin"] == "CHECKOUT" and order["isShippingRequired"] is True
    assert order["channel"] == {"slug": shop.channel.slug}
    assert order["total"] == {"gross": {"amount": 100.0, "currency": "CNY"}, "net": {"amount": 100.0}}
    assert order["subtotal"]["gross"]["amount"] == 100.0
    assert order["undiscountedTotal"]["gross"]["amount"] == 110.0
    assert order["shippingPrice"]["gross"]["amount"] == 0.0
    assert order["totalBalance"] == {"amount": -100.0}
    assert order["shippingMethodName"] == "快递"
    assert order["shippingAddress"]["city"] == "深圳市"
    tea_line = order["lines"][0]
    assert tea_line["productName"] == "普洱茶" and tea_line["productSku"] == tea.sku
    assert tea_line["productVariantId"] == to_global_id("ProductVariant", tea.pk)
    assert (tea_line["quantity"], tea_line["quantityFulfilled"], tea_line["quantityToFulfill"]) == (2, 0, 2)
    assert tea_line["unitPrice"]["gross"]["amount"] == 25.0
    assert tea_line["undiscountedUnitPrice"]["gross"]["amount"] == 30.0
    assert tea_line["unitDiscount"] == {"amount": 5.0}
    assert tea_line["memberPrice"] == {"amount": 25.0}
    assert tea_line["totalPrice"]["gross"]["amount"] == 50.0
    assert tea_line["variant"] == {"id": to_global_id("ProductVariant", tea.pk), "sku": tea.sku}
    assert order["lines"][1]["memberPrice"] is None
    assert [event["type"] for event in order["events"]][:1] == ["PLACED"]
    assert order["events"][0]["user"] == {"email": "member@example.com"}


def test_completing_twice_over_the_api_returns_the_same_order(shop, member, member_api, tea):
    checkout = make_checkout(shop, [(tea, 1)], user=member)

    first = complete(member_api, checkout)["order"]["id"]
    second = member_api.data(COMPLETE, {"checkoutId": checkout_id(checkout)})["checkoutComplete"]
    third = member_api.data(COMPLETE, {"token": str(checkout.pk)})["checkoutComplete"]

    assert second["errors"] == [] and third["errors"] == []
    assert second["order"]["id"] == third["order"]["id"] == first
    assert Order.objects.count() == 1 and stock_of(tea) == (10, 1)


def test_a_guest_completes_at_list_prices_and_gets_the_confirmation_email(
    api, shop, tea, django_capture_on_commit_callbacks
):
    checkout = make_checkout(shop, [(tea, 1)], email="guest@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        order = complete(api, checkout)["order"]

    assert order["user"] is None and order["pricedAsMember"] is False
    assert order["total"]["gross"]["amount"] == 40.0
    [message] = mail.outbox
    assert message.to == ["guest@example.com"] and order["number"] in message.subject


def test_refusals_come_back_as_checkout_errors_and_change_nothing(api, shop, tea):
    no_email = make_checkout(shop, [(tea, 1)], email=None)
    too_many = make_checkout(shop, [(tea, 11)])

    email_error = complete(api, no_email)
    stock_error = complete(api, too_many)

    assert email_error["order"] is None
    assert email_error["errors"] == [
        {"field": "email", "code": "EMAIL_NOT_SET", "message": "请填写电子邮箱。", "variants": None}
    ]
    assert stock_error["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert stock_error["errors"][0]["variants"] == [to_global_id("ProductVariant", tea.pk)]
    assert Order.objects.count() == 0 and Checkout.objects.count() == 2
    assert stock_of(tea) == (10, 0)


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({}, "GRAPHQL_ERROR", "id"),
        ({"id": "not-an-id"}, "GRAPHQL_ERROR", "id"),
        ({"id": to_global_id("Product", 1)}, "GRAPHQL_ERROR", "id"),
        ({"id": to_global_id("Checkout", "00000000-0000-0000-0000-000000000000")}, "NOT_FOUND", "id"),
    ],
)
def test_bad_checkout_ids_are_field_errors(api, variables, code, field):
    payload = api.data(COMPLETE, variables)["checkoutComplete"]
    assert payload["order"] is None
    assert [(error["code"], error["field"]) for error in payload["errors"]] == [(code, field)]


def test_someone_elses_checkout_is_not_found(shop, member, other_member, tea):
    checkout = make_checkout(shop, [(tea, 1)], user=member)

    payload = complete(api_for(other_member), checkout)

    assert [error["code"] for error in payload["errors"]] == ["NOT_FOUND"]
    assert Order.objects.count() == 0


# --- Reading orders -------------------------------------------------------------------------
ORDER = "query Order($id: ID!) { order(id: $id) { id number lines { productName } } }"
MY_ORDERS = "{ me { orders(first: 20) { totalCount edges { node { number status } } } } }"
STAFF_ORDERS = """
query Orders($filter: OrderFilterInput, $sortBy: OrderSortingInput, $search: String) {
  orders(first: 20, filter: $filter, sortBy: $sortBy, search: $search) {
    totalCount edges { node { number status chargeStatus userEmail } }
  }
}"""


@pytest.fixture
def member_order(shop, member, tea):
    order, _ = complete_checkout(make_checkout(shop, [(tea, 1)], user=member), user=member)
    return order


def test_the_owner_and_order_staff_see_an_order_nobody_else_does(
    api, member_api, member_order, other_member, order_manager
):
    variables = {"id": to_global_id("Order", member_order.pk)}

    assert member_api.data(ORDER, variables)["order"]["number"] == str(member_order.number)
    assert api_for(order_manager).data(ORDER, variables)["order"]["lines"] == [{"productName": "普洱茶"}]
    assert api_for(other_member).data(ORDER, variables)["order"] is None
    assert api.data(ORDER, variables)["order"] is None


def test_a_bad_order_id_is_an_error(member_api):
    assert "Couldn't resolve id" in member_api.error(ORDER, {"id": "nonsense"})
    assert member_api.error(ORDER, {"id": to_global_id("Product", 3)}) == "Must receive a Order id."


def test_me_orders_lists_only_my_orders_newest_first(shop, member, member_api, other_member, tea):
    mine = [complete_checkout(make_checkout(shop, [(tea, 1)], user=member), user=member)[0] for _ in range(2)]
    complete_checkout(make_checkout(shop, [(tea, 1)], user=other_member), user=other_member)

    orders = member_api.data(MY_ORDERS)["me"]["orders"]

    assert orders["totalCount"] == 2
    assert [edge["node"]["number"] for edge in orders["edges"]] == [str(mine[1].number), str(mine[0].number)]


def test_only_order_staff_list_every_order(api, member_api, member_order, shop, tea, order_manager):
    complete_checkout(make_checkout(shop, [(tea, 1)], email="guest@example.com"), user=None)
    staff = api_for(order_manager)

    everything = staff.data(STAFF_ORDERS)["orders"]
    by_email = staff.data(STAFF_ORDERS, {"filter": {"customer": "guest@"}})["orders"]
    unconfirmed = staff.data(STAFF_ORDERS, {"filter": {"status": ["UNCONFIRMED"]}})["orders"]
    by_number = staff.data(STAFF_ORDERS, {"search": str(member_order.number)})["orders"]
    oldest_first = staff.data(STAFF_ORDERS, {"sortBy": {"field": "NUMBER", "direction": "ASC"}})["orders"]

    assert everything["totalCount"] == 2
    assert [edge["node"]["userEmail"] for edge in by_email["edges"]] == ["guest@example.com"]
    assert unconfirmed["totalCount"] == 2
    assert [edge["node"]["number"] for edge in by_number["edges"]] == [str(member_order.number)]
    assert oldest_first["edges"][0]["node"]["number"] == str(member_order.number)
    assert "MANAGE_ORDERS" in member_api.error(STAFF_ORDERS)
    assert "MANAGE_ORDERS" in api.error(STAFF_ORDERS)


def test_order_staff_filter_by_payment_status(member_order, shop, tea, order_manager):
    paid, _ = complete_checkout(make_checkout(shop, [(tea, 1)], email="paid@example.com"), user=None)
    pay(paid)

    result = api_for(order_manager).data(STAFF_ORDERS, {"filter": {"paymentStatus": ["FULLY_CHARGED"]}})["orders"]

    assert [edge["node"]["number"] for edge in result["edges"]] == [str(paid.number)]
    assert result["edges"][0]["node"]["chargeStatus"] == "FULL"


# --- Cancel and fulfil -----------------------------------------------------------------------------
CUSTOMER_CANCEL = """
mutation Cancel($id: ID!) {
  customerOrderCancel(id: $id) { order { status events { type } } errors { field code message } }
}"""
STAFF_CANCEL = """
mutation Cancel($id: ID!) { orderCancel(id: $id) { order { status } errors { field code message } } }
"""
FULFILL = """
mutation Fulfill($order: ID, $input: OrderFulfillInput!) {
  orderFulfill(order: $order, input: $input) {
    fulfillments { fulfillmentOrder status trackingNumber lines { quantity orderLine { productName } } }
    order { status lines { quantityFulfilled } }
    errors { field code message orderLines warehouse }
  }
}"""


def test_the_owner_cancels_an_unpaid_order_over_the_api(member_api, member_order, tea):
    payload = member_api.data(CUSTOMER_CANCEL, {"id": to_global_id("Order", member_order.pk)})["customerOrderCancel"]

    assert payload["errors"] == []
    assert payload["order"]["status"] == "CANCELED"
    assert [event["type"] for event in payload["order"]["events"]][-2:] == ["CANCELED", "ALLOCATION_RELEASED"]
    assert stock_of(tea) == (10, 0)


def test_a_paid_order_is_not_canceled_by_its_owner(member_api, member_order, tea):
    pay(member_order)

    payload = member_api.data(CUSTOMER_CANCEL, {"id": to_global_id("Order", member_order.pk)})["customerOrderCancel"]

    assert payload["order"] is None
    assert [(error["field"], error["code"]) for error in payload["errors"]] == [("id", "CANNOT_CANCEL_ORDER")]
    assert stock_of(tea) == (10, 1)


def test_someone_elses_order_cannot_be_canceled_as_a_customer(api, member_order, other_member, tea):
    variables = {"id": to_global_id("Order", member_order.pk)}

    payload = api_for(other_member).data(CUSTOMER_CANCEL, variables)["customerOrderCancel"]
    assert [error["code"] for error in payload["errors"]] == ["NOT_FOUND"]
    assert "authenticated" in api.error(CUSTOMER_CANCEL, variables)
    assert Order.objects.get().status == OrderStatus.UNCONFIRMED and stock_of(tea) == (10, 1)


def test_order_cancel_needs_manage_orders(member_api, member_order, order_manager):
    variables = {"id": to_global_id("Order", member_order.pk)}

    assert "MANAGE_ORDERS" in member_api.error(STAFF_CANCEL, variables)
    payload = api_for(order_manager).data(STAFF_CANCEL, variables)["orderCancel"]

    assert payload == {"order": {"status": "CANCELED"}, "errors": []}


def fulfill_input(order, quantity, warehouse) -> dict:
    line = order.lines.get()
    return {
        "order": to_global_id("Order", order.pk),
        "input": {
            "lines": [
                {
                    "orderLineId": to_global_id("OrderLine", line.pk),
                    "stocks": [{"quantity": quantity, "warehouse": to_global_id("Warehouse", warehouse.pk)}],
                }
            ],
            "trackingNumber": "SF1234567890",
            "notifyCustomer": True,
        },
    }


def test_order_staff_fulfil_a_paid_order_and_the_customer_is_told(
    member_order, order_manager, shop, tea, django_capture_on_commit_callbacks
):
    pay(member_order)

    with django_capture_on_commit_callbacks(execute=True):
        payload = api_for(order_manager).data(FULFILL, fulfill_input(member_order, 1, shop.warehouse))["orderFulfill"]

    assert payload["errors"] == []
    assert payload["fulfillments"] == [
        {
            "fulfillmentOrder": 1,
            "status": "FULFILLED",
            "trackingNumber": "SF1234567890",
            "lines": [{"quantity": 1, "orderLine": {"productName": "普洱茶"}}],
        }
    ]
    assert payload["order"] == {"status": "FULFILLED", "lines": [{"quantityFulfilled": 1}]}
    assert stock_of(tea) == (9, 0)
    [message] = mail.outbox
    assert "SF1234567890" in message.body
    assert OrderEventType.FULFILLMENT_FULFILLED_ITEMS in member_order.events.values_list("type", flat=True)


def test_fulfilling_an_unpaid_order_is_an_order_error(member_order, order_manager, shop, tea, member_api):
    variables = fulfill_input(member_order, 1, shop.warehouse)

    payload = api_for(order_manager).data(FULFILL, variables)["orderFulfill"]

    assert [(error["field"], error["code"]) for error in payload["errors"]] == [
        ("order", "CANNOT_FULFILL_UNPAID_ORDER")
    ]
    assert stock_of(tea) == (10, 1)
    assert "MANAGE_ORDERS" in member_api.error(FULFILL, variables)


def test_fulfilling_more_than_ordered_names_the_line(member_order, order_manager, shop):
    pay(member_order)

    payload = api_for(order_manager).data(FULFILL, fulfill_input(member_order, 2, shop.warehouse))["orderFulfill"]

    [error] = payload["errors"]
    assert error["code"] == "FULFILL_ORDER_LINE"
    assert error["orderLines"] == [to_global_id("OrderLine", member_order.lines.get().pk)]
