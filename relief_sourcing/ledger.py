"""The relief purchase ledger (消费帮扶台账): writing its entries when orders are paid, refunded or canceled.

Entries are append-only (the model and a database trigger refuse updates and deletes), and each
(order line, event, event key) is written once: inserts go through ON CONFLICT DO NOTHING on the
unique constraint, so a payment webhook handled twice, or two workers recording the same order at
the same moment, leave one entry.

What counts (the issue leaves these to us):
- A line counts when its product was covered, at the moment of payment, by a certification that was
  valid on that day, not yet revoked then (a revocation after the purchase does not undo it), of a
  supplier admitted then. See certification_at().
- A member's own purchase is credited to the branch their member profile names when the order is paid
  (with the branch's tree path as it was then). A buyer with no branch — a guest, a member not placed
  in a branch yet — is not credited: there is no branch to count it for, and crediting it later would
  rewrite history. Bulk purchases pass their ordering branch and channel BRANCH.
- Amounts are the line's paid value (amounts.py): unit price × quantity, less the line's share of the
  voucher discount; the allowance part counts (it is the member's money from the union). Shipping
  never counts.
- Refunds are written when a granted refund has succeeded, under the grant's id; cancellation after
  payment takes back whatever is still on each line. Money returned outside a grant (a duplicate
  payment given back) changes no goods and writes nothing.
"""

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from branches.models import UnionBranch
from orders.models import GrantedRefundStatus, OrderGrantedRefund
from relief_sourcing import amounts
from relief_sourcing.models import (
    ReliefCertification,
    ReliefChannel,
    ReliefLedgerEntry,
    ReliefLedgerEvent,
    ReliefSupplier,
)

PAID_KEY = "paid"
CANCELED_KEY = "canceled"


def granted_refund_key(granted_refund) -> str:
    return f"granted-refund:{granted_refund.pk}"


# --- Certification at a moment -------------------------------------------------------------------
def certified_at(moment) -> Q:
    """Certifications (as a filter on ReliefCertification) that made a product a relief product at `moment`."""
    day = timezone.localdate(moment)
    supplier_admitted = Q(
        supplier__admission_status=ReliefSupplier.AdmissionStatus.APPROVED,
    ) & (Q(supplier__decided_at__isnull=True) | Q(supplier__decided_at__lte=moment)) | Q(
        # Suspended after the purchase: it was admitted when the member bought.
        supplier__admission_status=ReliefSupplier.AdmissionStatus.SUSPENDED,
        supplier__decided_at__gt=moment,
    )
    not_revoked_then = Q(status=ReliefCertification.Status.VALID) | Q(
        status=ReliefCertification.Status.REVOKED, revoked_at__gt=moment
    )
    return Q(valid_from__lte=day, valid_to__gte=day) & not_revoked_then & supplier_admitted


def certifications_at(product_ids, moment) -> dict:
    """{product id: the certification covering it at `moment`}, in one query; the longest-valid one
    when several cover a product."""
    product_ids = {product_id for product_id in product_ids if product_id is not None}
    if not product_ids:
        return {}
    covered = ReliefCertification.products.through.objects.filter(
        product_id__in=product_ids,
        reliefcertification_id__in=ReliefCertification.objects.filter(certified_at(moment)).values("pk"),
    )
    rows = covered.select_related("reliefcertification__supplier", "reliefcertification__origin").order_by(
        "-reliefcertification__valid_to", "reliefcertification__number"
    )
    found = {}
    for row in rows:
        found.setdefault(row.product_id, row.reliefcertification)
    return found


def certification_at(product_id, moment) -> ReliefCertification | None:
    """The certification that made `product_id` a relief product at `moment`, or None."""
    return certifications_at([product_id], moment).get(product_id)


# --- Paid ----------------------------------------------------------------------------------------
def member_branch(order) -> UnionBranch | None:
    """The grassroots branch the buyer's member profile names now, or None (guest, no branch)."""
    if order.user_id is None:
        return None
    return UnionBranch.objects.filter(members__user_id=order.user_id).first()


def record_paid_order(order, *, now=None, branch=None, channel=ReliefChannel.MEMBER) -> list:
    """Write one PAID entry per line of a product certified at the moment `order` was paid, credited to
    `branch` (by default the member's branch); returns the order's PAID entries. Safe to call twice.

    Call it in the transaction that marked the order paid, so the entries and the payment commit together.
    """
    moment = order.paid_at or now or timezone.now()
    if branch is None and channel == ReliefChannel.MEMBER:
        branch = member_branch(order)
    if branch is None:
        return []
    lines = list(order.lines.all())
    certifications = certifications_at([line.product_id for line in lines], moment)
    if not certifications:
        return []
    values = amounts.paid_values(
        {line.pk: amounts.PaidLine(amounts.to_fen(line.total_price_amount), line.quantity) for line in lines},
        order.discount_amount,
    )
    entries = [
        ReliefLedgerEntry(
            branch=branch,
            branch_path=branch.path,
            channel=channel,
            event=ReliefLedgerEvent.PAID,
            event_key=PAID_KEY,
            amount=amounts.from_fen(values[line.pk]),
            currency=order.currency,
            quantity=line.quantity,
            region=certification.origin,
            supplier=certification.supplier,
            certification=certification,
            product_id=line.product_id,
            order=order,
            order_line=line,
            buyer_id=order.user_id,
            occurred_at=moment,
        )
        for line in lines
        if (certification := certifications.get(line.product_id)) is not None
    ]
    ReliefLedgerEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return list(ReliefLedgerEntry.objects.filter(order=order, event=ReliefLedgerEvent.PAID))


