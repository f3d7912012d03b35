"""The payment mutations over HTTP, as Saleor's storefront and dashboard call them, against localstripe."""

import base64
import uuid
from decimal import Decimal

import pytest
from django.test import Client

from mall.graphql.dataloaders import note_siblings
from mall.permissions import PermissionEnum
from orders.models import GrantedRefundStatus, OrderChargeStatus, OrderGrantedRefund
from payments import services
from payments.graphql.dataloaders import EventsByTransactionIdLoader, TransactionsByOrderIdLoader
from payments.models import STRIPE_GATEWAY, TransactionItem
from tests.graphql.conftest import GraphQLClient
from tests.payments import factories

pytestmark = pytest.mark.django_db

GATEWAY_INITIALIZE = """
mutation($id: ID!, $gateways: [PaymentGatewayToInitialize!]) {
  paymentGatewayInitialize(id: $id, paymentGateways: $gateways) {
    gatewayConfigs { id data errors { field code message } }
    errors { field code message }
  }
}
"""

TRANSACTION_FIELDS = """
  id token name message pspReference actions
  chargedAmount { amount currency } chargePendingAmount { amount } refundedAmount { amount }
  canceledAmount { amount } authorizedAmount { amount }
  events { id type amount { amount currency } pspReference message idempotencyKey createdBy { ... on User { email } } }
"""

INITIALIZE = f"""
mutation($id: ID!, $amount: PositiveDecimal, $gateway: PaymentGatewayToInitialize!, $key: String) {{
  transactionInitialize(id: $id, amount: $amount, paymentGateway: $gateway, idempotencyKey: $key) {{
    transaction {{ {TRANSACTION_FIELDS} }}
    transactionEvent {{ type amount {{ amount }} message }}
    data
    errors {{ field code message }}
  }}
}}
"""

PROCESS = f"""
mutation($id: ID!) {{
  transactionProcess(id: $id) {{
    transaction {{ {TRANSACTION_FIELDS} }}
    transactionEvent {{ type amount {{ amount }} }}
    data
    errors {{ field code message }}
  }}
}}
"""

REQUEST_ACTION = """
mutation($id: ID!, $action: TransactionActionEnum!, $amount: PositiveDecimal) {
  transactionRequestAction(id: $id, actionType: $action, amount: $amount) {
    transaction { chargedAmount { amount } refundedAmount { amount } canceledAmount { amount } actions }
    errors { field code message }
  }
}
"""

GRANT_REFUND = """
mutation($id: ID!, $input: OrderGrantRefundCreateInput!) {
  orderGrantRefundCreate(id: $id, input: $input) {
    grantedRefund { id amount { amount } status reason shippingCostsIncluded lines { quantity }
                    transaction { id refundedAmount { amount } } transactionEvents { type amount { amount } } }
    errors { field code message lines { lineId code } }
  }
}
"""

TRANSACTION = f"""
query($id: ID!) {{ transaction(id: $id) {{ {TRANSACTION_FIELDS} }} }}
"""

STRIPE_CARD = {"id": STRIPE_GATEWAY, "data": {"paymentIntent": {"paymentMethod": "card"}}}


