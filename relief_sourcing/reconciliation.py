"""Reconciliation of the relief ledger with the orders: a day's entries recomputed from what was paid,
refunded and canceled, compared line by line.

The expected entries are worked out from the orders themselves — their lines, their successful
granted refunds, the certifications in force at the moment of payment, the buyer's branch — without
reading the ledger or calling the code that writes it; only the arithmetic rule (amounts.py) is shared.
A difference is recorded as a ReconciliationMismatch with one detail per order line, for operators to
look into in the admin. Days are calendar days in the mall's time zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from orders.models import GrantedRefundStatus, Order, OrderGrantedRefund, OrderOrigin, OrderStatus
from relief_sourcing import amounts
from relief_sourcing.models import ReconciliationMismatch, ReliefCertification, ReliefLedgerEntry, ReliefSupplier

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Expected:
    order_number: int
    product_name: str
    amount: int  # fen, signed
    quantity: int


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    return start, start + timedelta(days=1)


def _relief_product_ids(product_ids: set, moment) -> set:
    """Products covered at `moment` by a certification valid that day, not revoked by then, of a
    supplier admitted by then (the rule of the issue, written out here on its own)."""
    if not product_ids:
        return set()
    day = timezone.localdate(moment)
    certifications = (
        ReliefCertification.objects.filter(valid_from__lte=day, valid_to__gte=day)
        .exclude(status=ReliefCertification.Status.REVOKED, revoked_at__isnull=True)
        .exclude(status=ReliefCertification.Status.REVOKED, revoked_at__lte=moment)
        .filter(
            Q(supplier__admission_status=ReliefSupplier.AdmissionStatus.APPROVED) & ~Q(supplier__decided_at__gt=moment)
            | Q(supplier__admission_status=ReliefSupplier.AdmissionStatus.SUSPENDED, supplier__decided_at__gt=moment)
        )
    )
    through = ReliefCertification.products.through.objects.filter(
        product_id__in=product_ids, reliefcertification__in=certifications
    )
    return set(through.values_list("product_id", flat=True))


def _credited(order) -> bool:
    """Whether the order's purchase is credited to a branch at all: a bulk order always, a member's
    when their profile names a branch."""
    if order.origin == OrderOrigin.BULK:
        return True
    profile = getattr(order.user, "member_profile", None) if order.user_id else None
    return profile is not None and profile.branch_id is not None


class _OrderFacts:
    """An order's lines as paid, which of them were relief purchases, and its successful refunds in order."""

    def __init__(self, order):
        self.order = order
        self.lines = {line.pk: line for line in order.lines.all()}
        self.paid_lines = {
            line.pk: amounts.PaidLine(amounts.to_fen(line.total_price_amount), line.quantity)
            for line in self.lines.values()
        }
        self.paid = amounts.paid_values(self.paid_lines, order.discount_amount)
        relief_products = (
            _relief_product_ids({line.product_id for line in self.lines.values()}, order.paid_at)
            if order.paid_at is not None and _credited(order)
            else set()
        )
        self.relief = {pk for pk, line in self.lines.items() if line.product_id in relief_products}
        self.refunds = sorted(
            (refund for refund in order.granted_refunds.all() if refund.status == GrantedRefundStatus.SUCCESS),
            key=lambda refund: (refund.updated_at, refund.pk),
        )
        self.refund_shares = amounts.refund_shares(
            self.paid_lines,
            self.paid,
            [
                amounts.Refund(
                    goods=max(
                        amounts.to_fen(
                            refund.amount - (order.shipping_price_amount if refund.shipping_costs_included else 0)
                        ),
                        0,
                    ),
                    units={line.order_line_id: line.quantity for line in refund.lines.all()},
                )
                for refund in self.refunds
            ],
        )

    def expected(self, pk, fen, quantity) -> Expected:
        line = self.lines[pk]
        return Expected(self.order.number, line.product_name, fen, quantity)


def _orders(ids) -> list:
    return list(
        Order.objects.filter(pk__in=ids)
        .select_related("user__member_profile")
        .prefetch_related("lines", "granted_refunds__lines")
    )


