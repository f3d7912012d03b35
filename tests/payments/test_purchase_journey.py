"""A verified member's whole purchase over GraphQL, as Saleor's storefront makes it: a Bearer token from
tokenCreate, the checkout mutations, part paid from the welfare allowance, the rest through the Stripe app's
transaction flow against localstripe, then checkoutComplete. And the mall's 下单-then-pay order of the same."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from allowances.models import AllowanceEntry
from allowances.services import issue_allowance
from catalog.models import Stock
from demo.buying import seed_buying
from mall.permissions import PermissionEnum
from members.models import MemberProfile
from payments.models import STRIPE_GATEWAY
from tests import factories
from tests.graphql.conftest import GraphQLClient
from tests.payments import factories as payment_factories

PASSWORD = "pass-1234-word"
ADDRESS = {
    "firstName": "晓梅",
    "lastName": "李",
    "streetAddress1": "深南大道 10000 号",
    "city": "深圳市",
    "cityArea": "南山区",
    "countryArea": "广东省",
    "postalCode": "518057",
    "country": "CN",
    "phone": "+8613800138000",
}
CARD = {"id": STRIPE_GATEWAY, "data": {"paymentIntent": {"paymentMethod": "card"}}}

TOKEN_CREATE = "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token errors { code } } }"
CHECKOUT_FIELDS = """
  id
  lines { quantity unitPrice { gross { amount } } undiscountedUnitPrice { amount } totalPrice { gross { amount } } }
  subtotalPrice { gross { amount } } shippingPrice { gross { amount } } totalPrice { gross { amount currency } }
  shippingMethods { id name price { amount } }
  allowanceAmount { amount }
  availablePaymentGateways { id }
"""
CHECKOUT_CREATE = f"""
mutation($input: CheckoutCreateInput!) {{
  checkoutCreate(input: $input) {{ checkout {{ {CHECKOUT_FIELDS} }} errors {{ field code }} }}
}}"""
DELIVERY = f"""
mutation($id: ID!, $method: ID!) {{
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {{
    checkout {{ {CHECKOUT_FIELDS} }} errors {{ code }}
  }}
}}"""
ALLOWANCE = f"""
mutation($id: ID!, $amount: Decimal) {{
  checkoutAllowanceApply(id: $id, amount: $amount) {{ checkout {{ {CHECKOUT_FIELDS} }} errors {{ field code }} }}
}}"""
GATEWAYS = """
mutation($id: ID!) {
  paymentGatewayInitialize(id: $id, paymentGateways: [{id: "saleor.app.payment.stripe"}]) {
    gatewayConfigs { id data } errors { code }
  }
}"""
INITIALIZE = """
mutation($id: ID!, $gateway: PaymentGatewayToInitialize!) {
  transactionInitialize(id: $id, paymentGateway: $gateway) {
    transaction { id pspReference } transactionEvent { type } data errors { field code }
  }
}"""
PROCESS = """
mutation($id: ID!) {
  transactionProcess(id: $id) { transaction { chargedAmount { amount } } transactionEvent { type } errors { code } }
}"""
ORDER_FIELDS = """
  id number status chargeStatus isPaid paymentDueAt pricedAsMember
  total { gross { amount } } allowanceAmount { amount } totalCharged { amount }
  lines { productName quantity unitPrice { gross { amount } } memberPrice { amount } allowanceAmount { amount } }
  events { type }
"""
COMPLETE = f"""
mutation($id: ID!) {{ checkoutComplete(id: $id) {{ order {{ {ORDER_FIELDS} }} errors {{ field code }} }} }}
"""
ME = """
{ me { orders(first: 10) { edges { node { number isPaid } } } checkouts(first: 5) { edges { node { id } } }
       allowances { balance { amount } } } }
