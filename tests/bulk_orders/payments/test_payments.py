"""Paying bulk orders: bank transfers recorded by operators add up, the order becomes paid through the
same charge status as a card payment, and the relief ledger credits the ordering branch."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from bulk_orders.models import BankTransfer, BulkOrder, BulkOrderStatus, BulkOrderTransition
from bulk_orders.payments import BANK_TRANSFER_GATEWAY, payment_summary, record_transfer
from mall.errors import DomainError, PermissionDenied
from orders.models import Order, OrderChargeStatus, OrderStatus
from payments import services as payment_services
from payments.models import TransactionEventType, TransactionItem
from relief_sourcing.models import ReliefChannel, ReliefLedgerEntry
from relief_sourcing.reconciliation import reconcile_day
from tests.orders.conftest import make_user
from tests.relief_sourcing.conftest import buy, pay, place_in

pytestmark = pytest.mark.django_db


def transfer(bulk_order, by, amount, reference, **fields):
    return record_transfer(
        bulk_order,
        amount=Decimal(amount),
        received_on=fields.get("received_on", date(2026, 9, 1)),
        payer_name=fields.get("payer_name", "科技园一号工会"),
        bank_reference=reference,
        by=by,
    )


def fresh(bulk_order) -> BulkOrder:
    return BulkOrder.objects.select_related("order").get(pk=bulk_order.pk)


def test_partial_transfers_add_up_and_leave_the_order_placed(bulk_order, operator):
    transfer(bulk_order, operator, "400.00", "ICBC20260901001")
    transfer(bulk_order, operator, "300.00", "ICBC20260902001")

    bulk_order = fresh(bulk_order)
    assert bulk_order.status == BulkOrderStatus.PLACED
    assert bulk_order.order.charge_status == OrderChargeStatus.PARTIAL
    assert bulk_order.order.total_charged_amount == Decimal("700.00")
    summary = payment_summary(bulk_order)
    assert (summary.paid, summary.due, summary.overpaid) == (Decimal("700.00"), Decimal("400.00"), False)
    assert not ReliefLedgerEntry.objects.filter(order=bulk_order.order).exists()


def test_each_transfer_is_a_bank_transfer_and_a_charged_transaction(bulk_order, operator):
    transfer(bulk_order, operator, "400.00", "ICBC20260901001")

    item = TransactionItem.objects.get(order=bulk_order.order)
    assert (item.app_identifier, item.psp_reference, item.amount_charged) == (
        BANK_TRANSFER_GATEWAY,
        "ICBC20260901001",
        Decimal("400.00"),
    )
    event = item.events.get()
    assert (event.type, event.amount_value, event.created_by) == (
        TransactionEventType.CHARGE_SUCCESS,
        Decimal("400.00"),
        operator,
    )
    assert BankTransfer.objects.get().recorded_by == operator


def test_full_coverage_marks_the_bulk_order_paid_and_credits_the_branch(bulk_order, operator, tree, plum):
    transfer(bulk_order, operator, "600.00", "ICBC20260901001")
    transfer(bulk_order, operator, "500.00", "ICBC20260902001")

    bulk_order = fresh(bulk_order)
    assert bulk_order.status == BulkOrderStatus.PAID
    assert bulk_order.order.charge_status == OrderChargeStatus.FULL
    assert bulk_order.order.status == OrderStatus.UNFULFILLED
    step = BulkOrderTransition.objects.get(bulk_order=bulk_order)
    assert (step.from_status, step.to_status, step.user) == (BulkOrderStatus.PLACED, BulkOrderStatus.PAID, operator)
    # Only the certified plums count; the rice does not.
    entry = ReliefLedgerEntry.objects.get(order=bulk_order.order)
    assert (entry.channel, entry.branch, entry.amount, entry.quantity, entry.product_id) == (
        ReliefChannel.BRANCH,
        tree.grassroots,
        Decimal("600.00"),
        20,
        plum.product_id,
    )
    assert entry.buyer_id == bulk_order.created_by_id


def test_overpayment_is_flagged_and_still_pays_the_order(bulk_order, operator):
    transfer(bulk_order, operator, "1000.00", "ICBC20260901001")
    transfer(bulk_order, operator, "150.00", "ICBC20260902001")

    bulk_order = fresh(bulk_order)
    assert bulk_order.status == BulkOrderStatus.PAID
    assert bulk_order.order.charge_status == OrderChargeStatus.OVERCHARGED
    summary = payment_summary(bulk_order)
    assert (summary.overpaid, summary.overpaid_amount, summary.due) == (True, Decimal("50.00"), Decimal("0.00"))
    assert "多付 ¥50.00" in BulkOrderTransition.objects.get(bulk_order=bulk_order).comment


def test_a_paid_bulk_order_takes_no_more_transfers(bulk_order, operator):
    transfer(bulk_order, operator, "1100.00", "ICBC20260901001")

    with pytest.raises(DomainError) as error:
        transfer(bulk_order, operator, "10.00", "ICBC20260902001")
    assert error.value.code == "INVALID_STATUS"
    assert BankTransfer.objects.count() == 1


def test_a_duplicate_bank_reference_is_refused_and_writes_nothing(bulk_order, operator):
    transfer(bulk_order, operator, "400.00", "ICBC20260901001")

    with pytest.raises(DomainError) as error:
        transfer(bulk_order, operator, "400.00", "ICBC20260901001")
    assert (error.value.code, error.value.field) == ("UNIQUE", "bank_reference")
    assert "已登记过" in error.value.message
    assert BankTransfer.objects.count() == 1
    assert TransactionItem.objects.count() == 1
    assert fresh(bulk_order).order.total_charged_amount == Decimal("400.00")


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.005"])
def test_an_amount_must_be_positive_fen(bulk_order, operator, amount):
    with pytest.raises(DomainError) as error:
        transfer(bulk_order, operator, amount, "ICBC20260901001")
    assert error.value.field == "amount"
    assert not BankTransfer.objects.exists()


def test_only_operators_record_transfers(bulk_order, clerk, approver):
    for user in (clerk, approver):
        with pytest.raises(PermissionDenied):
            transfer(bulk_order, user, "400.00", "ICBC20260901001")
    assert not BankTransfer.objects.exists()


def test_a_bulk_order_not_placed_takes_no_transfer(bulk_order, operator):
    BulkOrder.objects.filter(pk=bulk_order.pk).update(status=BulkOrderStatus.APPROVED)

    with pytest.raises(DomainError) as error:
        transfer(bulk_order, operator, "400.00", "ICBC20260901001")
    assert error.value.code == "INVALID_STATUS"


def test_reconciliation_agrees_with_a_bulk_order_paid_by_transfer(
    bulk_order, operator, shop, tree, plum, django_user_model
):
    member = place_in(make_user(django_user_model, "member@example.com", verified=True), tree.sibling)
    pay(buy(shop, member, [(plum, 2)]))
    transfer(bulk_order, operator, "1100.00", "ICBC20260901001")

    channels = set(ReliefLedgerEntry.objects.values_list("channel", flat=True))
    assert channels == {ReliefChannel.MEMBER, ReliefChannel.BRANCH}
    assert reconcile_day(timezone.localdate(fresh(bulk_order).order.paid_at)) is None


def test_a_bulk_order_paid_by_card_becomes_paid(bulk_order, clerk, stripe_settings, shopper_stripe, tree):
    order = Order.objects.get(pk=bulk_order.order_id)
    item, _, data = payment_services.initialize_transaction(order=order, user=clerk)
    assert "stripeClientSecret" in data["paymentIntent"]
    shopper_stripe.pay(item.psp_reference)

    payment_services.process_transaction(item, user=clerk)

    bulk_order = fresh(bulk_order)
    assert bulk_order.order.charge_status == OrderChargeStatus.FULL
    assert bulk_order.status == BulkOrderStatus.PAID
    step = BulkOrderTransition.objects.get(bulk_order=bulk_order)
    assert step.user == clerk
    entry = ReliefLedgerEntry.objects.get(order=order)
    assert (entry.channel, entry.branch) == (ReliefChannel.BRANCH, tree.grassroots)


@pytest.mark.django_db(transaction=True)
def test_two_transfers_recorded_at_once_both_count_and_pay_the_order_once(bulk_order, operator):
    start = threading.Barrier(2)
    failures = []

    def record(reference):
        try:
            start.wait()
            transfer(bulk_order, operator, "550.00", reference)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(reference,)) for reference in ("ICBC001", "ICBC002")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    bulk_order = fresh(bulk_order)
    assert (bulk_order.status, bulk_order.order.total_charged_amount) == (BulkOrderStatus.PAID, Decimal("1100.00"))
    assert BulkOrderTransition.objects.filter(bulk_order=bulk_order).count() == 1
    assert ReliefLedgerEntry.objects.filter(order=bulk_order.order).count() == 1