def global_id(type_name: str, pk) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def api_for(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


@pytest.fixture
def guest_api():
    return GraphQLClient(Client())


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("buyer@example.com", factories.PASSWORD)


@pytest.fixture
def member_api(member):
    return api_for(member)


@pytest.fixture
def clerk(django_user_model):
    user = django_user_model.objects.create_user("clerk@example.com", factories.PASSWORD, is_staff=True)
    return factories.grant(user, PermissionEnum.MANAGE_ORDERS)


@pytest.fixture
def clerk_api(clerk):
    return api_for(clerk)


@pytest.fixture
def order(channel, member):
    return factories.order(channel=channel, user=member, lines=[("五常大米", 2, "45.50", "0.00")], shipping="8.00")


@pytest.fixture
def paid_order(order, member_api, stripe_settings, shopper_stripe):
    started = member_api.data(INITIALIZE, {"id": global_id("Order", order.pk), "gateway": STRIPE_CARD})
    transaction = started["transactionInitialize"]["transaction"]
    shopper_stripe.pay(transaction["pspReference"])
    member_api.data(PROCESS, {"id": transaction["id"]})
    order.refresh_from_db()
    return order, transaction["id"]


def test_a_member_pays_an_order_through_the_stripe_apps_flow(order, member_api, stripe_settings, shopper_stripe):
    order_id = global_id("Order", order.pk)

    configs = member_api.data(GATEWAY_INITIALIZE, {"id": order_id, "gateways": [{"id": STRIPE_GATEWAY}]})
    started = member_api.data(INITIALIZE, {"id": order_id, "gateway": STRIPE_CARD})["transactionInitialize"]
    shopper_stripe.pay(started["transaction"]["pspReference"])
    processed = member_api.data(PROCESS, {"id": started["transaction"]["id"]})["transactionProcess"]

    assert configs["paymentGatewayInitialize"]["gatewayConfigs"] == [
        {"id": STRIPE_GATEWAY, "data": {"stripePublishableKey": "pk_test_union_mall_localstripe"}, "errors": []}
    ]
    assert started["errors"] == []
    intent = shopper_stripe.intent(started["transaction"]["pspReference"])
    assert started["data"] == {"paymentIntent": {"stripeClientSecret": intent.client_secret}}
    assert started["transactionEvent"]["type"] == "CHARGE_ACTION_REQUIRED"
    assert processed["transactionEvent"] == {"type": "CHARGE_SUCCESS", "amount": {"amount": 99.0}}
    assert processed["transaction"]["chargedAmount"] == {"amount": 99.0, "currency": "CNY"}
    assert processed["transaction"]["actions"] == ["REFUND"]
    assert processed["data"] == started["data"]
    order.refresh_from_db()
    assert order.charge_status == OrderChargeStatus.FULL


def test_a_guest_pays_an_anonymous_checkout_by_its_id(guest_api, channel, stripe_settings, shopper_stripe):
    checkout = factories.checkout(channel=channel, price="30.00", quantity=2)

    started = guest_api.data(INITIALIZE, {"id": global_id("Checkout", checkout.token), "gateway": STRIPE_CARD})
    transaction = started["transactionInitialize"]["transaction"]
    shopper_stripe.pay(transaction["pspReference"])
    processed = guest_api.data(PROCESS, {"id": transaction["id"]})["transactionProcess"]

    assert processed["transaction"]["chargedAmount"]["amount"] == 60.0
    assert TransactionItem.objects.get().checkout_id == checkout.token


def test_an_unknown_gateway_is_not_found(order, member_api, stripe_settings):
    result = member_api.data(
        INITIALIZE, {"id": global_id("Order", order.pk), "gateway": {"id": "mirumee.payments.dummy"}}
    )["transactionInitialize"]

    assert result["errors"] == [
        {
            "field": "paymentGateway",
            "code": "NOT_FOUND",
            "message": "Active app with `mirumee.payments.dummy` identifier not found.",
        }
    ]
    assert not TransactionItem.objects.exists()


def test_gateway_initialize_reports_an_unknown_gateway_in_its_config(order, member_api, stripe_settings):
    result = member_api.data(
        GATEWAY_INITIALIZE, {"id": global_id("Order", order.pk), "gateways": [{"id": "mirumee.payments.dummy"}]}
    )["paymentGatewayInitialize"]

    assert result["gatewayConfigs"][0]["data"] is None
    assert result["gatewayConfigs"][0]["errors"][0]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("variables", "field", "code"),
    [
        ({"amount": 0}, "amount", "INVALID"),
        ({"amount": -3}, "amount", "INVALID"),
        ({"amount": "99.01"}, "amount", "INVALID"),
        ({"id": "not-an-id"}, "id", "GRAPHQL_ERROR"),
        ({"id": global_id("Product", 1)}, "id", "GRAPHQL_ERROR"),
        ({"id": global_id("Order", "00000000-0000-0000-0000-000000000000")}, "id", "NOT_FOUND"),
        ({"gateway": {"id": STRIPE_GATEWAY, "data": {"paymentIntent": {}}}, "key": ""}, "idempotencyKey", "INVALID"),
    ],
)
def test_bad_input_is_a_field_error_and_creates_nothing(order, member_api, stripe_settings, variables, field, code):
    request = {"id": global_id("Order", order.pk), "gateway": STRIPE_CARD, **variables}

    result = member_api.data(INITIALIZE, request)["transactionInitialize"]

    assert [(error["field"], error["code"]) for error in result["errors"]] == [(field, code)]
    assert result["transaction"] is None
    assert not TransactionItem.objects.exists()