"""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shop(channel, warehouse):
    seed_buying(channel)  # the demo's zones: 标准快递 ¥10, free from ¥99
    tea = factories.product(
        channel=channel, name="普洱茶", price="30.00", member_price="25.00", quantity=5, warehouse=warehouse
    )
    return type("Shop", (), {"channel": channel, "variant": tea.variants.get()})


@pytest.fixture
def member(django_user_model, staff_user):
    user = django_user_model.objects.create_user("li@example.com", PASSWORD, last_name="李", first_name="晓梅")
    MemberProfile.objects.create(
        user=user, number="M-1", verification_status=MemberProfile.VerificationStatus.VERIFIED, id_number_hash="h-1"
    )
    issuer = payment_factories.grant(staff_user, PermissionEnum.MANAGE_ALLOWANCES)
    issue_allowance(
        reason="中秋慰问",
        amount=Decimal("20.00"),
        expires_at=timezone.now() + timedelta(days=30),
        members=[user],
        issued_by=issuer,
    )
    return user


def bearer_api(email: str) -> GraphQLClient:
    token = GraphQLClient(Client()).data(TOKEN_CREATE, {"e": email, "p": PASSWORD})["tokenCreate"]["token"]
    return GraphQLClient(Client(headers={"Authorization": f"Bearer {token}"}))


def ready_checkout(api, shop, *, quantity: int, allowance: str | None = None) -> dict:
    created = api.data(
        CHECKOUT_CREATE,
        {
            "input": {
                "channel": shop.channel.slug,
                "lines": [{"variantId": global_id("ProductVariant", shop.variant.pk), "quantity": quantity}],
                "shippingAddress": ADDRESS,
            }
        },
    )["checkoutCreate"]
    assert created["errors"] == []
    checkout = created["checkout"]
    standard = next(method for method in checkout["shippingMethods"] if method["name"] == "标准快递")
    checkout = api.data(DELIVERY, {"id": checkout["id"], "method": standard["id"]})["checkoutDeliveryMethodUpdate"][
        "checkout"
    ]
    if allowance:
        applied = api.data(ALLOWANCE, {"id": checkout["id"], "amount": allowance})["checkoutAllowanceApply"]
        assert applied["errors"] == []
        checkout = applied["checkout"]
    return checkout


def global_id(type_name: str, pk) -> str:
    from mall.graphql.ids import to_global_id

    return to_global_id(type_name, pk)


def pay(api, shopper_stripe, target_id: str) -> dict:
    started = api.data(INITIALIZE, {"id": target_id, "gateway": CARD})["transactionInitialize"]
    assert started["errors"] == [] and started["data"]["paymentIntent"]["stripeClientSecret"]
    shopper_stripe.pay(started["transaction"]["pspReference"])
    return api.data(PROCESS, {"id": started["transaction"]["id"]})["transactionProcess"]


def test_a_member_pays_the_checkout_then_completes_it_as_saleors_storefront_does(
    shop, member, stripe_settings, shopper_stripe
):
    api = bearer_api("li@example.com")

    checkout = ready_checkout(api, shop, quantity=2, allowance="20.00")
    gateways = api.data(GATEWAYS, {"id": checkout["id"]})["paymentGatewayInitialize"]
    processed = pay(api, shopper_stripe, checkout["id"])
    order = api.data(COMPLETE, {"id": checkout["id"]})["checkoutComplete"]
    again = api.data(COMPLETE, {"id": checkout["id"]})["checkoutComplete"]
    me = api.data(ME)["me"]

    # Member prices: 2 × ¥25 = ¥50, ¥10 shipping below ¥99, ¥20 from the allowance: ¥40 by card.
    assert checkout["lines"] == [
        {
            "quantity": 2,
            "unitPrice": {"gross": {"amount": 25.0}},
            "undiscountedUnitPrice": {"amount": 30.0},
            "totalPrice": {"gross": {"amount": 50.0}},
        }
    ]
    assert (checkout["shippingPrice"]["gross"]["amount"], checkout["allowanceAmount"]["amount"]) == (10.0, 20.0)
    assert checkout["totalPrice"]["gross"] == {"amount": 40.0, "currency": "CNY"}
    assert checkout["availablePaymentGateways"] == [{"id": STRIPE_GATEWAY}]
    assert gateways["gatewayConfigs"][0]["data"] == {"stripePublishableKey": stripe_settings.STRIPE_PUBLISHABLE_KEY}
    assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert processed["transaction"]["chargedAmount"]["amount"] == 40.0

    assert order["errors"] == []
    placed = order["order"]
    assert (placed["status"], placed["chargeStatus"], placed["isPaid"], placed["paymentDueAt"]) == (
        "UNFULFILLED",
        "FULL",
        True,
        None,
    )
    assert (placed["total"]["gross"]["amount"], placed["allowanceAmount"]["amount"]) == (40.0, 20.0)
    assert placed["totalCharged"]["amount"] == 40.0
    assert placed["pricedAsMember"] is True
    assert placed["lines"] == [
        {
            "productName": "普洱茶",
            "quantity": 2,
            "unitPrice": {"gross": {"amount": 25.0}},
            "memberPrice": {"amount": 25.0},
            "allowanceAmount": {"amount": 20.0},
        }
    ]
    assert [event["type"] for event in placed["events"]][:2] == ["PLACED", "ORDER_FULLY_PAID"]
    assert again["order"]["id"] == placed["id"]  # completing twice gives the same order
    assert me["orders"]["edges"] == [{"node": {"number": placed["number"], "isPaid": True}}]
    assert me["checkouts"]["edges"] == []
    assert me["allowances"]["balance"]["amount"] == 0.0
    assert AllowanceEntry.objects.filter(user=member, type="SPEND").count() == 1
    assert Stock.objects.get(product_variant=shop.variant).quantity_allocated == 2


def test_a_member_places_the_order_first_and_pays_it_within_the_hold(shop, member, stripe_settings, shopper_stripe):
    api = bearer_api("li@example.com")
    checkout = ready_checkout(api, shop, quantity=4)

    placed = api.data(COMPLETE, {"id": checkout["id"]})["checkoutComplete"]["order"]
    processed = pay(api, shopper_stripe, placed["id"])
    paid = api.data(f"query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}", {"id": placed["id"]})["order"]

    # 4 × ¥25 = ¥100: free shipping from ¥99; no allowance applied.
    assert (placed["status"], placed["chargeStatus"], placed["isPaid"]) == ("UNCONFIRMED", "NONE", False)
    assert placed["paymentDueAt"] is not None
    assert placed["total"]["gross"]["amount"] == 100.0
    assert processed["transaction"]["chargedAmount"]["amount"] == 100.0
    assert (paid["status"], paid["chargeStatus"], paid["isPaid"], paid["paymentDueAt"]) == (
        "UNFULFILLED",
        "FULL",
        True,
        None,
    )
    assert Stock.objects.get(product_variant=shop.variant).quantity_allocated == 4
