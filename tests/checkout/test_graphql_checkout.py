"""The checkout API over HTTP, in Saleor's shapes: a cart from creation to a chosen delivery method,
every refusal as `errors { field code variants }` with nothing changed, and who may reach a cart."""

from decimal import Decimal

import pytest

from checkout.models import Checkout, CheckoutLine
from mall.graphql.ids import to_global_id
from mall.permissions import PermissionEnum
from tests.checkout.conftest import (
    SHENZHEN,
    URUMQI,
    api_for,
    camel,
    cart,
    checkout_id,
    grant_permissions,
    issue,
    make_voucher,
    method_id,
    variant_id,
)

pytestmark = pytest.mark.django_db

CHECKOUT_FIELDS = """
  id token email quantity isShippingRequired voucherCode discountName
  user { email }
  channel { slug }
  lines {
    id quantity requiresShipping
    variant { id sku product { name } }
    unitPrice { gross { amount currency } }
    undiscountedUnitPrice { amount }
    totalPrice { gross { amount } }
    undiscountedTotalPrice { amount }
  }
  subtotalPrice { gross { amount } }
  shippingPrice { gross { amount } }
  totalPrice { gross { amount currency } net { amount } tax { amount } }
  discount { amount }
  allowanceAmount { amount }
  allowanceBalance { amount }
  shippingAddress { countryArea city cityArea phone }
  billingAddress { city }
  shippingMethods { id name price { amount } minimumDeliveryDays maximumDeliveryDays active freeAbove { amount } }
  availableShippingMethods { id }
  deliveryMethod { __typename ... on ShippingMethod { id name price { amount } } }
  shippingMethod { id }
  availablePaymentGateways { id }
"""
ERRORS = "errors { field message code variants lines addressType }"


def mutation(name: str, arguments: str, variables: str) -> str:
    return f"mutation({variables}) {{ {name}({arguments}) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }} }}"


CREATE = mutation("checkoutCreate", "input: $input", "$input: CheckoutCreateInput!")
LINES_ADD = mutation("checkoutLinesAdd", "id: $id, lines: $lines", "$id: ID!, $lines: [CheckoutLineInput!]!")
LINES_UPDATE = mutation(
    "checkoutLinesUpdate", "id: $id, lines: $lines", "$id: ID!, $lines: [CheckoutLineUpdateInput!]!"
)
LINES_DELETE = mutation("checkoutLinesDelete", "id: $id, linesIds: $ids", "$id: ID!, $ids: [ID!]!")
LINE_DELETE = mutation("checkoutLineDelete", "id: $id, lineId: $lineId", "$id: ID!, $lineId: ID")
EMAIL = mutation("checkoutEmailUpdate", "id: $id, email: $email", "$id: ID!, $email: String!")
SHIPPING_ADDRESS = mutation(
    "checkoutShippingAddressUpdate", "id: $id, shippingAddress: $address", "$id: ID!, $address: AddressInput!"
)
BILLING_ADDRESS = mutation(
    "checkoutBillingAddressUpdate", "id: $id, billingAddress: $address", "$id: ID!, $address: AddressInput!"
)
DELIVERY = mutation("checkoutDeliveryMethodUpdate", "id: $id, deliveryMethodId: $method", "$id: ID!, $method: ID")
SHIPPING_METHOD = mutation(
    "checkoutShippingMethodUpdate", "id: $id, shippingMethodId: $method", "$id: ID!, $method: ID!"
)
ADD_PROMO = mutation("checkoutAddPromoCode", "id: $id, promoCode: $code", "$id: ID!, $code: String!")
REMOVE_PROMO = mutation(
    "checkoutRemovePromoCode", "id: $id, promoCode: $code, promoCodeId: $codeId", "$id: ID!, $code: String, $codeId: ID"
)
ATTACH = mutation("checkoutCustomerAttach", "id: $id, customerId: $customer", "$id: ID!, $customer: ID")
DETACH = mutation("checkoutCustomerDetach", "id: $id", "$id: ID!")
ALLOWANCE_APPLY = mutation("checkoutAllowanceApply", "id: $id, amount: $amount", "$id: ID!, $amount: Decimal")
ALLOWANCE_REMOVE = mutation("checkoutAllowanceRemove", "id: $id", "$id: ID!")
QUERY = f"query($id: ID) {{ checkout(id: $id) {{ {CHECKOUT_FIELDS} }} }}"