def test_malformed_stripe_data_is_a_parse_error_in_data(order, member_api, stripe_settings):
    gateway = {"id": STRIPE_GATEWAY, "data": {"paymentIntent": {"paymentMethod": "card"}, "extra": 1}}

    result = member_api.data(INITIALIZE, {"id": global_id("Order", order.pk), "gateway": gateway})

    payload = result["transactionInitialize"]
    assert payload["errors"] == []
    assert payload["data"]["paymentIntent"]["errors"][0]["code"] == "ParseError"
    assert payload["transactionEvent"]["type"] == "CHARGE_FAILURE"


def test_someone_elses_order_cannot_be_paid_or_read(order, paid_order, django_user_model, stripe_settings):
    stranger = api_for(django_user_model.objects.create_user("stranger@example.com", factories.PASSWORD))
    _, transaction_id = paid_order

    started = stranger.data(INITIALIZE, {"id": global_id("Order", order.pk), "gateway": STRIPE_CARD})
    read = stranger.data(TRANSACTION, {"id": transaction_id})
    processed = stranger.data(PROCESS, {"id": transaction_id})

    assert started["transactionInitialize"]["errors"][0]["code"] == "NOT_FOUND"
    assert read["transaction"] is None
    assert processed["transactionProcess"]["errors"][0]["code"] == "NOT_FOUND"
    assert TransactionItem.objects.count() == 1


def test_a_member_reads_their_payment_but_not_which_clerk_refunded_it(paid_order, member_api, clerk):
    order, transaction_id = paid_order
    services.refund(order, amount=Decimal("10.00"), by=clerk)

    transaction = member_api.data(TRANSACTION, {"id": transaction_id})["transaction"]

    refund_events = [event for event in transaction["events"] if event["type"].startswith("REFUND")]
    assert [event["type"] for event in refund_events] == ["REFUND_REQUEST", "REFUND_SUCCESS"]
    assert all(event["createdBy"] is None for event in refund_events)
    request = next(event for event in transaction["events"] if event["type"] == "CHARGE_REQUEST")
    assert request["createdBy"] == {"email": "buyer@example.com"}
    assert transaction["chargedAmount"]["amount"] == 89.0
    assert transaction["refundedAmount"]["amount"] == 10.0


def test_a_clerk_grants_a_refund_of_a_line_on_the_paid_transaction(paid_order, clerk_api, shopper_stripe):
    order, transaction_id = paid_order
    line = order.lines.get()

    result = clerk_api.data(
        GRANT_REFUND,
        {
            "id": global_id("Order", order.pk),
            "input": {
                "reason": "破损",
                "transactionId": transaction_id,
                "lines": [{"id": global_id("OrderLine", line.pk), "quantity": 1}],
            },
        },
    )["orderGrantRefundCreate"]

    assert result["errors"] == []
    granted = result["grantedRefund"]
    assert (granted["amount"], granted["status"], granted["reason"]) == ({"amount": 45.5}, "SUCCESS", "破损")
    assert granted["lines"] == [{"quantity": 1}]
    assert granted["transaction"] == {"id": transaction_id, "refundedAmount": {"amount": 45.5}}
    assert [event["type"] for event in granted["transactionEvents"]] == ["REFUND_REQUEST", "REFUND_SUCCESS"]
    order.refresh_from_db()
    assert order.charge_status == OrderChargeStatus.FULL


