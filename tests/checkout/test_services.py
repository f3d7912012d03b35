"""The checkout services: every refusal is a coded error that changes nothing; prices follow the owner."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import services as catalog_services
from checkout import errors, services
from checkout.models import Checkout, CheckoutLine
from checkout.selectors import price_checkout
from mall.errors import PermissionDenied
from mall.permissions import PermissionEnum
from tests import factories
from tests.checkout.conftest import SHENZHEN, URUMQI, cart, grant_permissions, issue, make_voucher

pytestmark = pytest.mark.django_db


def quantities(checkout) -> dict:
    return dict(CheckoutLine.objects.filter(checkout=checkout).values_list("variant_id", "quantity"))


def snapshot(checkout) -> tuple:
    """Everything a refused change must leave as it was."""
    row = Checkout.objects.get(pk=checkout.pk)
    return (
        quantities(checkout),
        row.email,
        row.shipping_address_id,
        row.billing_address_id,
        row.shipping_method_id,
        row.voucher_id,
        row.voucher_code,
        row.allowance_requested,
        row.user_id,
    )


def total(checkout) -> Decimal:
    checkout = Checkout.objects.get(pk=checkout.pk)
    return price_checkout(checkout)[1]


# --- Lines ------------------------------------------------------------------------------------
def test_creating_a_checkout_merges_lines_of_one_variant(channel, apple_variant, honey_variant):
    checkout = cart(channel, lines=[(apple_variant, 2), (honey_variant, 1), (apple_variant, 3)])
    assert quantities(checkout) == {apple_variant.pk: 5, honey_variant.pk: 1}
    assert checkout.currency == "CNY"


def test_adding_a_variant_already_in_the_cart_raises_its_quantity(channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 2)])
    services.add_lines(checkout, [(apple_variant, 3)])
    assert quantities(checkout) == {apple_variant.pk: 5}
    assert CheckoutLine.objects.filter(checkout=checkout).count() == 1


@pytest.mark.parametrize("quantity", [0, -1])
def test_adding_no_or_a_negative_quantity_is_refused(channel, apple_variant, quantity):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    before = snapshot(checkout)
    with pytest.raises(errors.ZeroQuantity) as refused:
        services.add_lines(checkout, [(apple_variant, quantity)])
    assert (refused.value.code, refused.value.field) == ("ZERO_QUANTITY", "quantity")
    assert snapshot(checkout) == before


def test_a_line_holds_at_most_fifty_units_by_default(channel, honey_variant):
    checkout = cart(channel, lines=[(honey_variant, 50)])
    with pytest.raises(errors.QuantityGreaterThanLimit) as refused:
        services.add_lines(checkout, [(honey_variant, 1)])
    assert refused.value.code == "QUANTITY_GREATER_THAN_LIMIT"
    assert refused.value.extra["variants"] == [errors.variant_ids([honey_variant])[0]]
    assert "50" in refused.value.message
    assert quantities(checkout) == {honey_variant.pk: 50}


def test_the_line_limit_is_a_setting(channel, honey_variant, settings):
    settings.MAX_CHECKOUT_LINE_QUANTITY = 3
    with pytest.raises(errors.QuantityGreaterThanLimit):
        cart(channel, lines=[(honey_variant, 4)])
    assert not Checkout.objects.exists()


def test_a_variants_limit_per_customer_caps_its_line(channel, honey_variant):
    honey_variant.quantity_limit_per_customer = 2
    honey_variant.save(update_fields=["quantity_limit_per_customer"])
    checkout = cart(channel, lines=[(honey_variant, 2)])
    with pytest.raises(errors.QuantityGreaterThanLimit) as refused:
        services.update_lines(checkout, [(honey_variant, 3)])
    assert "2 件" in refused.value.message
    assert quantities(checkout) == {honey_variant.pk: 2}


def test_more_than_the_channels_stock_is_refused_naming_the_variant(channel, apple_variant, honey_variant):
    checkout = cart(channel, lines=[(apple_variant, 10)])
    before = snapshot(checkout)
    with pytest.raises(errors.InsufficientStock) as refused:
        services.add_lines(checkout, [(honey_variant, 1), (apple_variant, 1)])
    assert (refused.value.code, refused.value.field) == ("INSUFFICIENT_STOCK", "quantity")
    assert refused.value.extra["variants"] == errors.variant_ids([apple_variant])
    assert "仅剩 10 件" in refused.value.message
    assert snapshot(checkout) == before


def test_stock_in_a_warehouse_outside_the_channel_does_not_count(channel, apple_variant):
    elsewhere = factories.warehouse(channels=[])
    catalog_services.set_stock(variant=apple_variant, warehouse=elsewhere, quantity=100)
    with pytest.raises(errors.InsufficientStock):
        cart(channel, lines=[(apple_variant, 11)])


def test_a_variant_whose_stock_is_not_tracked_can_be_bought_beyond_it(channel, apple_variant):
    apple_variant.track_inventory = False
    apple_variant.save(update_fields=["track_inventory"])
    checkout = cart(channel, lines=[(apple_variant, 30)])
    assert quantities(checkout) == {apple_variant.pk: 30}


def test_an_unpublished_product_is_refused(channel, warehouse):
    hidden = factories.product(channel=channel, warehouse=warehouse)
    catalog_services.publish_product(product=hidden, channel=channel, is_published=False)
    with pytest.raises(errors.ProductNotPublished) as refused:
        cart(channel, lines=[(hidden.variants.get(), 1)])
    assert (refused.value.code, refused.value.field) == ("PRODUCT_NOT_PUBLISHED", "lines")
    assert not Checkout.objects.exists()


def test_a_product_not_yet_on_sale_is_refused(channel, warehouse, apple_variant):
    later = factories.product(channel=channel, warehouse=warehouse)
    catalog_services.publish_product(
        product=later, channel=channel, available_for_purchase_at=timezone.now() + timedelta(days=2)
    )
    checkout = cart(channel, lines=[(apple_variant, 1)])
    with pytest.raises(errors.ProductUnavailableForPurchase) as refused:
        services.add_lines(checkout, [(later.variants.get(), 1)])
    assert refused.value.extra["variants"] == errors.variant_ids([later.variants.get()])
    assert quantities(checkout) == {apple_variant.pk: 1}


def test_a_product_not_listed_in_the_channel_is_refused(channel, warehouse):
    unlisted = factories.product(channel=channel, warehouse=warehouse, published=False)
    with pytest.raises(errors.UnavailableVariantInChannel):
        cart(channel, lines=[(unlisted.variants.get(), 1)])


def test_an_unknown_variant_is_not_found(channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    with pytest.raises(errors.CheckoutNotFound) as refused:
        services.add_lines(checkout, [(apple_variant.pk + 1000, 1)])
    assert refused.value.field == "variant_id"


def test_updating_a_line_to_zero_removes_it(channel, apple_variant, honey_variant):
    checkout = cart(channel, lines=[(apple_variant, 1), (honey_variant, 2)])
    line = CheckoutLine.objects.get(checkout=checkout, variant=apple_variant)
    services.update_lines(checkout, [(line, 0), (honey_variant, 4)])
    assert quantities(checkout) == {honey_variant.pk: 4}


def test_a_line_of_another_checkout_cannot_be_updated_or_deleted(channel, apple_variant):
    mine = cart(channel, lines=[(apple_variant, 1)])
    theirs = cart(channel, lines=[(apple_variant, 2)])
    their_line = CheckoutLine.objects.get(checkout=theirs)
    with pytest.raises(errors.CheckoutInvalid) as refused:
        services.update_lines(mine, [(their_line, 5)])
    assert refused.value.field == "line_id"
    with pytest.raises(errors.CheckoutInvalid):
        services.delete_lines(mine, [their_line.pk])
    assert quantities(theirs) == {apple_variant.pk: 2}
    assert quantities(mine) == {apple_variant.pk: 1}


def test_a_checkout_in_a_deactivated_channel_cannot_change(channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    channel.is_active = False
    channel.save()
    with pytest.raises(errors.ChannelInactive):
        services.add_lines(checkout, [(apple_variant, 1)])


# --- Prices follow the owner ----------------------------------------------------------------
def test_a_verified_member_pays_member_prices_others_list_prices(channel, apple_variant, verified, unverified):
    for owner, unit in ((verified, "25.00"), (unverified, "30.00"), (None, "30.00")):
        checkout = cart(channel, owner, [(apple_variant, 2)])
        prices = total(checkout)
        line_price = next(iter(prices.lines.values()))
        assert line_price.unit_price == Decimal(unit)
        assert line_price.undiscounted_unit_price == Decimal("30.00")
        assert prices.total == Decimal(unit) * 2


def test_attaching_and_detaching_a_member_recomputes_prices(channel, apple_variant, verified):
    checkout = cart(channel, None, [(apple_variant, 2)])
    assert total(checkout).total == Decimal("60.00")
    services.attach_customer(checkout, verified, requestor=verified)
    assert (checkout.user, checkout.email) == (verified, "verified@example.com")
    assert total(checkout).total == Decimal("50.00")
    services.detach_customer(checkout, requestor=verified)
    assert Checkout.objects.get(pk=checkout.pk).user is None
    assert total(checkout).total == Decimal("60.00")


def test_only_staff_who_impersonate_may_attach_somebody_else(channel, apple_variant, verified, stranger, staff_user):
    checkout = cart(channel, None, [(apple_variant, 1)])
    with pytest.raises(PermissionDenied):
        services.attach_customer(checkout, verified, requestor=stranger)
    assert Checkout.objects.get(pk=checkout.pk).user is None
    grant_permissions(staff_user, PermissionEnum.IMPERSONATE_USER)
    services.attach_customer(checkout, verified, requestor=staff_user)
    assert Checkout.objects.get(pk=checkout.pk).user == verified


def test_another_members_checkout_is_out_of_reach(channel, apple_variant, verified, stranger, anonymous):
    checkout = cart(channel, verified, [(apple_variant, 1)])
    before = snapshot(checkout)
    for requestor in (stranger, anonymous):
        with pytest.raises(errors.CheckoutNotFound):
            services.add_lines(checkout, [(apple_variant, 1)], requestor=requestor)
    with pytest.raises(errors.CheckoutNotFound):
        services.detach_customer(checkout, requestor=stranger)
    with pytest.raises(PermissionDenied):
        services.detach_customer(checkout, requestor=anonymous)
    assert snapshot(checkout) == before


def test_a_guests_checkout_is_reached_by_whoever_holds_it(channel, apple_variant, stranger, anonymous):
    checkout = cart(channel, None, [(apple_variant, 1)])
    services.add_lines(checkout, [(apple_variant, 1)], requestor=anonymous)
    services.add_lines(checkout, [(apple_variant, 1)], requestor=stranger)
    assert quantities(checkout) == {apple_variant.pk: 3}


# --- E-mail and addresses ---------------------------------------------------------------------
@pytest.mark.parametrize(("email", "error"), [("", errors.CheckoutRequired), ("不是邮箱", errors.CheckoutInvalid)])
def test_a_missing_or_bad_email_is_refused(channel, apple_variant, email, error):
    checkout = cart(channel, lines=[(apple_variant, 1)], email="guest@example.com")
    with pytest.raises(error) as refused:
        services.set_email(checkout, email)
    assert refused.value.field == "email"
    assert Checkout.objects.get(pk=checkout.pk).email == "guest@example.com"


def test_an_address_is_checked_and_stored_as_the_checkouts_own(channel, apple_variant, verified):
    checkout = cart(channel, verified, [(apple_variant, 1)])
    services.set_shipping_address(checkout, SHENZHEN)
    address = Checkout.objects.get(pk=checkout.pk).shipping_address
    assert (address.country_area, address.city, address.city_area, address.phone) == (
        "广东省",
        "深圳市",
        "南山区",
        "+8613800138000",
    )
    assert not verified.addresses.exists()  # a checkout's address is not added to the address book


def test_a_bad_address_is_refused_with_its_field_and_type(channel, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    services.set_billing_address(checkout, SHENZHEN)
    before = snapshot(checkout)
    with pytest.raises(errors.AddressInvalid) as refused:
        services.set_billing_address(checkout, {**SHENZHEN, "city": "火星市"})
    assert (refused.value.field, refused.value.code, refused.value.extra) == (
        "city",
        "INVALID",
        {"address_type": "billing"},
    )
    assert snapshot(checkout) == before


# --- Shipping ------------------------------------------------------------------------------------
def test_standard_shipping_is_free_from_99_yuan(channel, shipping, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 3)], shipping_address=SHENZHEN)  # 90.00
    services.set_delivery_method(checkout, shipping["standard"].pk)
    assert (total(checkout).shipping, total(checkout).total) == (Decimal("8.00"), Decimal("98.00"))
    services.add_lines(checkout, [(apple_variant, 1)])  # 120.00
    assert (total(checkout).shipping, total(checkout).total) == (Decimal("0.00"), Decimal("120.00"))


def test_remote_provinces_have_their_own_dearer_method(channel, shipping, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 4)], shipping_address=URUMQI)  # 120.00
    before = snapshot(checkout)
    with pytest.raises(errors.DeliveryMethodNotApplicable):
        services.set_delivery_method(checkout, shipping["standard"].pk)
    assert snapshot(checkout) == before
    services.set_delivery_method(checkout, shipping["remote"].pk)
    assert (total(checkout).shipping, total(checkout).total) == (Decimal("25.00"), Decimal("145.00"))


def test_moving_the_address_to_a_remote_province_drops_the_mainland_method(channel, shipping, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)], shipping_address=SHENZHEN)
    services.set_delivery_method(checkout, shipping["express"].pk)
    services.set_shipping_address(checkout, URUMQI)
    assert Checkout.objects.get(pk=checkout.pk).shipping_method is None


def test_a_method_with_an_order_ceiling_is_dropped_when_the_cart_grows_past_it(channel, shipping, apple_variant):
    listing = shipping["express"].channel_listings.get()
    listing.maximum_order_price_amount = Decimal("100.00")
    listing.save()
    checkout = cart(channel, lines=[(apple_variant, 1)], shipping_address=SHENZHEN)
    services.set_delivery_method(checkout, shipping["express"].pk)
    services.add_lines(checkout, [(apple_variant, 4)])
    assert Checkout.objects.get(pk=checkout.pk).shipping_method is None


def test_a_delivery_method_needs_an_address_first(channel, shipping, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)])
    with pytest.raises(errors.ShippingAddressNotSet):
        services.set_delivery_method(checkout, shipping["standard"].pk)


def test_removing_every_line_drops_the_method(channel, shipping, apple_variant):
    checkout = cart(channel, lines=[(apple_variant, 1)], shipping_address=SHENZHEN)
    services.set_delivery_method(checkout, shipping["standard"].pk)
    services.delete_lines(checkout, list(CheckoutLine.objects.filter(checkout=checkout)))
    assert Checkout.objects.get(pk=checkout.pk).shipping_method is None


# --- Vouchers ------------------------------------------------------------------------------------
def test_a_fixed_voucher_takes_its_amount_off(channel, apple_variant):
    make_voucher(channel, "SAVE10")
    checkout = cart(channel, lines=[(apple_variant, 2)])
    services.add_promo_code(checkout, " SAVE10 ")
    prices = total(checkout)
    assert (prices.discount, prices.total) == (Decimal("10.00"), Decimal("50.00"))
    assert Checkout.objects.get(pk=checkout.pk).voucher_code == "SAVE10"


def test_a_percentage_voucher_takes_its_share_of_the_members_subtotal(channel, apple_variant, verified):
    make_voucher(channel, "NINE", discount_value_type="PERCENTAGE", discount_value=Decimal("10"))
    checkout = cart(channel, verified, [(apple_variant, 3)])  # 75.00 at member prices
    services.add_promo_code(checkout, "NINE")
    assert (total(checkout).discount, total(checkout).total) == (Decimal("7.50"), Decimal("67.50"))


def test_a_voucher_below_its_minimum_spend_is_not_applicable(channel, apple_variant):
    make_voucher(channel, "MIN100", min_spent_amount=Decimal("100.00"))
    checkout = cart(channel, lines=[(apple_variant, 3)])  # 90.00
    with pytest.raises(errors.VoucherNotApplicable) as refused:
        services.add_promo_code(checkout, "MIN100")
    assert (refused.value.code, refused.value.field) == ("VOUCHER_NOT_APPLICABLE", "promo_code")
    assert Checkout.objects.get(pk=checkout.pk).voucher is None


def test_a_voucher_is_dropped_when_the_cart_falls_below_its_minimum_spend(channel, apple_variant):
    make_voucher(channel, "MIN100", min_spent_amount=Decimal("100.00"))
    checkout = cart(channel, lines=[(apple_variant, 4)])
    services.add_promo_code(checkout, "MIN100")
    services.update_lines(checkout, [(apple_variant, 3)])
    row = Checkout.objects.get(pk=checkout.pk)
    assert (row.voucher, row.voucher_code) == (None, "")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start_date": timezone.now() + timedelta(days=1)}, "尚未开始"),
        ({"end_date": timezone.now() - timedelta(minutes=1)}, "已过期"),
        ({"usage_limit": 1}, "已被领完"),
    ],
)
def test_a_voucher_outside_its_dates_or_used_up_is_invalid(channel, apple_variant, fields, message):
    voucher = make_voucher(channel, "LIMITED", **fields)
    if "usage_limit" in fields:
        type(voucher).objects.filter(pk=voucher.pk).update(used=1)
    checkout = cart(channel, lines=[(apple_variant, 2)])
    with pytest.raises(errors.CheckoutInvalid) as refused:
        services.add_promo_code(checkout, "LIMITED")
    assert refused.value.code == "INVALID"
    assert message in refused.value.message
    assert Checkout.objects.get(pk=checkout.pk).voucher is None


def test_an_unknown_code_or_one_of_another_channel_is_invalid(channel, apple_variant):
    other = factories.channel(slug="other", name="其他渠道")
    make_voucher(other, "ELSEWHERE")
    checkout = cart(channel, lines=[(apple_variant, 2)])
    for code in ("NOPE", "ELSEWHERE"):
        with pytest.raises(errors.CheckoutInvalid):
            services.add_promo_code(checkout, code)


def test_a_voucher_that_expires_after_it_was_added_stops_discounting(channel, apple_variant):
    voucher = make_voucher(channel, "SAVE10")
    checkout = cart(channel, lines=[(apple_variant, 2)])
    services.add_promo_code(checkout, "SAVE10")
    type(voucher).objects.filter(pk=voucher.pk).update(end_date=timezone.now() - timedelta(seconds=1))
    assert total(checkout).discount == Decimal("0.00")  # read: not applied, nothing written
    assert Checkout.objects.get(pk=checkout.pk).voucher_code == "SAVE10"
    services.add_lines(checkout, [(apple_variant, 1)])  # the next change drops it
    assert Checkout.objects.get(pk=checkout.pk).voucher_code == ""


def test_removing_a_code_the_checkout_does_not_use_is_refused(channel, apple_variant):
    make_voucher(channel, "SAVE10")
    checkout = cart(channel, lines=[(apple_variant, 2)])
    services.add_promo_code(checkout, "SAVE10")
    with pytest.raises(errors.CheckoutInvalid):
        services.remove_promo_code(checkout, "OTHER")
    assert Checkout.objects.get(pk=checkout.pk).voucher_code == "SAVE10"
    services.remove_promo_code(checkout, "SAVE10")
    assert Checkout.objects.get(pk=checkout.pk).voucher is None


# --- Allowance -----------------------------------------------------------------------------------
def test_an_allowance_restricted_to_a_collection_pays_only_for_its_products(
    channel, apple, apple_variant, honey_variant, verified, staff_user
):
    relief = factories.collection(channel=channel, slug="relief", products=[apple])
    issue(verified, "100.00", issued_by=staff_user, collection=relief)
    checkout = cart(channel, verified, [(apple_variant, 2), (honey_variant, 1)])  # 50.00 + 60.00
    services.apply_allowance(checkout)
    prices = total(checkout)
    assert prices.allowance == Decimal("50.00")
    assert prices.total == Decimal("60.00")
    by_variant = {line.variant_id: prices.lines[line.pk].allowance for line in checkout.lines.all()}
    assert by_variant == {apple_variant.pk: Decimal("50.00"), honey_variant.pk: Decimal("0.00")}


def test_an_allowance_amount_caps_what_is_spent(channel, apple_variant, verified, staff_user):
    issue(verified, "100.00", issued_by=staff_user)
    checkout = cart(channel, verified, [(apple_variant, 2)])
    services.apply_allowance(checkout, Decimal("20"))
    assert (total(checkout).allowance, total(checkout).total) == (Decimal("20.00"), Decimal("30.00"))


def test_more_allowance_than_the_balance_is_refused(channel, apple_variant, verified, staff_user):
    issue(verified, "30.00", issued_by=staff_user)
    checkout = cart(channel, verified, [(apple_variant, 2)])
    with pytest.raises(errors.InsufficientAllowance) as refused:
        services.apply_allowance(checkout, "30.01")
    assert (refused.value.code, refused.value.field) == ("INSUFFICIENT_ALLOWANCE", "amount")
    assert Checkout.objects.get(pk=checkout.pk).allowance_requested is None


def test_an_allowance_with_nothing_eligible_in_the_cart_is_refused(channel, apple, honey_variant, verified, staff_user):
    relief = factories.collection(channel=channel, slug="relief", products=[apple])
    issue(verified, "100.00", issued_by=staff_user, collection=relief)
    checkout = cart(channel, verified, [(honey_variant, 1)])
    with pytest.raises(errors.InsufficientAllowance):
        services.apply_allowance(checkout)


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "NaN"])
def test_a_bad_allowance_amount_is_refused(channel, apple_variant, verified, staff_user, amount):
    issue(verified, "100.00", issued_by=staff_user)
    checkout = cart(channel, verified, [(apple_variant, 1)])
    with pytest.raises(errors.CheckoutInvalid) as refused:
        services.apply_allowance(checkout, amount)
    assert refused.value.field == "amount"


def test_only_a_verified_member_applies_an_allowance(channel, apple_variant, unverified, staff_user):
    issue(unverified, "100.00", issued_by=staff_user)
    for owner in (unverified, None):
        checkout = cart(channel, owner, [(apple_variant, 1)])
        with pytest.raises(errors.CheckoutInvalid):
            services.apply_allowance(checkout)
        assert Checkout.objects.get(pk=checkout.pk).allowance_requested is None


def test_detaching_the_member_removes_the_allowance(channel, apple_variant, verified, staff_user):
    issue(verified, "100.00", issued_by=staff_user)
    checkout = cart(channel, verified, [(apple_variant, 1)])
    services.apply_allowance(checkout)
    services.detach_customer(checkout)
    assert Checkout.objects.get(pk=checkout.pk).allowance_requested is None
    assert total(checkout).allowance == Decimal("0.00")


def test_removing_the_allowance(channel, apple_variant, verified, staff_user):
    issue(verified, "100.00", issued_by=staff_user)
    checkout = cart(channel, verified, [(apple_variant, 1)])
    services.apply_allowance(checkout)
    assert total(checkout).total == Decimal("0.00")
    services.remove_allowance(checkout)
    assert total(checkout).total == Decimal("25.00")