def payload(client, query: str, variables: dict) -> dict:
    return next(iter(client.data(query, variables).values()))


def codes(result) -> list:
    return [(error["field"], error["code"]) for error in result["errors"]]


def line_input(variant, quantity: int) -> dict:
    return {"variantId": variant_id(variant), "quantity": quantity}


def amount(money) -> float:
    return money["gross"]["amount"] if "gross" in money else money["amount"]


# --- checkoutCreate --------------------------------------------------------------------------
def test_a_guest_creates_a_checkout_at_list_prices(api, channel, apple_variant):
    result = payload(
        api,
        CREATE,
        {
            "input": {
                "channel": channel.slug,
                "email": "Guest@Example.com",
                "lines": [line_input(apple_variant, 2)],
                "shippingAddress": camel(SHENZHEN),
            }
        },
    )
    assert result["errors"] == []
    checkout = result["checkout"]
    row = Checkout.objects.get()
    assert checkout["id"] == checkout_id(row)
    assert checkout["token"] == str(row.pk)
    assert (checkout["email"], checkout["user"], checkout["channel"]) == (
        "guest@example.com",
        None,
        {"slug": channel.slug},
    )
    assert checkout["quantity"] == 2
    (line,) = checkout["lines"]
    assert line["variant"] == {"id": variant_id(apple_variant), "sku": apple_variant.sku, "product": {"name": "苹果"}}
    assert line["unitPrice"]["gross"] == {"amount": 30.0, "currency": "CNY"}
    assert (amount(line["totalPrice"]), amount(line["undiscountedTotalPrice"])) == (60.0, 60.0)
    assert checkout["totalPrice"] == {
        "gross": {"amount": 60.0, "currency": "CNY"},
        "net": {"amount": 60.0},
        "tax": {"amount": 0.0},
    }
    assert checkout["shippingAddress"] == {
        "countryArea": "广东省",
        "city": "深圳市",
        "cityArea": "南山区",
        "phone": "+8613800138000",
    }
    assert checkout["allowanceBalance"] is None


def test_a_verified_member_who_creates_a_checkout_owns_it_at_member_prices(verified_api, channel, apple_variant):
    checkout = payload(verified_api, CREATE, {"input": {"lines": [line_input(apple_variant, 2)]}})["checkout"]
    assert checkout["user"] == {"email": "verified@example.com"}
    assert checkout["email"] == "verified@example.com"
    assert checkout["lines"][0]["unitPrice"]["gross"]["amount"] == 25.0
    assert checkout["lines"][0]["undiscountedUnitPrice"] == {"amount": 30.0}
    assert amount(checkout["totalPrice"]) == 50.0
    assert checkout["allowanceBalance"] == {"amount": 0.0}


def test_an_unverified_member_pays_list_prices(unverified_api, channel, apple_variant):
    checkout = payload(unverified_api, CREATE, {"input": {"lines": [line_input(apple_variant, 2)]}})["checkout"]
    assert checkout["user"] == {"email": "unverified@example.com"}
    assert amount(checkout["totalPrice"]) == 60.0


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (lambda v: [line_input(v, 0)], ("quantity", "ZERO_QUANTITY")),
        (lambda v: [line_input(v, 51)], ("quantity", "QUANTITY_GREATER_THAN_LIMIT")),
        (lambda v: [line_input(v, 11)], ("quantity", "INSUFFICIENT_STOCK")),
        (lambda v: [{"variantId": "not-an-id", "quantity": 1}], ("variantId", "GRAPHQL_ERROR")),
        (lambda v: [{"variantId": to_global_id("ProductVariant", 999999), "quantity": 1}], ("variantId", "NOT_FOUND")),
    ],
)
def test_bad_lines_give_a_field_error_and_create_nothing(api, channel, apple_variant, lines, expected):
    result = payload(api, CREATE, {"input": {"channel": channel.slug, "lines": lines(apple_variant)}})
    assert result["checkout"] is None
    assert codes(result) == [expected]
    assert not Checkout.objects.exists()


