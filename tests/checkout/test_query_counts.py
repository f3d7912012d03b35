"""`checkout(id)` and `me { checkouts }` run a fixed number of SQL queries whatever their size."""

import pytest

from checkout import services
from tests import factories
from tests.checkout.conftest import SHENZHEN, cart, checkout_id, issue, make_voucher

CHECKOUT = """
query($id: ID) {
  checkout(id: $id) {
    id token email quantity isShippingRequired voucherCode discount { amount }
    user { email }
    channel { slug }
    lines {
      id quantity
      variant { id sku quantityAvailable product { name slug category { name } productType { name } } }
      unitPrice { gross { amount } } undiscountedUnitPrice { amount } totalPrice { gross { amount } }
    }
    subtotalPrice { gross { amount } }
    shippingPrice { gross { amount } }
    totalPrice { gross { amount } }
    allowanceAmount { amount }
    allowanceBalance { amount }
    shippingAddress { city }
    availableShippingMethods { id name price { amount } }
    deliveryMethod { ... on ShippingMethod { id name } }
  }
}
"""
ME_CHECKOUTS = """
query($first: Int!) {
  me { checkouts(first: $first) { totalCount edges { node {
    id lines { quantity variant { sku product { name } } totalPrice { gross { amount } } }
    totalPrice { gross { amount } } availableShippingMethods { id price { amount } }
  } } } }
}
"""

# A guest's checkout: the checkout (channel, addresses, shipping method, voucher joined), its lines
# (variant and product joined), their stocks, their listings, the chosen method's listing, the
# shipping zones, the zone's methods.
GUEST_QUERIES = 7
# A verified member's adds the session, the user (member profile joined), the voucher's channels and
# the spendable allowance grants (a grant for any product: no collection to read).
MEMBER_QUERIES = GUEST_QUERIES + 4
# me { checkouts }: session, user, the page, totalCount, the voucher-less checkouts' lines (3),
# their methods' listings, the zones, the zones' methods.
ME_CHECKOUTS_QUERIES = 10


def products(channel, warehouse, count: int) -> list:
    return [
        factories.product(channel=channel, price="12.00", member_price="10.00", warehouse=warehouse).variants.get()
        for _ in range(count)
    ]


@pytest.fixture
def many_variants(channel, warehouse):
    return products(channel, warehouse, 10)


def filled(checkout, variants, shipping):
    services.add_lines(checkout, [(variant, 1) for variant in variants])
    services.set_shipping_address(checkout, SHENZHEN)
    services.set_delivery_method(checkout, shipping["express"].pk)
    return checkout


@pytest.mark.parametrize("size", [1, 10])
def test_a_guests_checkout_costs_a_fixed_number_of_queries(
    api, channel, shipping, many_variants, size, django_assert_num_queries
):
    checkout = filled(cart(channel), many_variants[:size], shipping)
    variables = {"id": checkout_id(checkout)}
    api.data(CHECKOUT, variables)  # warm-up: the active channels come from the cache from here on
    with django_assert_num_queries(GUEST_QUERIES):
        data = api.data(CHECKOUT, variables)["checkout"]
    assert len(data["lines"]) == size
    assert data["totalPrice"]["gross"]["amount"] == 12.0 * size + 18.0
    assert data["deliveryMethod"]["name"] == "顺丰速运"


@pytest.mark.parametrize("size", [1, 10])
def test_a_members_checkout_with_voucher_and_allowance_costs_a_fixed_number_of_queries(
    verified_api, verified, staff_user, channel, shipping, many_variants, size, django_assert_num_queries
):
    make_voucher(channel, "SAVE5", discount_value=5)
    issue(verified, "3.00", issued_by=staff_user)
    checkout = filled(cart(channel, verified), many_variants[:size], shipping)
    services.add_promo_code(checkout, "SAVE5")
    services.apply_allowance(checkout)
    variables = {"id": checkout_id(checkout)}
    verified_api.data(CHECKOUT, variables)
    with django_assert_num_queries(MEMBER_QUERIES):
        data = verified_api.data(CHECKOUT, variables)["checkout"]
    assert len(data["lines"]) == size
    assert data["voucherCode"] == "SAVE5"
    assert data["allowanceAmount"] == {"amount": 3.0}
    assert data["totalPrice"]["gross"]["amount"] == 10.0 * size - 5 + 18 - 3


@pytest.mark.parametrize("count", [1, 4])
def test_me_checkouts_costs_a_fixed_number_of_queries(
    verified_api, verified, channel, shipping, many_variants, count, django_assert_num_queries
):
    for number in range(count):
        filled(cart(channel, verified), many_variants[: number + 2], shipping)
    verified_api.data(ME_CHECKOUTS, {"first": 10})
    with django_assert_num_queries(ME_CHECKOUTS_QUERIES):
        data = verified_api.data(ME_CHECKOUTS, {"first": 10})["me"]["checkouts"]
    assert data["totalCount"] == count
    assert [len(edge["node"]["lines"]) for edge in data["edges"]] == [number + 2 for number in reversed(range(count))]
