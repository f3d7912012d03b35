"""Completions, payments and expiry at the same moment, with real threads on their own connections."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from graphql_relay import to_global_id

from allowances.models import AllowanceEntry, AllowanceEntryType
from allowances.selectors import allowance_balance
from allowances.services import lock_member_allowances
from catalog.models import Stock
from checkout.models import Voucher
from mall.errors import DomainError
from orders.charge import refresh_charge_status
from orders.models import Order, OrderStatus
from orders.services import complete_checkout, release_unpaid_orders
from payments.models import TransactionItem
from tests import factories
from tests.orders.conftest import api_for, issue_allowance, make_checkout, make_voucher
from tests.orders.helpers import stock_of

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(calls) -> list:
    """Run each call in its own thread, all released at once; returns each call's result or DomainError."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except DomainError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def error_codes(results) -> list[str]:
    return sorted(result.code for result in results if isinstance(result, DomainError))


def completing(checkout, user=None):
    return lambda: complete_checkout(checkout, user=user)[0]


def test_fifty_buyers_for_the_last_five_units_make_exactly_five_orders(shop):
    product = factories.product(channel=shop.channel, name="限量月饼", quantity=5, warehouse=shop.warehouse)
    variant = product.variants.get()
    checkouts = [make_checkout(shop, [(variant, 1)], email=f"buyer{n}@example.com") for n in range(50)]

    results = run_together([completing(checkout) for checkout in checkouts])

    orders = [result for result in results if isinstance(result, Order)]
    assert len(orders) == 5
    assert error_codes(results) == ["INSUFFICIENT_STOCK"] * 45
    assert Order.objects.count() == 5
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (5, 5)
    assert len({order.pk for order in orders}) == 5


def test_completing_one_checkout_twice_at_once_gives_one_order(shop, member, tea):
    checkout = make_checkout(shop, [(tea, 2)], user=member)

    results = run_together([completing(checkout, member), completing(checkout, member)])

    assert all(isinstance(result, Order) for result in results), results
    assert results[0].pk == results[1].pk
    assert Order.objects.count() == 1
    assert stock_of(tea) == (10, 2)


def test_a_members_checkouts_completing_at_once_never_overspend_the_allowance(shop, member, order_manager):
    issue_allowance(member, "100.00", issued_by=order_manager)
    # Different products, so that nothing but the allowance ledger makes the checkouts wait for each other.
    variants = [
        factories.product(channel=shop.channel, price="25.00", warehouse=shop.warehouse).variants.get()
        for _ in range(4)
    ]
    checkouts = [make_checkout(shop, [(variant, 4)], user=member, allowance="100") for variant in variants]

    results = run_together([completing(checkout, member) for checkout in checkouts])

    orders = Order.objects.filter(user=member)
    assert orders.aggregate(spent=Sum("allowance_amount"))["spent"] == Decimal("100.00")
    assert allowance_balance(member) == Decimal("0.00")
    assert AllowanceEntry.objects.filter(user=member).aggregate(total=Sum("amount"))["total"] == Decimal("0.00")
    # A checkout priced before the winner committed is refused; one priced after pays it all by card.
    assert set(error_codes(results)) <= {"INSUFFICIENT_ALLOWANCE"}
    assert orders.count() + len(error_codes(results)) == 4


def test_a_voucher_limited_to_three_uses_is_used_three_times_under_a_rush(shop):
    voucher = make_voucher(value="1.00", usage_limit=3)
    variants = [factories.product(channel=shop.channel, warehouse=shop.warehouse).variants.get() for _ in range(10)]
    checkouts = [make_checkout(shop, [(variant, 1)], voucher=voucher) for variant in variants]

    results = run_together([completing(checkout) for checkout in checkouts])

    assert Voucher.objects.get().used == 3
    assert Order.objects.filter(voucher=voucher).count() == 3
    assert error_codes(results) == ["VOUCHER_NOT_APPLICABLE"] * 7


def wait_until_blocked_on_a_lock(timeout: float = 10) -> None:
    """Until some other session of this database waits for a lock (the releaser behind the payment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the releaser never waited for the order's lock")


def test_a_payment_committed_first_wins_over_expiry(shop, tea, settings):
    order, _ = complete_checkout(make_checkout(shop, [(tea, 1)]), user=None)
    later = timezone.now() + timezone.timedelta(minutes=settings.ORDER_PAYMENT_HOLD_MINUTES + 1)
    paying, commit = threading.Event(), threading.Event()
    released = []

    def payer():
        try:
            with transaction.atomic():
                locked = Order.objects.select_for_update().get(pk=order.pk)
                TransactionItem.objects.create(order=locked, amount_charged=locked.total_amount)
                refresh_charge_status(locked)
                paying.set()
                assert commit.wait(timeout=30)
        finally:
            connection.close()

    def releaser():
        try:
            released.append(release_unpaid_orders(now=later))
        finally:
            connection.close()

    payment = threading.Thread(target=payer)
    payment.start()
    assert paying.wait(timeout=30)
    expiry = threading.Thread(target=releaser)
    expiry.start()
    wait_until_blocked_on_a_lock()
    commit.set()
    payment.join(timeout=30)
    expiry.join(timeout=30)

    assert released == [0]
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED and order.is_paid
    assert stock_of(tea) == (10, 1)


def test_a_checkout_priced_before_another_spend_committed_gets_insufficient_allowance_over_the_api(
    shop, member, order_manager, tea
):
    grant = issue_allowance(member, "25.00", issued_by=order_manager)
    checkout = make_checkout(shop, [(tea, 1)], user=member, allowance="25")
    spending = threading.Event()

    def spend_elsewhere():
        # Holds the member's ledger lock with a spend of the whole grant until the completion below
        # (which priced the checkout with the grant still there) waits for that lock, then commits.
        try:
            with transaction.atomic():
                lock_member_allowances(member)
                AllowanceEntry.objects.create(
                    grant=grant, user=member, type=AllowanceEntryType.SPEND, amount=Decimal("-25.00")
                )
                spending.set()
                wait_until_blocked_on_a_lock()
        finally:
            connection.close()

    other = threading.Thread(target=spend_elsewhere)
    other.start()
    assert spending.wait(timeout=30)
    payload = api_for(member).data(
        "mutation($id: ID) { checkoutComplete(id: $id) { order { id } errors { field code } } }",
        {"id": to_global_id("Checkout", checkout.pk)},
    )["checkoutComplete"]
    other.join(timeout=30)

    assert payload == {"order": None, "errors": [{"field": "allowance", "code": "INSUFFICIENT_ALLOWANCE"}]}
    assert Order.objects.count() == 0 and stock_of(tea) == (10, 0)
    assert allowance_balance(member) == Decimal("0.00")