def test_insufficient_stock_names_the_variants(api, channel, apple_variant):
    result = payload(api, CREATE, {"input": {"channel": channel.slug, "lines": [line_input(apple_variant, 11)]}})
    assert result["errors"][0]["variants"] == [variant_id(apple_variant)]
    assert "仅剩 10 件" in result["errors"][0]["message"]


def test_an_unknown_or_inactive_channel_is_a_field_error(api, channel, apple_variant):
    result = payload(api, CREATE, {"input": {"channel": "nowhere", "lines": [line_input(apple_variant, 1)]}})
    assert codes(result) == [("channel", "NOT_FOUND")]
    channel.is_active = False
    channel.save()
    result = payload(api, CREATE, {"input": {"channel": channel.slug, "lines": [line_input(apple_variant, 1)]}})
    assert codes(result) == [("channel", "CHANNEL_INACTIVE")]
    assert not Checkout.objects.exists()


def test_a_bad_address_on_create_names_its_field_and_type(api, channel, apple_variant):
    result = payload(
        api,
        CREATE,
        {"input": {"lines": [line_input(apple_variant, 1)], "billingAddress": {**camel(SHENZHEN), "postalCode": "12"}}},
    )
    assert [(e["field"], e["code"], e["addressType"]) for e in result["errors"]] == [
        ("postalCode", "INVALID", "BILLING")
    ]
    assert not Checkout.objects.exists()


# --- Lines ------------------------------------------------------------------------------------
def test_lines_are_added_updated_and_deleted(api, channel, apple_variant, honey_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    gid = checkout_id(checkout)
    result = payload(api, LINES_ADD, {"id": gid, "lines": [line_input(apple_variant, 2), line_input(honey_variant, 1)]})
    assert result["errors"] == []
    lines = {line["variant"]["sku"]: line for line in result["checkout"]["lines"]}
    assert (lines[apple_variant.sku]["quantity"], lines[honey_variant.sku]["quantity"]) == (3, 1)

    result = payload(
        api,
        LINES_UPDATE,
        {"id": gid, "lines": [{"lineId": lines[apple_variant.sku]["id"], "quantity": 5}]},
    )
    assert [line["quantity"] for line in result["checkout"]["lines"]] == [5, 1]
    assert amount(result["checkout"]["subtotalPrice"]) == 210.0

    result = payload(api, LINES_DELETE, {"id": gid, "ids": [lines[honey_variant.sku]["id"]]})
    assert [line["variant"]["sku"] for line in result["checkout"]["lines"]] == [apple_variant.sku]
    result = payload(api, LINE_DELETE, {"id": gid, "lineId": lines[apple_variant.sku]["id"]})
    assert result["checkout"]["lines"] == []
    assert result["checkout"]["quantity"] == 0


def test_updating_by_variant_to_zero_removes_the_line(api, channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    result = payload(api, LINES_UPDATE, {"id": checkout_id(checkout), "lines": [line_input(apple_variant, 0)]})
    assert result["errors"] == []
    assert not CheckoutLine.objects.exists()


def test_a_bad_line_update_changes_nothing(api, channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 2)])
    other = cart(channel, lines=[(apple_variant, 1)])
    other_line = to_global_id("CheckoutLine", other.lines.get().pk)
    gid = checkout_id(checkout)
    for lines, expected in (
        ([{"lineId": other_line, "quantity": 3}], ("lineId", "INVALID")),
        ([line_input(apple_variant, -1)], ("quantity", "ZERO_QUANTITY")),
        ([line_input(apple_variant, 60)], ("quantity", "QUANTITY_GREATER_THAN_LIMIT")),
        ([{"quantity": 1}], ("lineId", "REQUIRED")),
        (
            [{"lineId": to_global_id("CheckoutLine", "00000000-0000-0000-0000-000000000000"), "quantity": 1}],
            ("lineId", "NOT_FOUND"),
        ),
    ):
        result = payload(api, LINES_UPDATE, {"id": gid, "lines": lines})
        assert codes(result) == [expected]
    result = payload(api, LINES_DELETE, {"id": gid, "ids": [other_line]})
    assert codes(result) == [("lineId", "INVALID")]
    assert result["errors"][0]["lines"] == [other_line]
    assert [(line.checkout_id, line.quantity) for line in CheckoutLine.objects.order_by("quantity")] == [
        (other.pk, 1),
        (checkout.pk, 2),
    ]


