"""The relief purchase ledger: what is written when members' orders are paid, refunded and canceled."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from orders.charge import refresh_charge_status
from orders.models import GrantedRefundStatus, Order
from orders.services import cancel_order
from payments import services as payments
from relief_sourcing import amounts
from relief_sourcing.ledger import certification_at, record_paid_order
from relief_sourcing.models import ReliefCertification, ReliefLedgerEntry, ReliefSupplier
from tests.orders.conftest import issue_allowance, make_user, make_voucher
from tests.payments.test_webhooks import event, post, sign
from tests.relief_sourcing.conftest import buy, certify, pay, place_in

pytestmark = pytest.mark.django_db

D = Decimal


def entries(order, **filters):
    return list(ReliefLedgerEntry.objects.filter(order=order, **filters).order_by("occurred_at", "pk"))


def line_of(order, variant):
    return order.lines.get(variant=variant)


# --- Attribution ---------------------------------------------------------------------------------
def test_a_member_purchase_of_a_certified_product_is_credited_to_their_grassroots_branch(
    shop, member, tree, plum, rice, certification, region, supplier
):
    order = pay(buy(shop, member, [(plum, 2), (rice, 1)]))

    [entry] = entries(order)
    assert entry.event == "PAID" and entry.event_key == "paid" and entry.channel == "MEMBER"
    assert (entry.branch, entry.branch_path) == (tree.grassroots, tree.grassroots.path)
    assert entry.branch_path.startswith(tree.city.path)
    assert (entry.amount, entry.quantity) == (D("50.00"), 2)  # member price 25 × 2; the rice is not relief
    assert (entry.region, entry.supplier, entry.certification) == (region, supplier, certification)
    assert (entry.product_id, entry.order_line, entry.buyer) == (plum.product_id, line_of(order, plum), member)
    assert entry.occurred_at == order.paid_at


def test_nothing_is_written_before_the_order_is_paid(shop, member, plum, certification):
    order = buy(shop, member, [(plum, 2)])

    assert entries(order) == []


def test_a_guest_and_a_member_without_a_branch_are_not_credited(shop, django_user_model, plum, certification, tree):
    unplaced = make_user(django_user_model, "new@example.com", verified=True)
    guest_order = pay(buy(shop, None, [(plum, 1)]))
    unplaced_order = pay(buy(shop, unplaced, [(plum, 1)]))

    assert entries(guest_order) == [] and entries(unplaced_order) == []


def test_the_branch_credited_is_the_one_at_payment_time(shop, member, tree, plum, certification):
    first = pay(buy(shop, member, [(plum, 1)]))
    place_in(member, tree.sibling)
    second = pay(buy(shop, member, [(plum, 1)]))

    assert entries(first)[0].branch == tree.grassroots
    assert entries(second)[0].branch == tree.sibling


# --- Amounts -------------------------------------------------------------------------------------
def test_the_voucher_discount_is_spread_over_lines_and_the_allowance_counts(
    shop, member, plum, rice, certification, order_manager
):
    """plum 4 × 25 = 100, rice 2 × 50 = 100; a ¥9.99 voucher splits 5.00 / 4.99 by largest remainder;
    ¥60 of allowance paid part of the goods and is still the member's relief purchase."""
    issue_allowance(member, "60.00", issued_by=order_manager)
    voucher = make_voucher(shop, value="9.99", usage_limit=10)
    order = pay(buy(shop, member, [(plum, 4), (rice, 2)], voucher=voucher, allowance="60"))

    assert (order.discount_amount, order.allowance_amount) == (D("9.99"), D("60.00"))
    [entry] = entries(order)
    assert entry.amount == D("95.00")  # 100 − 5.00 (the first line takes the odd fen)
    assert entry.quantity == 4


def test_a_voucher_spread_leaves_no_fen_behind():
    lines = {key: amounts.PaidLine(1000, 1) for key in "abc"}

    values = amounts.paid_values(lines, D("1.00"))

    assert values == {"a": 966, "b": 967, "c": 967}  # 34 + 33 + 33 fen off; the tie goes to the first line


@given(
    st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=10**8),
)
def test_spreading_adds_up_exactly_and_stays_proportional(weights, total):
    keyed = dict(enumerate(weights))

    shares = amounts.spread(total, keyed)

    assert sum(shares.values()) == total
    whole = sum(weights)
    for key, weight in keyed.items():
        assert abs(shares[key] - total * weight / whole) < 1


# --- Certification at the time ---------------------------------------------------------------------
def test_an_expired_certification_does_not_count(shop, member, plum, supplier, region):
    certify(plum, supplier, region, days_from=-400, days_to=-1)

    order = pay(buy(shop, member, [(plum, 1)]))

    assert entries(order) == []


def test_a_certification_not_yet_valid_does_not_count(shop, member, plum, supplier, region):
    certify(plum, supplier, region, days_from=1, days_to=300)

    assert entries(pay(buy(shop, member, [(plum, 1)]))) == []