def expected_entries(day: date) -> dict:
    """{(order line id, event, event key): Expected} of the day, from the orders."""
    start, end = day_bounds(day)
    paid_ids = set(Order.objects.filter(paid_at__gte=start, paid_at__lt=end).values_list("pk", flat=True))
    refunds = OrderGrantedRefund.objects.filter(
        status=GrantedRefundStatus.SUCCESS, updated_at__gte=start, updated_at__lt=end, order__paid_at__isnull=False
    )
    refund_ids = set(refunds.values_list("pk", flat=True))
    refund_order_ids = set(refunds.values_list("order_id", flat=True))
    canceled_ids = set(
        Order.objects.filter(
            status=OrderStatus.CANCELED, paid_at__isnull=False, canceled_at__gte=start, canceled_at__lt=end
        ).values_list("pk", flat=True)
    )
    expected = {}
    for order in _orders(paid_ids | refund_order_ids | canceled_ids):
        facts = _OrderFacts(order)
        if not facts.relief:
            continue
        if order.pk in paid_ids:
            for pk in facts.relief:
                expected[(pk, "PAID", "paid")] = facts.expected(pk, facts.paid[pk], facts.lines[pk].quantity)
        for refund, shares in zip(facts.refunds, facts.refund_shares, strict=True):
            if refund.pk in refund_ids:
                for pk, (fen, units) in shares.items():
                    if pk in facts.relief:
                        expected[(pk, "REFUNDED", f"granted-refund:{refund.pk}")] = facts.expected(pk, -fen, -units)
        if order.pk in canceled_ids:
            _expect_cancellation(facts, expected)
    return expected


def _expect_cancellation(facts: _OrderFacts, expected: dict) -> None:
    """What an order canceled after payment takes back: what its refunds before then left on each line."""
    left = {pk: (facts.paid[pk], facts.lines[pk].quantity) for pk in facts.relief}
    for refund, shares in zip(facts.refunds, facts.refund_shares, strict=True):
        if refund.updated_at > facts.order.canceled_at:
            continue
        for pk, (fen, units) in shares.items():
            if pk in left:
                left[pk] = (left[pk][0] - fen, left[pk][1] - units)
    for pk, (fen, quantity) in left.items():
        if fen or quantity:
            expected[(pk, "CANCELED", "canceled")] = facts.expected(pk, -fen, -quantity)


def ledger_entries(day: date) -> dict:
    """{(order line id, event, event key): (fen, quantity, order number, product name)} written for the day."""
    start, end = day_bounds(day)
    rows = ReliefLedgerEntry.objects.filter(occurred_at__gte=start, occurred_at__lt=end).values_list(
        "order_line_id", "event", "event_key", "amount", "quantity", "order__number", "order_line__product_name"
    )
    found = {}
    for line_id, event, key, amount, quantity, number, name in rows:
        fen, units, *_ = found.get((line_id, event, key), (0, 0))
        found[(line_id, event, key)] = (fen + amounts.to_fen(amount), units + quantity, number, name)
    return found


def compare(expected: dict, written: dict) -> list:
    """One detail per (order line, event, key) where the orders and the ledger disagree."""
    details = []
    for key in sorted(set(expected) | set(written), key=lambda key: (str(key[0]), key[1], key[2])):
        want = expected.get(key)
        have = written.get(key)
        want_fen, want_units = (want.amount, want.quantity) if want else (0, 0)
        have_fen, have_units = (have[0], have[1]) if have else (0, 0)
        if (want_fen, want_units) == (have_fen, have_units) and (want is None) == (have is None):
            continue
        line_id, event, event_key = key
        details.append(
            {
                "order_line": str(line_id),
                "order_number": want.order_number if want else have[2],
                "product": want.product_name if want else have[3],
                "event": event,
                "event_key": event_key,
                "expected_amount": str(amounts.from_fen(want_fen)),
                "ledger_amount": str(amounts.from_fen(have_fen)),
                "expected_quantity": want_units,
                "ledger_quantity": have_units,
                "problem": "台账缺少记录" if have is None else ("台账多出记录" if want is None else "金额或数量不符"),
            }
        )
    return details


def reconcile_day(day: date) -> ReconciliationMismatch | None:
    """Recompute `day` from the orders and compare with the ledger; record and return the mismatch
    (the open one already recorded for the day when nothing changed since), or None when they agree."""
    expected = expected_entries(day)
    written = ledger_entries(day)
    details = compare(expected, written)
    if not details:
        return None
    expected_total = amounts.from_fen(sum(item.amount for item in expected.values()))
    ledger_total = amounts.from_fen(sum(item[0] for item in written.values()))
    content = {"lines": details}
    open_one = ReconciliationMismatch.objects.filter(date=day, resolved_at__isnull=True, details=content).first()
    if open_one is not None:
        return open_one
    return ReconciliationMismatch.objects.create(
        date=day, expected_amount=expected_total, ledger_amount=ledger_total, details=content
    )


def resolve(mismatch: ReconciliationMismatch, *, by, note: str = "") -> ReconciliationMismatch:
    """Mark a mismatch as dealt with (已处理) by an operator."""
    if mismatch.resolved_at is None:
        mismatch.resolved_at = timezone.now()
        mismatch.resolved_by = by
        mismatch.resolution_note = note[:500]
        mismatch.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    return mismatch