def test_an_unknown_checkout_id_is_not_found(api, apple_variant):
    missing = to_global_id("Checkout", "11111111-1111-1111-1111-111111111111")
    assert codes(payload(api, LINES_ADD, {"id": missing, "lines": [line_input(apple_variant, 1)]})) == [
        ("id", "NOT_FOUND")
    ]
    assert codes(payload(api, LINES_ADD, {"id": "garbage", "lines": [line_input(apple_variant, 1)]})) == [
        ("id", "GRAPHQL_ERROR")
    ]


# --- E-mail and addresses -----------------------------------------------------------------------
def test_email_and_addresses_update(api, channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    gid = checkout_id(checkout)
    assert payload(api, EMAIL, {"id": gid, "email": "a@example.com"})["checkout"]["email"] == "a@example.com"
    assert codes(payload(api, EMAIL, {"id": gid, "email": "bad"})) == [("email", "INVALID")]
    result = payload(api, SHIPPING_ADDRESS, {"id": gid, "address": camel(URUMQI)})
    assert result["checkout"]["shippingAddress"]["countryArea"] == "新疆维吾尔自治区"
    result = payload(api, BILLING_ADDRESS, {"id": gid, "address": camel(SHENZHEN)})
    assert result["checkout"]["billingAddress"] == {"city": "深圳市"}
    result = payload(api, SHIPPING_ADDRESS, {"id": gid, "address": {**camel(URUMQI), "countryArea": "火星省"}})
    assert [(e["field"], e["code"], e["addressType"]) for e in result["errors"]] == [
        ("countryArea", "INVALID", "SHIPPING")
    ]
    row = Checkout.objects.get()
    assert (row.email, row.shipping_address.country_area) == ("a@example.com", "新疆维吾尔自治区")


# --- Shipping ----------------------------------------------------------------------------------
def test_shipping_methods_follow_the_address_and_are_free_over_99(api, channel, shipping, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 3)], shipping_address=SHENZHEN)  # 90.00
    gid = checkout_id(checkout)
    data = api.data(QUERY, {"id": gid})["checkout"]
    assert data["isShippingRequired"] is True
    assert [(m["name"], m["price"]["amount"], m["freeAbove"]) for m in data["shippingMethods"]] == [
        ("标准快递", 8.0, {"amount": 99.0}),
        ("顺丰速运", 18.0, None),
    ]
    assert data["availableShippingMethods"] == [{"id": m["id"]} for m in data["shippingMethods"]]
    assert data["shippingMethods"][0]["minimumDeliveryDays"] == 2

    result = payload(api, DELIVERY, {"id": gid, "method": method_id(shipping["standard"])})
    assert result["checkout"]["deliveryMethod"] == {
        "__typename": "ShippingMethod",
        "id": method_id(shipping["standard"]),
        "name": "标准快递",
        "price": {"amount": 8.0},
    }
    assert result["checkout"]["shippingMethod"] == {"id": method_id(shipping["standard"])}
    assert (amount(result["checkout"]["shippingPrice"]), amount(result["checkout"]["totalPrice"])) == (8.0, 98.0)

    result = payload(api, LINES_ADD, {"id": gid, "lines": [line_input(apple_variant, 1)]})
    assert result["checkout"]["shippingMethods"][0]["price"] == {"amount": 0.0}
    assert (amount(result["checkout"]["shippingPrice"]), amount(result["checkout"]["totalPrice"])) == (0.0, 120.0)