def test_a_certification_revoked_before_the_purchase_does_not_count(shop, member, plum, certification):
    ReliefCertification.objects.filter(pk=certification.pk).update(
        status="REVOKED", revoked_reason="抽检不合格", revoked_at=timezone.now() - timedelta(hours=1)
    )

    assert entries(pay(buy(shop, member, [(plum, 1)]))) == []


def test_a_revocation_after_the_purchase_does_not_undo_it(shop, member, plum, certification):
    order = pay(buy(shop, member, [(plum, 1)]))
    ReliefCertification.objects.filter(pk=certification.pk).update(
        status="REVOKED", revoked_reason="抽检不合格", revoked_at=timezone.now()
    )

    assert len(entries(order)) == 1
    assert certification_at(plum.product_id, order.paid_at) == certification
    assert certification_at(plum.product_id, timezone.now() + timedelta(seconds=1)) is None


def test_a_suspended_supplier_s_products_do_not_count(shop, member, plum, certification, supplier):
    ReliefSupplier.objects.filter(pk=supplier.pk).update(admission_status="SUSPENDED", decided_at=timezone.now())

    assert entries(pay(buy(shop, member, [(plum, 1)]))) == []


# --- Refunds and cancellation ------------------------------------------------------------------------
@pytest.fixture
def allowance_paid(shop, member, plum, certification, order_manager):
    """plum 4 × 25 = ¥100 (free shipping), all from the allowance: paid at once, refunds need no card."""
    issue_allowance(member, "100.00", issued_by=order_manager)
    order = buy(shop, member, [(plum, 4)], allowance="100")
    assert order.paid_at is not None and order.total_amount == 0
    return order


def test_a_refund_by_line_writes_a_negative_entry_for_the_units_returned(allowance_paid, order_manager, plum):
    line = line_of(allowance_paid, plum)

    granted = payments.refund(allowance_paid, by=order_manager, lines=[{"line": line, "quantity": 1}])

    assert granted.status == GrantedRefundStatus.SUCCESS
    refund = entries(allowance_paid, event="REFUNDED")
    assert [(e.amount, e.quantity, e.event_key, e.branch_id) for e in refund] == [
        (D("-25.00"), -1, f"granted-refund:{granted.pk}", entries(allowance_paid)[0].branch_id)
    ]


def test_a_refund_of_a_bare_amount_is_taken_from_the_line_without_units(allowance_paid, order_manager):
    payments.refund(allowance_paid, by=order_manager, amount="12.34")

    [refund] = entries(allowance_paid, event="REFUNDED")
    assert (refund.amount, refund.quantity) == (D("-12.34"), 0)


def test_a_refund_is_written_once_even_when_carried_out_again(allowance_paid, order_manager):
    granted = payments.refund(allowance_paid, by=order_manager, amount="10.00", idempotency_key="k1")
    payments.refund(allowance_paid, by=order_manager, amount="10.00", idempotency_key="k1")
    payments.execute_granted_refund(granted, by=order_manager)

    assert len(entries(allowance_paid, event="REFUNDED")) == 1


def test_uncertified_lines_get_no_refund_entries(shop, member, rice, certification, order_manager):
    issue_allowance(member, "100.00", issued_by=order_manager)
    order = buy(shop, member, [(rice, 2)], allowance="100")

    payments.refund(order, by=order_manager, amount="50.00")

    assert entries(order) == []


def test_cancellation_after_payment_takes_back_what_refunds_left(allowance_paid, order_manager, plum):
    payments.refund(allowance_paid, by=order_manager, lines=[{"line": line_of(allowance_paid, plum), "quantity": 1}])

    cancel_order(allowance_paid, by=order_manager, reason="缺货")

    [canceled] = entries(allowance_paid, event="CANCELED")
    assert (canceled.amount, canceled.quantity, canceled.event_key) == (D("-75.00"), -3, "canceled")
    assert canceled.occurred_at == Order.objects.get(pk=allowance_paid.pk).canceled_at
    net = sum(e.amount for e in entries(allowance_paid))
    assert net == 0 and sum(e.quantity for e in entries(allowance_paid)) == 0


def test_an_unpaid_order_canceled_writes_nothing(shop, member, plum, certification):
    order = buy(shop, member, [(plum, 1)])

    cancel_order(order, by=member)

    assert entries(order) == []