def test_a_grant_for_more_than_can_be_refunded_is_refused(paid_order, clerk_api):
    order, _ = paid_order

    result = clerk_api.data(GRANT_REFUND, {"id": global_id("Order", order.pk), "input": {"amount": "100.00"}})

    assert result["orderGrantRefundCreate"]["errors"][0]["code"] == "AMOUNT_GREATER_THAN_AVAILABLE"
    assert not OrderGrantedRefund.objects.exists()


def test_a_grant_for_too_many_units_names_the_line(paid_order, clerk_api):
    order, _ = paid_order
    line_id = global_id("OrderLine", order.lines.get().pk)

    result = clerk_api.data(
        GRANT_REFUND, {"id": global_id("Order", order.pk), "input": {"lines": [{"id": line_id, "quantity": 3}]}}
    )

    errors = result["orderGrantRefundCreate"]["errors"]
    assert errors[0]["lines"] == [{"lineId": line_id, "code": "QUANTITY_GREATER_THAN_AVAILABLE"}]
    assert not OrderGrantedRefund.objects.exists()


def test_a_member_cannot_grant_themselves_a_refund(paid_order, member_api):
    order, _ = paid_order

    message = member_api.error(GRANT_REFUND, {"id": global_id("Order", order.pk), "input": {"amount": "10.00"}})

    assert message == "You need one of the following permissions: MANAGE_ORDERS"
    assert not OrderGrantedRefund.objects.exists()


def test_a_clerk_refunds_part_of_a_transaction(paid_order, clerk_api, shopper_stripe):
    _, transaction_id = paid_order

    result = clerk_api.data(REQUEST_ACTION, {"id": transaction_id, "action": "REFUND", "amount": "9.00"})

    transaction = result["transactionRequestAction"]["transaction"]
    assert (transaction["chargedAmount"], transaction["refundedAmount"]) == ({"amount": 90.0}, {"amount": 9.0})


def test_a_clerk_cancels_a_payment_not_yet_made(order, member_api, clerk_api, stripe_settings, shopper_stripe):
    started = member_api.data(INITIALIZE, {"id": global_id("Order", order.pk), "gateway": STRIPE_CARD})
    transaction = started["transactionInitialize"]["transaction"]

    result = clerk_api.data(REQUEST_ACTION, {"id": transaction["id"], "action": "CANCEL"})

    assert result["transactionRequestAction"]["transaction"]["canceledAmount"] == {"amount": 99.0}
    assert shopper_stripe.intent(transaction["pspReference"]).status == "canceled"


@pytest.mark.parametrize(("action", "amount"), [("CHARGE", None), ("REFUND", "99.01"), ("CANCEL", None)])
def test_an_action_the_payment_cannot_take_is_a_field_error(paid_order, clerk_api, action, amount):
    _, transaction_id = paid_order

    result = clerk_api.data(REQUEST_ACTION, {"id": transaction_id, "action": action, "amount": amount})

    assert result["transactionRequestAction"]["errors"][0]["code"] == "INVALID"
    assert TransactionItem.objects.get().amount_refunded == Decimal("0.00")


def test_a_member_cannot_refund_their_own_payment(paid_order, member_api):
    _, transaction_id = paid_order

    message = member_api.error(REQUEST_ACTION, {"id": transaction_id, "action": "REFUND"})

    assert message == "You need one of the following permissions: HANDLE_PAYMENTS, MANAGE_ORDERS"


