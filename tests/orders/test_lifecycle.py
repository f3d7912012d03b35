"""Canceling, expiring and fulfilling orders through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from allowances.selectors import allowance_balance
from checkout.models import Voucher
from mall.errors import AuthenticationRequired, PermissionDenied
from orders.errors import OrderActionError
from orders.models import Allocation, Fulfillment, Order, OrderEventType, OrderStatus
from orders.services import FulfillRequest, cancel_order, complete_checkout, fulfill_order, release_unpaid_orders
from orders.tasks import release_unpaid_orders as release_task
from tests import factories
from tests.orders.conftest import issue_allowance, make_checkout, make_voucher
from tests.orders.helpers import pay, refund_all, stock_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(shop, member, order_manager, rice):
    """A member's unpaid order: 2 × rice (¥100), ¥5 voucher, ¥10 shipping (under ¥99 after the voucher),
    ¥20 from the allowance: ¥85 to pay."""
    issue_allowance(member, "20.00", issued_by=order_manager)
    voucher = make_voucher(value="5.00", usage_limit=10)
    checkout = make_checkout(shop, [(rice, 2)], user=member, voucher=voucher, allowance="20")
    order, _ = complete_checkout(checkout, user=member)
    assert (order.total_amount, order.allowance_amount) == (Decimal("85.00"), Decimal("20.00"))
    return order


def event_types(order):
    return list(Order.objects.get(pk=order.pk).events.values_list("type", flat=True))


# --- Cancel -------------------------------------------------------------------------------------
def test_the_owner_cancels_an_unpaid_order_and_gets_stock_voucher_and_allowance_back(placed, member, rice):
    assert stock_of(rice) == (10, 2)
    assert allowance_balance(member) == Decimal("0.00")

    order = cancel_order(placed, by=member, reason="不想要了")

    assert order.status == OrderStatus.CANCELED and order.canceled_at is not None
    assert order.payment_due_at is None
    assert stock_of(rice) == (10, 0)
    assert Allocation.objects.count() == 0
    assert Voucher.objects.get().used == 0
    assert allowance_balance(member) == Decimal("20.00")
    assert event_types(order) == ["PLACED", "CANCELED", "ALLOCATION_RELEASED"]
    canceled, released = Order.objects.get(pk=order.pk).events.all()[1:]
    assert canceled.user == member and canceled.parameters["message"] == "不想要了"
    assert released.parameters["lines"] == [{"line_pk": str(order.lines.get().pk), "quantity": 2}]


def test_a_canceled_order_cannot_be_canceled_again(placed, member):
    cancel_order(placed, by=member)
    with pytest.raises(OrderActionError) as refused:
        cancel_order(placed, by=member)
    assert refused.value.code == "CANNOT_CANCEL_ORDER"
    assert allowance_balance(member) == Decimal("20.00")  # not refunded twice


def test_the_owner_cannot_cancel_a_paid_order(placed, member, rice):
    pay(placed)
    with pytest.raises(OrderActionError) as refused:
        cancel_order(placed, by=member)
    assert refused.value.code == "CANNOT_CANCEL_ORDER"
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.UNFULFILLED
    assert stock_of(rice) == (10, 2)


def test_staff_cancel_a_paid_order_only_once_it_is_refunded(placed, order_manager, member, rice):
    pay(placed)
    with pytest.raises(OrderActionError):
        cancel_order(placed, by=order_manager)

    refund_all(placed)
    order = cancel_order(placed, by=order_manager, reason="缺货")

    assert order.status == OrderStatus.CANCELED
    assert stock_of(rice) == (10, 0)
    assert allowance_balance(member) == Decimal("20.00")


def test_someone_else_cannot_cancel_a_members_order(placed, other_member, rice):
    with pytest.raises(PermissionDenied):
        cancel_order(placed, by=other_member)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        cancel_order(placed, by=AnonymousUser())
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.UNCONFIRMED
    assert stock_of(rice) == (10, 2)


def test_staff_cannot_cancel_a_fulfilled_order(placed, order_manager):
    pay(placed)
    fulfill_order(placed, lines=[FulfillRequest(placed.lines.get().pk, 2)], by=order_manager)
    with pytest.raises(OrderActionError):
        cancel_order(placed, by=order_manager)


# --- Expiry of unpaid orders -----------------------------------------------------------------------
def test_unpaid_orders_expire_after_the_hold_and_give_everything_back(placed, member, rice, settings):
    hold = timedelta(minutes=settings.ORDER_PAYMENT_HOLD_MINUTES)

    assert release_unpaid_orders(now=timezone.now() + hold - timedelta(minutes=1)) == 0
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.UNCONFIRMED

    assert release_unpaid_orders(now=timezone.now() + hold + timedelta(seconds=1)) == 1

    order = Order.objects.get(pk=placed.pk)
    assert order.status == OrderStatus.EXPIRED
    assert stock_of(rice) == (10, 0)
    assert Voucher.objects.get().used == 0
    assert allowance_balance(member) == Decimal("20.00")
    assert event_types(order) == ["PLACED", "EXPIRED", "ALLOCATION_RELEASED"]
    # Running again finds nothing more to do.
    assert release_unpaid_orders(now=timezone.now() + hold * 2) == 0


def test_a_paid_order_never_expires(placed, rice, settings):
    pay(placed)
    later = timezone.now() + timedelta(minutes=settings.ORDER_PAYMENT_HOLD_MINUTES + 1)

    assert release_unpaid_orders(now=later) == 0

    assert Order.objects.get(pk=placed.pk).status == OrderStatus.UNFULFILLED
    assert stock_of(rice) == (10, 2)


def test_an_order_with_a_payment_in_progress_does_not_expire(placed, rice):
    placed.transactions.create(amount_charge_pending=placed.total_amount)

    assert release_unpaid_orders(now=timezone.now() + timedelta(days=1)) == 0
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.UNCONFIRMED


def test_the_beat_task_has_the_scheduled_name_and_expires_due_orders(placed, settings):
    assert release_task.name == "orders.release_unpaid_orders"
    assert "orders.release_unpaid_orders" in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    Order.objects.filter(pk=placed.pk).update(payment_due_at=timezone.now() - timedelta(seconds=1))

    assert release_task.delay().get() == 1
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.EXPIRED


# --- Fulfilment ---------------------------------------------------------------------------------------
def test_fulfilling_takes_the_units_out_of_the_warehouse(placed, order_manager, rice):
    pay(placed)
    line = placed.lines.get()

    first = fulfill_order(placed, lines=[FulfillRequest(line.pk, 1)], by=order_manager, tracking_number="SF123")

    assert Order.objects.get(pk=placed.pk).status == OrderStatus.PARTIALLY_FULFILLED
    assert stock_of(rice) == (9, 1)
    assert (first.fulfillment_order, first.tracking_number) == (1, "SF123")
    second = fulfill_order(placed, lines=[FulfillRequest(line.pk, 1)], by=order_manager)
    assert second.fulfillment_order == 2
    order = Order.objects.get(pk=placed.pk)
    assert order.status == OrderStatus.FULFILLED
    assert order.lines.get().quantity_fulfilled == 2
    assert stock_of(rice) == (8, 0)
    assert Allocation.objects.count() == 0
    assert event_types(order).count(OrderEventType.FULFILLMENT_FULFILLED_ITEMS) == 2


def test_fulfilling_from_a_named_warehouse_without_an_allocation_uses_its_free_stock(placed, order_manager, shop, rice):
    other = factories.warehouse(channels=[shop.channel])
    from catalog import services as catalog_services

    catalog_services.set_stock(variant=rice, warehouse=other, quantity=3)
    pay(placed)

    fulfill_order(placed, lines=[FulfillRequest(placed.lines.get().pk, 2, other.pk)], by=order_manager)

    stocks = {stock.warehouse_id: (stock.quantity, stock.quantity_allocated) for stock in rice.stocks.all()}
    # Shipped from elsewhere, the line no longer holds its units in the first warehouse.
    assert stocks == {other.pk: (1, 0), shop.warehouse.pk: (10, 0)}
    assert Allocation.objects.count() == 0
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.FULFILLED


def test_an_unpaid_order_cannot_be_fulfilled(placed, order_manager, rice):
    with pytest.raises(OrderActionError) as refused:
        fulfill_order(placed, lines=[FulfillRequest(placed.lines.get().pk, 1)], by=order_manager)
    assert refused.value.code == "CANNOT_FULFILL_UNPAID_ORDER"
    assert stock_of(rice) == (10, 2)
    assert Fulfillment.objects.count() == 0


def test_more_than_is_left_to_ship_is_refused(placed, order_manager, rice):
    pay(placed)
    line = placed.lines.get()
    with pytest.raises(OrderActionError) as refused:
        fulfill_order(placed, lines=[FulfillRequest(line.pk, 1), FulfillRequest(line.pk, 2)], by=order_manager)
    assert refused.value.code == "FULFILL_ORDER_LINE"
    with pytest.raises(OrderActionError) as zero:
        fulfill_order(placed, lines=[FulfillRequest(line.pk, 0)], by=order_manager)
    assert zero.value.code == "ZERO_QUANTITY"
    assert stock_of(rice) == (10, 2)
    assert Fulfillment.objects.count() == 0


def test_only_staff_with_manage_orders_fulfil(placed, member):
    pay(placed)
    with pytest.raises(PermissionDenied):
        fulfill_order(placed, lines=[FulfillRequest(placed.lines.get().pk, 1)], by=member)
    with pytest.raises(AuthenticationRequired):
        fulfill_order(placed, lines=[FulfillRequest(placed.lines.get().pk, 1)], by=None)