def test_refunds_by_line_in_parts_take_back_exactly_what_was_paid(
    shop, member, plum, rice, certification, order_manager
):
    """plum 3 × 25 and rice 1 × 50 with a ¥10 voucher: plum paid 75 − 6.00 = 69.00, a third is 23.00."""
    issue_allowance(member, "115.00", issued_by=order_manager)
    voucher = make_voucher(shop, value="10.00", usage_limit=10)
    order = buy(shop, member, [(plum, 3), (rice, 1)], voucher=voucher, allowance="115")
    line = line_of(order, plum)
    assert entries(order)[0].amount == D("69.00")

    for _ in range(3):
        payments.refund(order, by=order_manager, lines=[{"line": line, "quantity": 1}])

    refunds = [e.amount for e in entries(order, event="REFUNDED")]
    assert refunds == [D("-23.00"), D("-23.00"), D("-23.00")]
    assert sum(e.amount for e in entries(order)) == 0


# --- Once only -------------------------------------------------------------------------------------
def test_recording_a_paid_order_again_writes_nothing_more(shop, member, plum, certification):
    order = pay(buy(shop, member, [(plum, 2)]))

    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        became_paid = refresh_charge_status(locked)
    record_paid_order(order)

    assert became_paid is False
    assert len(entries(order)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_recording_the_same_paid_order_write_once(shop, member, plum, certification):
    order = pay(buy(shop, member, [(plum, 2)]))
    # The payment hook wrote it already; two more writers at once still leave one entry.
    start = threading.Barrier(2)
    results, failures = [], []

    def record():
        try:
            start.wait()
            with transaction.atomic():
                results.append(len(record_paid_order(Order.objects.get(pk=order.pk))))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert results == [1, 1]
    assert ReliefLedgerEntry.objects.filter(order=order).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_writing_the_first_entry_of_an_order_write_once(shop, member, plum, certification):
    """The race that matters: nothing written yet, both threads insert; ON CONFLICT keeps one."""
    order = buy(shop, member, [(plum, 2)])
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now())
    start = threading.Barrier(2)
    failures = []

    def record():
        try:
            with transaction.atomic():
                fresh = Order.objects.get(pk=order.pk)
                start.wait()
                record_paid_order(fresh)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert ReliefLedgerEntry.objects.filter(order=order).count() == 1


def test_a_duplicate_payment_webhook_writes_once(
    client, shop, member, plum, certification, stripe_settings, shopper_stripe
):
    """The real flow on localstripe: the shopper pays, Stripe's succeeded event arrives twice (the same
    event replayed, and a second event about the same PaymentIntent), plus transactionProcess."""
    order = buy(shop, member, [(plum, 2)])
    item, _, _ = payments.initialize_transaction(order=order, user=member)
    shopper_stripe.pay(item.psp_reference)
    intent = shopper_stripe.intent(item.psp_reference).to_dict()
    replayed = event(intent)

    outcomes = [post(client, body, sign(body)).json()["outcome"] for body in (replayed, replayed, event(intent))]
    payments.process_transaction(item)

    assert outcomes == ["processed", "duplicate", "processed"]
    [paid] = entries(order)
    assert (paid.amount, paid.occurred_at) == (D("50.00"), Order.objects.get(pk=order.pk).paid_at)


def test_a_card_refund_by_line_on_localstripe_writes_its_negative_entry(
    shop, member, plum, certification, stripe_settings, shopper_stripe, order_manager
):
    order = buy(shop, member, [(plum, 2)])
    item, _, _ = payments.initialize_transaction(order=order, user=member)
    shopper_stripe.pay(item.psp_reference)
    payments.process_transaction(item)

    granted = payments.refund(order, by=order_manager, lines=[{"line": line_of(order, plum), "quantity": 1}])

    assert granted.status == GrantedRefundStatus.SUCCESS
    assert [(e.event, e.amount, e.quantity) for e in entries(order)] == [
        ("PAID", D("50.00"), 2),
        ("REFUNDED", D("-25.00"), -1),
    ]


# --- Append-only -------------------------------------------------------------------------------------
@pytest.fixture
def entry(shop, member, plum, certification):
    return entries(pay(buy(shop, member, [(plum, 2)])))[0]


def test_the_model_refuses_to_update_an_entry(entry):
    entry.amount = D("1.00")

    with pytest.raises(ValueError, match="append-only"):
        entry.save()

    assert ReliefLedgerEntry.objects.get(pk=entry.pk).amount == D("50.00")


def test_the_model_refuses_to_delete_an_entry(entry):
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()

    assert ReliefLedgerEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE relief_sourcing_reliefledgerentry SET amount = 1 WHERE id = %s",
        "DELETE FROM relief_sourcing_reliefledgerentry WHERE id = %s",
    ],
)
def test_the_database_refuses_to_update_or_delete_an_entry(entry, sql):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])

    assert ReliefLedgerEntry.objects.get(pk=entry.pk).amount == D("50.00")


def test_a_queryset_update_or_delete_is_refused_by_the_database(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReliefLedgerEntry.objects.filter(pk=entry.pk).update(amount=D("0"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReliefLedgerEntry.objects.filter(pk=entry.pk).delete()

    assert ReliefLedgerEntry.objects.get(pk=entry.pk).amount == D("50.00")