def test_a_granted_refund_already_carried_out_is_not_refunded_again(paid_order, clerk, clerk_api):
    order, _ = paid_order
    granted = services.refund(order, amount=Decimal("5.00"), by=clerk)

    result = clerk_api.data(
        "mutation($id: ID!) { transactionRequestRefundForGrantedRefund(grantedRefundId: $id) "
        "{ errors { field code } } }",
        {"id": global_id("OrderGrantedRefund", granted.pk)},
    )

    assert result["transactionRequestRefundForGrantedRefund"]["errors"] == [
        {"field": "grantedRefundId", "code": "REFUND_ALREADY_PROCESSED"}
    ]
    assert OrderGrantedRefund.objects.get().status == GrantedRefundStatus.SUCCESS


def _transaction_with_events(order, count: int) -> TransactionItem:
    item = TransactionItem.objects.create(order=order, name="Stripe", psp_reference=f"pi_{uuid.uuid4().hex}")
    for index in range(count):
        item.events.create(type="INFO", message=f"第 {index} 条")
    return item


@pytest.mark.parametrize("events", [1, 6])
def test_reading_a_transaction_costs_the_same_whatever_its_events(order, member_api, django_assert_num_queries, events):
    item = _transaction_with_events(order, events)
    variables = {"id": global_id("TransactionItem", item.pk)}
    member_api.data(TRANSACTION, variables)  # warm: session and content types

    # session + user, transaction with order, events with their authors
    with django_assert_num_queries(4):
        result = member_api.data(TRANSACTION, variables)

    assert len(result["transaction"]["events"]) == events


@pytest.mark.parametrize("orders", [1, 4])
def test_the_order_loader_reads_a_pages_transactions_and_events_in_two_queries(
    channel, member, rf, django_assert_num_queries, orders
):
    made = [factories.order(channel=channel, user=member) for _ in range(orders)]
    for each in made:
        _transaction_with_events(each, 2)
    context = rf.post("/graphql/")
    note_siblings(context, "order", [each.pk for each in made])

    with django_assert_num_queries(2):
        for each in made:
            for item in TransactionsByOrderIdLoader(context).load(each.pk):
                assert len(EventsByTransactionIdLoader(context).load(item.pk)) == 2


def test_a_payment_names_the_order_it_paid_and_a_grant_returns_the_order(paid_order, member_api, clerk_api):
    order, transaction_id = paid_order

    read = member_api.data(
        "query($id: ID!) { transaction(id: $id) { order { id number isPaid } checkout { id } } }",
        {"id": transaction_id},
    )["transaction"]
    granted = clerk_api.data(
        """mutation($id: ID!, $input: OrderGrantRefundCreateInput!) {
          orderGrantRefundCreate(id: $id, input: $input) { order { id totalCharged { amount } } errors { code } }
        }""",
        {"id": global_id("Order", order.pk), "input": {"amount": "9.00", "reason": "少发一件"}},
    )["orderGrantRefundCreate"]

    assert read == {
        "order": {"id": global_id("Order", order.pk), "number": str(order.number), "isPaid": True},
        "checkout": None,
    }
    assert granted["errors"] == []
    assert granted["order"] == {"id": global_id("Order", order.pk), "totalCharged": {"amount": 90.0}}


def test_a_checkouts_payment_names_its_checkout(guest_api, channel, stripe_settings):
    checkout = factories.checkout(channel=channel, price="30.00", quantity=2)
    checkout_id = global_id("Checkout", checkout.pk)
    started = guest_api.data(INITIALIZE, {"id": checkout_id, "gateway": STRIPE_CARD})["transactionInitialize"]

    read = guest_api.data(
        "query($id: ID!) { transaction(id: $id) { order { id } checkout { id } } }",
        {"id": started["transaction"]["id"]},
    )["transaction"]

    assert read == {"order": None, "checkout": {"id": checkout_id}}