# --- Refunded and canceled -------------------------------------------------------------------------
def _balances(order) -> dict:
    """{order line id: (amount, quantity) still on the ledger} for the order's relief lines."""
    rows = (
        ReliefLedgerEntry.objects.filter(order=order)
        .values("order_line_id")
        .annotate(amount=Sum("amount"), quantity=Sum("quantity"))
    )
    return {row["order_line_id"]: (row["amount"], row["quantity"]) for row in rows}


def _negative_entries(order, parts: dict, *, event: str, event_key: str, occurred_at) -> list:
    """Entries taking `parts` ({line id: (amount, quantity)}, positive) off the lines' PAID entries."""
    paid = {entry.order_line_id: entry for entry in ReliefLedgerEntry.objects.filter(order=order, event="PAID")}
    entries = []
    for line_id, (amount, quantity) in parts.items():
        original = paid.get(line_id)
        if original is None or (amount <= 0 and quantity <= 0):
            continue
        entries.append(
            ReliefLedgerEntry(
                branch_id=original.branch_id,
                branch_path=original.branch_path,
                channel=original.channel,
                event=event,
                event_key=event_key,
                amount=-amount,
                currency=original.currency,
                quantity=-quantity,
                region_id=original.region_id,
                supplier_id=original.supplier_id,
                certification_id=original.certification_id,
                product_id=original.product_id,
                order_id=order.pk,
                order_line_id=line_id,
                buyer_id=original.buyer_id,
                occurred_at=occurred_at,
            )
        )
    ReliefLedgerEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return list(ReliefLedgerEntry.objects.filter(order=order, event=event, event_key=event_key))


def record_refund(order, *, lines_amounts: dict, event_key: str, occurred_at=None) -> list:
    """Write REFUNDED entries for `lines_amounts` ({order line id: (amount, quantity)} given back, positive)
    on the order's relief lines, each kept within what is left on the line; returns them."""
    balances = _balances(order)
    parts = {}
    for line_id, (amount, quantity) in lines_amounts.items():
        left_amount, left_quantity = balances.get(line_id, (Decimal("0"), 0))
        parts[line_id] = (min(Decimal(amount), left_amount), min(quantity, left_quantity))
    return _negative_entries(
        order,
        parts,
        event=ReliefLedgerEvent.REFUNDED,
        event_key=event_key,
        occurred_at=occurred_at or timezone.now(),
    )


def refund_for_amounts(refund) -> amounts.Refund:
    """A granted refund as amounts.Refund: units per line, and its amount less the shipping it included."""
    goods = refund.amount - (refund.order.shipping_price_amount if refund.shipping_costs_included else 0)
    units = {line.order_line_id: line.quantity for line in refund.lines.all()}
    return amounts.Refund(goods=max(amounts.to_fen(goods), 0), units=units)


def granted_refund_parts(granted_refund) -> dict:
    """{order line id: (amount, quantity)} the granted refund takes back, after the order's earlier
    successful refunds."""
    order = granted_refund.order
    lines = list(order.lines.all())
    paid_lines = {line.pk: amounts.PaidLine(amounts.to_fen(line.total_price_amount), line.quantity) for line in lines}
    values = amounts.paid_values(paid_lines, order.discount_amount)
    earlier = list(
        OrderGrantedRefund.objects.filter(order=order, status=GrantedRefundStatus.SUCCESS)
        .filter(
            Q(updated_at__lt=granted_refund.updated_at)
            | Q(updated_at=granted_refund.updated_at, pk__lt=granted_refund.pk)
        )
        .exclude(pk=granted_refund.pk)
        .select_related("order")
        .prefetch_related("lines")
        .order_by("updated_at", "pk")
    )
    shares = amounts.refund_shares(
        paid_lines, values, [refund_for_amounts(refund) for refund in [*earlier, granted_refund]]
    )[-1]
    return {line_id: (amounts.from_fen(fen), units) for line_id, (fen, units) in shares.items()}


def record_granted_refund(granted_refund) -> list:
    """Write the REFUNDED entries of a granted refund that has succeeded (payments.refunds calls it)."""
    if granted_refund.status != GrantedRefundStatus.SUCCESS:
        return []
    order = granted_refund.order
    if not ReliefLedgerEntry.objects.filter(order=order, event=ReliefLedgerEvent.PAID).exists():
        return []
    return record_refund(
        order,
        lines_amounts=granted_refund_parts(granted_refund),
        event_key=granted_refund_key(granted_refund),
        occurred_at=granted_refund.updated_at,
    )


def record_cancellation(order, *, occurred_at=None) -> list:
    """Take back whatever is still on each relief line of an order canceled after payment."""
    parts = {line_id: (amount, quantity) for line_id, (amount, quantity) in _balances(order).items()}
    if not parts:
        return []
    return _negative_entries(
        order,
        parts,
        event=ReliefLedgerEvent.CANCELED,
        event_key=CANCELED_KEY,
        occurred_at=occurred_at or order.canceled_at or timezone.now(),
    )