def test_a_remote_address_offers_only_the_remote_method(api, channel, shipping, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 4)], shipping_address=URUMQI)
    gid = checkout_id(checkout)
    data = api.data(QUERY, {"id": gid})["checkout"]
    assert [(m["name"], m["price"]["amount"]) for m in data["shippingMethods"]] == [("偏远地区快递", 25.0)]
    result = payload(api, DELIVERY, {"id": gid, "method": method_id(shipping["standard"])})
    assert codes(result) == [("deliveryMethodId", "DELIVERY_METHOD_NOT_APPLICABLE")]
    result = payload(api, SHIPPING_METHOD, {"id": gid, "method": method_id(shipping["standard"])})
    assert codes(result) == [("shippingMethodId", "SHIPPING_METHOD_NOT_APPLICABLE")]
    assert Checkout.objects.get().shipping_method is None
    result = payload(api, DELIVERY, {"id": gid, "method": method_id(shipping["remote"])})
    assert amount(result["checkout"]["totalPrice"]) == 145.0


def test_delivery_method_refusals(api, channel, shipping, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    gid = checkout_id(checkout)
    assert codes(payload(api, DELIVERY, {"id": gid, "method": method_id(shipping["standard"])})) == [
        ("deliveryMethodId", "SHIPPING_ADDRESS_NOT_SET")
    ]
    payload(api, SHIPPING_ADDRESS, {"id": gid, "address": camel(SHENZHEN)})
    assert codes(payload(api, DELIVERY, {"id": gid, "method": to_global_id("Warehouse", 1)})) == [
        ("deliveryMethodId", "INVALID")
    ]
    assert codes(payload(api, DELIVERY, {"id": gid, "method": to_global_id("ShippingMethod", 99999)})) == [
        ("deliveryMethodId", "NOT_FOUND")
    ]
    payload(api, DELIVERY, {"id": gid, "method": method_id(shipping["express"])})
    result = payload(api, DELIVERY, {"id": gid, "method": None})
    assert result["checkout"]["deliveryMethod"] is None


# --- Promo codes --------------------------------------------------------------------------------
def test_a_promo_code_is_added_and_removed(api, channel, apple_variant):
    voucher = make_voucher(channel, "SAVE10", name="新人立减")
    checkout = cart(channel, lines=[(apple_variant, 2)])
    gid = checkout_id(checkout)
    result = payload(api, ADD_PROMO, {"id": gid, "code": "SAVE10"})
    assert result["errors"] == []
    data = result["checkout"]
    assert (data["voucherCode"], data["discountName"], data["discount"]) == ("SAVE10", "新人立减", {"amount": 10.0})
    assert amount(data["totalPrice"]) == 50.0
    assert codes(payload(api, REMOVE_PROMO, {"id": gid, "code": "OTHER"})) == [("promoCode", "INVALID")]
    result = payload(api, REMOVE_PROMO, {"id": gid, "codeId": to_global_id("Voucher", voucher.pk)})
    assert (result["checkout"]["voucherCode"], amount(result["checkout"]["totalPrice"])) == (None, 60.0)


def test_promo_code_refusals(api, channel, apple_variant):
    make_voucher(channel, "MIN100", min_spent_amount=Decimal("100.00"))
    checkout = cart(channel, lines=[(apple_variant, 2)])
    gid = checkout_id(checkout)
    assert codes(payload(api, ADD_PROMO, {"id": gid, "code": "MIN100"})) == [("promoCode", "VOUCHER_NOT_APPLICABLE")]
    assert codes(payload(api, ADD_PROMO, {"id": gid, "code": "NOPE"})) == [("promoCode", "INVALID")]
    assert Checkout.objects.get().voucher is None


# --- Customer ----------------------------------------------------------------------------------
def test_a_member_attaches_a_guest_cart_and_its_prices_become_theirs(api, verified_api, channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 2)])
    gid = checkout_id(checkout)
    assert amount(api.data(QUERY, {"id": gid})["checkout"]["totalPrice"]) == 60.0
    result = payload(verified_api, ATTACH, {"id": gid})
    assert result["checkout"]["user"] == {"email": "verified@example.com"}
    assert amount(result["checkout"]["totalPrice"]) == 50.0
    # Now it is the member's: the guest's token no longer reaches it.
    assert "permission" in api.error(QUERY, {"id": gid}).lower()
    result = payload(verified_api, DETACH, {"id": gid})
    assert (result["checkout"]["user"], amount(result["checkout"]["totalPrice"])) == (None, 60.0)


