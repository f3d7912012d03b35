"""Completing a checkout into an order, through the service: the snapshot, the checks, idempotency."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from allowances.selectors import allowance_balance
from checkout.models import Checkout, Voucher
from mall.errors import DomainError
from mall.graphql.ids import to_global_id
from orders.models import Allocation, Order, OrderChargeStatus, OrderEvent, OrderStatus
from orders.services import complete_checkout, complete_checkout_by_token
from payments.models import TransactionItem
from tests import factories
from tests.orders.conftest import issue_allowance, make_checkout, make_voucher
from tests.orders.helpers import stock_of

pytestmark = pytest.mark.django_db


def test_a_members_checkout_becomes_an_unconfirmed_order_with_member_prices_and_held_stock(
    shop, member, tea, rice, settings
):
    checkout = make_checkout(shop, [(tea, 2), (rice, 1)], user=member, email="member@example.com")
    before = timezone.now()

    order, created = complete_checkout(checkout, user=member)

    assert created is True
    assert order.status == OrderStatus.UNCONFIRMED
    assert order.charge_status == OrderChargeStatus.NONE
    assert order.priced_as_member is True
    assert order.user == member and order.user_email == "member@example.com"
    # 2 × ¥25 (member price) + ¥50 = ¥100, free shipping from ¥99.
    assert (order.undiscounted_subtotal_amount, order.subtotal_amount) == (Decimal("110.00"), Decimal("100.00"))
    assert (order.shipping_price_amount, order.total_amount) == (Decimal("0.00"), Decimal("100.00"))
    assert order.shipping_method_name == "快递"
    hold = timedelta(minutes=settings.ORDER_PAYMENT_HOLD_MINUTES)
    assert before + hold <= order.payment_due_at <= timezone.now() + hold
    assert order.number > 0
    tea_line, rice_line = order.lines.order_by("sort_order")
    assert (tea_line.product_name, tea_line.product_sku, tea_line.quantity) == ("普洱茶", tea.sku, 2)
    assert tea_line.undiscounted_unit_price_amount == Decimal("30.00")
    assert tea_line.member_price_amount == Decimal("25.00")
    assert (tea_line.unit_price_amount, tea_line.total_price_amount) == (Decimal("25.00"), Decimal("50.00"))
    assert tea_line.merchant_name == tea.product.merchant.name
    assert rice_line.member_price_amount is None and rice_line.unit_price_amount == Decimal("50.00")
    assert stock_of(tea) == (10, 2) and stock_of(rice) == (10, 1)
    assert sorted(Allocation.objects.filter(order_line__order=order).values_list("quantity_allocated", flat=True)) == [
        1,
        2,
    ]
    assert list(order.events.values_list("type", flat=True)) == ["PLACED"]
    assert not Checkout.objects.filter(pk=checkout.pk).exists()


def test_the_order_keeps_its_own_copy_of_the_address(shop, member, tea):
    checkout = make_checkout(shop, [(tea, 1)], user=member)
    book_address = checkout.shipping_address

    order, _ = complete_checkout(checkout, user=member)
    book_address.street_address_1 = "别处"
    book_address.save()

    order.refresh_from_db()
    assert order.shipping_address_id != book_address.pk
    assert order.shipping_address.street_address_1 == "深南大道 6008 号"
    # Without a billing address the order is billed where it goes, in a copy of its own.
    assert order.billing_address.street_address_1 == "深南大道 6008 号"
    assert order.billing_address_id != order.shipping_address_id


def test_a_guest_pays_list_prices_and_shipping(shop, tea):
    checkout = make_checkout(shop, [(tea, 1)], email="guest@example.com")

    order, _ = complete_checkout(checkout, user=None)

    assert order.user is None and order.user_email == "guest@example.com"
    assert order.priced_as_member is False
    assert (order.subtotal_amount, order.shipping_price_amount, order.total_amount) == (
        Decimal("30.00"),
        Decimal("10.00"),
        Decimal("40.00"),
    )


def test_completing_the_same_checkout_twice_gives_the_same_order(shop, member, tea):
    checkout = make_checkout(shop, [(tea, 1)], user=member)

    first, first_created = complete_checkout(checkout, user=member)
    again, again_created = complete_checkout(checkout, user=member)
    by_token, _ = complete_checkout_by_token(checkout.pk, user=member)

    assert (first_created, again_created) == (True, False)
    assert again.pk == first.pk == by_token.pk
    assert Order.objects.count() == 1
    assert stock_of(tea) == (10, 1)


def test_nobody_else_completes_or_finds_a_members_checkout(shop, member, other_member, tea):
    checkout = make_checkout(shop, [(tea, 1)], user=member)

    with pytest.raises(DomainError) as refused:
        complete_checkout(checkout, user=other_member)
    assert refused.value.code == "NOT_FOUND"
    with pytest.raises(DomainError):
        complete_checkout(checkout, user=None)

    complete_checkout(checkout, user=member)
    with pytest.raises(DomainError) as after:
        complete_checkout_by_token(checkout.pk, user=other_member)
    assert after.value.code == "NOT_FOUND"


def test_a_checkouts_transactions_move_to_the_order_and_a_covered_order_is_paid(shop, tea):
    checkout = make_checkout(shop, [(tea, 1)])
    payment = TransactionItem.objects.create(checkout=checkout, amount_charged=Decimal("40.00"))

    order, _ = complete_checkout(checkout, user=None)

    payment.refresh_from_db()
    assert payment.order_id == order.pk and payment.checkout_id is None
    assert order.charge_status == OrderChargeStatus.FULL and order.is_paid
    assert order.status == OrderStatus.UNFULFILLED
    assert order.payment_due_at is None
    assert list(order.events.values_list("type", flat=True)) == ["PLACED", "ORDER_FULLY_PAID"]


def test_an_order_paid_entirely_from_the_allowance_is_paid_at_once(shop, member, order_manager, tea):
    issue_allowance(member, "100.00", issued_by=order_manager)
    checkout = make_checkout(shop, [(tea, 4)], user=member, allowance="200")  # 4 × ¥25 = ¥100, free shipping

    order, _ = complete_checkout(checkout, user=member)

    assert (order.allowance_amount, order.total_amount) == (Decimal("100.00"), Decimal("0.00"))
    assert order.status == OrderStatus.UNFULFILLED
    assert order.charge_status == OrderChargeStatus.FULL
    assert order.lines.get().allowance_amount == Decimal("100.00")
    assert allowance_balance(member) == Decimal("0.00")


def test_part_of_the_order_paid_from_the_allowance_leaves_the_rest_to_pay(shop, member, order_manager, rice):
    issue_allowance(member, "30.00", issued_by=order_manager)
    checkout = make_checkout(shop, [(rice, 1)], user=member, allowance="30")

    order, _ = complete_checkout(checkout, user=member)

    # ¥50 + ¥10 shipping − ¥30 allowance.
    assert (order.allowance_amount, order.total_amount) == (Decimal("30.00"), Decimal("30.00"))
    assert order.status == OrderStatus.UNCONFIRMED
    assert allowance_balance(member) == Decimal("0.00")


def test_a_voucher_use_is_counted_and_its_discount_kept(shop, member, rice):
    voucher = make_voucher(value="5.00", usage_limit=3)
    checkout = make_checkout(shop, [(rice, 1)], user=member, voucher=voucher)

    order, _ = complete_checkout(checkout, user=member)

    voucher.refresh_from_db()
    assert voucher.used == 1
    assert (order.voucher_code, order.discount_amount, order.total_amount) == (
        "MID-AUTUMN",
        Decimal("5.00"),
        Decimal("55.00"),
    )


def test_the_confirmation_email_is_sent_after_commit(shop, member, tea, django_capture_on_commit_callbacks):
    checkout = make_checkout(shop, [(tea, 1)], user=member, email="member@example.com")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        order, _ = complete_checkout(checkout, user=member)
        assert mail.outbox == []  # nothing leaves before the order is committed

    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["member@example.com"]
    assert message.subject == f"【工会商城】订单 {order.number} 已提交"
    assert "普洱茶" in message.body and "¥25.00" in message.body
    assert "请在" in message.body
    assert list(order.events.values_list("type", flat=True)) == ["PLACED", "EMAIL_SENT"]


# --- Refusals change nothing ------------------------------------------------------------------
def assert_nothing_changed(checkout, *variants):
    assert Order.objects.count() == 0
    assert Checkout.objects.filter(pk=checkout.pk).exists()
    assert Allocation.objects.count() == 0
    assert OrderEvent.objects.count() == 0
    for variant in variants:
        assert stock_of(variant)[1] == 0


def refusal(checkout, user):
    with pytest.raises(DomainError) as refused:
        complete_checkout(checkout, user=user)
    return refused.value


def test_a_checkout_without_email_is_refused(shop, tea):
    checkout = make_checkout(shop, [(tea, 1)], email=None)
    error = refusal(checkout, None)
    assert (error.code, error.field) == ("EMAIL_NOT_SET", "email")
    assert_nothing_changed(checkout, tea)


def test_a_checkout_without_lines_is_refused(shop):
    checkout = make_checkout(shop, [])
    assert refusal(checkout, None).code == "NO_LINES"
    assert_nothing_changed(checkout)


def test_a_checkout_without_address_or_method_is_refused(shop, tea):
    checkout = make_checkout(shop, [(tea, 1)], ship=False)
    error = refusal(checkout, None)
    assert (error.code, error.field) == ("SHIPPING_ADDRESS_NOT_SET", "shippingAddress")

    checkout.shipping_address = make_checkout(shop, []).shipping_address
    checkout.save()
    error = refusal(checkout, None)
    assert (error.code, error.field) == ("SHIPPING_METHOD_NOT_SET", "shippingMethod")
    assert_nothing_changed(checkout, tea)


def test_a_shipping_method_no_longer_serving_the_address_is_refused(shop, tea):
    checkout = make_checkout(shop, [(tea, 1)])
    shop.shipping_method.zone.is_default = False
    shop.shipping_method.zone.provinces = ["西藏自治区"]
    shop.shipping_method.zone.save()

    assert refusal(checkout, None).code == "SHIPPING_METHOD_NOT_APPLICABLE"
    assert_nothing_changed(checkout, tea)


def test_an_unpublished_product_is_refused_with_its_variant(shop, tea, rice):
    checkout = make_checkout(shop, [(tea, 1), (rice, 1)])
    listing = rice.product.channel_listings.get()
    listing.is_published = False
    listing.save()

    error = refusal(checkout, None)
    assert error.code == "PRODUCT_NOT_PUBLISHED"
    assert error.extra["variants"] == [to_global_id("ProductVariant", rice.pk)]
    assert_nothing_changed(checkout, tea, rice)


def test_a_product_not_yet_on_sale_is_refused(shop, tea):
    checkout = make_checkout(shop, [(tea, 1)])
    listing = tea.product.channel_listings.get()
    listing.available_for_purchase_at = timezone.now() + timedelta(days=1)
    listing.save()

    assert refusal(checkout, None).code == "PRODUCT_UNAVAILABLE_FOR_PURCHASE"
    assert_nothing_changed(checkout, tea)


def test_not_enough_stock_is_refused_naming_the_variants_and_holds_nothing(shop, tea, rice):
    checkout = make_checkout(shop, [(tea, 3), (rice, 11)])

    error = refusal(checkout, None)

    assert (error.code, error.field) == ("INSUFFICIENT_STOCK", "lines")
    assert error.extra["variants"] == [to_global_id("ProductVariant", rice.pk)]
    assert_nothing_changed(checkout, tea, rice)


def test_stock_is_taken_from_the_channels_warehouses_in_order(shop, tea):
    second = factories.warehouse(channels=[shop.channel])
    elsewhere = factories.warehouse(channels=[])  # not in the channel: never used
    from catalog import services as catalog_services

    catalog_services.set_stock(variant=tea, warehouse=second, quantity=5)
    catalog_services.set_stock(variant=tea, warehouse=elsewhere, quantity=100)
    checkout = make_checkout(shop, [(tea, 12)])

    order, _ = complete_checkout(checkout, user=None)

    held = {a.stock.warehouse_id: a.quantity_allocated for a in Allocation.objects.select_related("stock")}
    assert held == {shop.warehouse.pk: 10, second.pk: 2}
    assert order.lines.get().quantity == 12


def test_an_expired_voucher_is_refused(shop, rice):
    voucher = make_voucher(end_date=timezone.now() - timedelta(minutes=1))
    checkout = make_checkout(shop, [(rice, 1)], voucher=voucher)

    error = refusal(checkout, None)

    assert (error.code, error.field) == ("VOUCHER_NOT_APPLICABLE", "promoCode")
    assert_nothing_changed(checkout, rice)
    assert Voucher.objects.get().used == 0


def test_a_used_up_voucher_is_refused_and_stock_is_not_held(shop, rice):
    voucher = make_voucher(usage_limit=1)
    Voucher.objects.filter(pk=voucher.pk).update(used=1)
    checkout = make_checkout(shop, [(rice, 1)], voucher=voucher)

    assert refusal(checkout, None).code == "VOUCHER_NOT_APPLICABLE"
    assert_nothing_changed(checkout, rice)
    assert Voucher.objects.get().used == 1


def test_a_checkout_whose_allowance_another_order_spent_meanwhile_is_priced_again(shop, member, order_manager, rice):
    issue_allowance(member, "30.00", issued_by=order_manager)
    checkout = make_checkout(shop, [(rice, 1)], user=member, allowance="30")
    complete_checkout(make_checkout(shop, [(rice, 1)], user=member, allowance="30"), user=member)

    order, _ = complete_checkout(checkout, user=member)

    # Priced at completion, the checkout gets no allowance left and the card pays it all.
    assert (order.allowance_amount, order.total_amount) == (Decimal("0.00"), Decimal("60.00"))
    assert allowance_balance(member) == Decimal("0.00")