def test_attaching_another_customer_needs_impersonate_user(verified_api, staff_user, stranger, channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    gid = checkout_id(checkout)
    message = verified_api.error(ATTACH, {"id": gid, "customer": to_global_id("User", stranger.pk)})
    assert "IMPERSONATE_USER" in message
    assert Checkout.objects.get().user is None
    staff_api = api_for(grant_permissions(staff_user, PermissionEnum.IMPERSONATE_USER))
    result = payload(staff_api, ATTACH, {"id": gid, "customer": to_global_id("User", stranger.pk)})
    assert result["checkout"]["user"] == {"email": "stranger@example.com"}


def test_a_guest_can_neither_attach_nor_detach(api, channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    for query in (ATTACH, DETACH):
        assert api.error(query, {"id": checkout_id(checkout)}) == "You need to be authenticated to perform this action"
    assert Checkout.objects.get().user is None


def test_another_members_checkout_is_not_found_by_mutations_and_denied_by_the_query(
    api, channel, apple_variant, verified, stranger
):
    checkout = cart(channel, verified, [(apple_variant, 1)])
    gid = checkout_id(checkout)
    for client in (api, api_for(stranger)):
        assert codes(payload(client, LINES_ADD, {"id": gid, "lines": [line_input(apple_variant, 1)]})) == [
            ("id", "NOT_FOUND")
        ]
        assert codes(payload(client, DETACH, {"id": gid})) == [("id", "NOT_FOUND")]
        assert "permission" in client.error(QUERY, {"id": gid}).lower()
    assert Checkout.objects.get().user == verified
    assert CheckoutLine.objects.get().quantity == 1


# --- Allowance ---------------------------------------------------------------------------------
def test_a_member_applies_and_removes_allowance(
    verified_api, channel, apple, apple_variant, honey_variant, verified, staff_user
):
    from tests import factories

    relief = factories.collection(channel=channel, slug="relief", products=[apple])
    issue(verified, "40.00", issued_by=staff_user, collection=relief)
    checkout = cart(channel, verified, [(apple_variant, 2), (honey_variant, 1)])  # 50.00 + 60.00
    gid = checkout_id(checkout)
    data = verified_api.data(QUERY, {"id": gid})["checkout"]
    assert data["allowanceBalance"] == {"amount": 40.0}
    result = payload(verified_api, ALLOWANCE_APPLY, {"id": gid, "amount": "41"})
    assert codes(result) == [("amount", "INSUFFICIENT_ALLOWANCE")]
    result = payload(verified_api, ALLOWANCE_APPLY, {"id": gid})
    assert result["errors"] == []
    assert result["checkout"]["allowanceAmount"] == {"amount": 40.0}
    assert amount(result["checkout"]["totalPrice"]) == 70.0
    result = payload(verified_api, ALLOWANCE_REMOVE, {"id": gid})
    assert (result["checkout"]["allowanceAmount"], amount(result["checkout"]["totalPrice"])) == ({"amount": 0.0}, 110.0)


def test_a_guest_cannot_apply_allowance(api, channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    assert codes(payload(api, ALLOWANCE_APPLY, {"id": checkout_id(checkout)})) == [("id", "INVALID")]


# --- me { checkouts } ----------------------------------------------------------------------------
ME_CHECKOUTS = """
query($channel: String, $first: Int, $after: String) {
  me { checkouts(channel: $channel, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id totalPrice { gross { amount } } lines { quantity } } }
  } }
}
"""


def test_me_checkouts_lists_the_members_carts_newest_first_and_pages(verified_api, channel, apple_variant, verified):
    first = cart(channel, verified, [(apple_variant, 1)])
    second = cart(channel, verified, [(apple_variant, 2)])
    cart(channel, None, [(apple_variant, 3)])  # a guest's: not theirs
    data = verified_api.data(ME_CHECKOUTS, {"first": 1})["me"]["checkouts"]
    assert data["totalCount"] == 2
    assert [edge["node"]["id"] for edge in data["edges"]] == [checkout_id(second)]
    assert data["edges"][0]["node"]["totalPrice"]["gross"]["amount"] == 50.0
    after = data["pageInfo"]["endCursor"]
    data = verified_api.data(ME_CHECKOUTS, {"first": 1, "after": after})["me"]["checkouts"]
    assert [edge["node"]["id"] for edge in data["edges"]] == [checkout_id(first)]
    assert data["pageInfo"]["hasNextPage"] is False


def test_me_checkouts_filters_by_channel(verified_api, channel, apple_variant, verified):
    from tests import factories

    factories.channel(slug="other", name="其他渠道")
    cart(channel, verified, [(apple_variant, 1)])
    assert verified_api.data(ME_CHECKOUTS, {"first": 5, "channel": "other"})["me"]["checkouts"]["totalCount"] == 0
    assert verified_api.data(ME_CHECKOUTS, {"first": 5, "channel": channel.slug})["me"]["checkouts"]["totalCount"] == 1


@pytest.mark.parametrize(
    ("make", "code"),
    [
        ("unpublished", "PRODUCT_NOT_PUBLISHED"),
        ("not_yet_on_sale", "PRODUCT_UNAVAILABLE_FOR_PURCHASE"),
        ("unlisted", "UNAVAILABLE_VARIANT_IN_CHANNEL"),
    ],
)
def test_a_product_that_cannot_be_bought_is_refused_naming_its_variant(
    api, channel, warehouse, apple_variant, make, code
):
    from datetime import timedelta

    from django.utils import timezone

    from catalog import services as catalog_services
    from tests import factories

    product = factories.product(channel=channel, warehouse=warehouse, published=make != "unlisted")
    if make == "unpublished":
        catalog_services.publish_product(product=product, channel=channel, is_published=False)
    if make == "not_yet_on_sale":
        catalog_services.publish_product(
            product=product, channel=channel, available_for_purchase_at=timezone.now() + timedelta(days=1)
        )
    checkout = cart(channel, lines=[(apple_variant, 1)])
    variant = product.variants.get()
    result = payload(api, LINES_ADD, {"id": checkout_id(checkout), "lines": [line_input(variant, 1)]})
    assert codes(result) == [("lines", code)]
    assert result["errors"][0]["variants"] == [variant_id(variant)]
    assert list(CheckoutLine.objects.values_list("variant_id", "quantity")) == [(apple_variant.pk, 1)]
