"""Reading a bulk order's delivery: what each recipient is owed and has been sent, per merchant; the
clerk's progress; the recipient list with statuses; and the gifts a member has received.

A bulk order's order has one line per variant and one per gift pack; a recipient's share of a line is
the sum of their bulk order lines for that variant or pack, and what went to them is the sum of the
fulfilment lines of their parcels (Fulfillment.bulk_recipient). The branch's own lines (a quick order,
no recipient) are one more destination, recipient None, delivered to the branch. Every function reads
in a fixed number of queries, whatever the number of recipients.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from bulk_orders.models import BulkOrder, BulkOrderLine, BulkOrderStatus, BulkRecipient, GiftPackItem
from orders.models import Fulfillment, FulfillmentLine, FulfillmentStatus, OrderLine


class DeliveryStatus:
    PENDING = "PENDING"
    PARTIAL = "PARTIAL"
    SHIPPED = "SHIPPED"

    LABELS = {PENDING: "待发货", PARTIAL: "部分发货", SHIPPED: "已发货"}


# Bulk orders whose goods are on their way or delivered: paid, or every parcel sent.
DELIVERING = (BulkOrderStatus.PAID, BulkOrderStatus.FULFILLED)
BRANCH_DESTINATION_NAME = "本单位"


def mask_mobile(phone: str) -> str:
    """138****0001 from +8613800000001 or 13800000001; short or odd numbers keep only their last two."""
    digits = phone[3:] if phone.startswith("+86") else phone
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(len(digits) - 2, 0) + digits[-2:]


@dataclass
class PendingLine:
    order_line_id: object
    merchant_id: int | None
    quantity: int


def _order_line_keys(order) -> tuple[dict, dict]:
    """(order line id by ("variant", pk) / ("pack", sku), merchant id by order line id), two queries.

    A gift pack is shipped as one parcel by one merchant: the merchant of its first component."""
    rows = list(OrderLine.objects.filter(order=order).values("pk", "variant_id", "product_sku"))
    merchant_of_variant = dict(
        OrderLine.objects.filter(order=order, variant__isnull=False).values_list(
            "variant_id", "variant__product__merchant_id"
        )
    )
    pack_skus = [row["product_sku"] for row in rows if row["variant_id"] is None]
    pack_merchant = {}
    for sku, merchant_id in (
        GiftPackItem.objects.filter(pack__sku__in=pack_skus)
        .order_by("pack_id", "pk")
        .values_list("pack__sku", "variant__product__merchant_id")
    ):
        pack_merchant.setdefault(sku, merchant_id)
    keys, merchants = {}, {}
    for row in rows:
        if row["variant_id"] is not None:
            keys[("variant", row["variant_id"])] = row["pk"]
            merchants[row["pk"]] = merchant_of_variant.get(row["variant_id"])
        else:
            keys[("pack", row["product_sku"])] = row["pk"]
            merchants[row["pk"]] = pack_merchant.get(row["product_sku"])
    return keys, merchants


def pending_lines(bulk_order: BulkOrder, recipient_id: int | None) -> list[PendingLine]:
    """What is still to be sent to one recipient (None: the branch), per order line, with its merchant."""
    keys, merchants = _order_line_keys(bulk_order.order)
    owed = defaultdict(int)
    for variant_id, pack_sku, quantity in BulkOrderLine.objects.filter(
        bulk_order=bulk_order, recipient_id=recipient_id
    ).values_list("variant_id", "gift_pack__sku", "quantity"):
        key = ("variant", variant_id) if variant_id else ("pack", pack_sku)
        owed[keys[key]] += quantity
    for line_id, quantity in (
        FulfillmentLine.objects.filter(
            fulfillment__order_id=bulk_order.order_id,
            fulfillment__bulk_recipient_id=recipient_id,
            fulfillment__status=FulfillmentStatus.FULFILLED,
        )
        .values("order_line_id")
        .annotate(quantity=Sum("quantity"))
        .values_list("order_line_id", "quantity")
    ):
        owed[line_id] -= quantity
    return [
        PendingLine(order_line_id=line_id, merchant_id=merchants.get(line_id), quantity=quantity)
        for line_id, quantity in owed.items()
        if quantity > 0
    ]


# --- Statuses -------------------------------------------------------------------------------------
@dataclass
class RecipientDelivery:
    status: str = DeliveryStatus.PENDING
    owed: int = 0
    shipped: int = 0
    tracking_numbers: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return DeliveryStatus.LABELS[self.status]


def _status(owed: int, shipped: int) -> str:
    if shipped <= 0:
        return DeliveryStatus.PENDING
    return DeliveryStatus.SHIPPED if shipped >= owed else DeliveryStatus.PARTIAL


def deliveries(*, bulk_order_id=None, recipient_ids=None) -> dict:
    """recipient id (None: the branch) -> RecipientDelivery, for a bulk order's destinations or for the
    recipients named; three queries."""
    lines = BulkOrderLine.objects.all()
    parcels = Fulfillment.objects.filter(status=FulfillmentStatus.FULFILLED)
    if bulk_order_id is not None:
        lines = lines.filter(bulk_order_id=bulk_order_id)
        parcels = parcels.filter(bulk_order_link(bulk_order_id))
    if recipient_ids is not None:
        lines = lines.filter(recipient_id__in=recipient_ids)
        parcels = parcels.filter(bulk_recipient_id__in=recipient_ids)
    result = defaultdict(RecipientDelivery)
    for recipient_id, owed in (
        lines.values("recipient_id").annotate(owed=Sum("quantity")).values_list("recipient_id", "owed")
    ):
        result[recipient_id].owed = owed
    for recipient_id, shipped in (
        FulfillmentLine.objects.filter(fulfillment__in=parcels)
        .values("fulfillment__bulk_recipient_id")
        .annotate(shipped=Sum("quantity"))
        .values_list("fulfillment__bulk_recipient_id", "shipped")
    ):
        result[recipient_id].shipped = shipped
    for recipient_id, tracking_number in parcels.order_by("pk").values_list("bulk_recipient_id", "tracking_number"):
        if tracking_number:
            result[recipient_id].tracking_numbers.append(tracking_number)
    for delivery in result.values():
        delivery.status = _status(delivery.owed, delivery.shipped)
    return dict(result)


def items_of(recipient_ids) -> dict[int, list[str]]:
    """What each recipient receives, as people read it ("帮扶礼包 200 元 ×1"), in row order; one query."""
    items = defaultdict(list)
    for recipient_id, variant_name, product_name, pack_name, quantity in (
        BulkOrderLine.objects.filter(recipient_id__in=recipient_ids)
        .order_by("row_number", "pk")
        .values_list("recipient_id", "variant__name", "variant__product__name", "gift_pack__name", "quantity")
    ):
        name = pack_name or " ".join(part for part in (product_name, variant_name) if part)
        items[recipient_id].append(f"{name} ×{quantity}")
    return items


def bulk_order_link(bulk_order_id) -> Q:
    return Q(order__bulk_order__pk=bulk_order_id)


@dataclass(frozen=True)
class DeliveryProgress:
    """The clerk's view: destinations (recipients, and the branch if it bought for itself) and parcels."""

    total: int
    shipped: int
    partial: int
    pending: int
    shipments: int


def delivery_progress(bulk_order: BulkOrder, found: dict | None = None) -> DeliveryProgress:
    """Counted from `found` (what deliveries(bulk_order_id=...) gave, when the caller has it already)."""
    if found is None:
        found = deliveries(bulk_order_id=bulk_order.pk)
    counts = defaultdict(int)
    for delivery in found.values():
        counts[delivery.status] += 1
    shipments = Fulfillment.objects.filter(bulk_order_link(bulk_order.pk), status=FulfillmentStatus.FULFILLED).count()
    return DeliveryProgress(
        total=len(found),
        shipped=counts[DeliveryStatus.SHIPPED],
        partial=counts[DeliveryStatus.PARTIAL],
        pending=counts[DeliveryStatus.PENDING],
        shipments=shipments,
    )


def recipients_with_status(bulk_order: BulkOrder) -> list[tuple[BulkRecipient, RecipientDelivery, list[str]]]:
    """Every recipient in row order with their delivery and what they receive; five queries."""
    recipients = list(BulkRecipient.objects.filter(bulk_order=bulk_order).order_by("row_number", "pk"))
    found = deliveries(bulk_order_id=bulk_order.pk)
    items = items_of(BulkRecipient.objects.filter(bulk_order=bulk_order).values("pk"))
    return [(recipient, found.get(recipient.pk, RecipientDelivery()), items[recipient.pk]) for recipient in recipients]


# --- A member's gifts -----------------------------------------------------------------------------
@dataclass
class MemberGift:
    """工会礼品: what a branch sent a member through a bulk order — no prices, nobody else's rows."""

    bulk_order_number: str
    branch_name: str
    name: str
    created_at: object
    items: list[str]
    status_label: str
    tracking_numbers: list[str]


def gifts_for_member(user) -> list[MemberGift]:
    """The gifts addressed to `user`'s mobile in paid bulk orders, newest first. Only a real-name verified
    member with a mobile number on the account is matched, so an unverified account that typed someone's
    number sees nothing. Six queries at most, whatever the number of gifts."""
    if user is None or not user.is_authenticated or not user.phone:
        return []
    profile = getattr(user, "member_profile", None)
    if profile is None or not profile.is_verified:
        return []
    recipients = list(
        BulkRecipient.objects.filter(phone=user.phone, bulk_order__status__in=DELIVERING)
        .select_related("bulk_order__branch")
        .order_by("-bulk_order__number", "pk")
    )
    if not recipients:
        return []
    ids = [recipient.pk for recipient in recipients]
    items = items_of(ids)
    found = deliveries(recipient_ids=ids)
    gifts = []
    for recipient in recipients:
        bulk_order, delivery = recipient.bulk_order, found.get(recipient.pk, RecipientDelivery())
        gifts.append(
            MemberGift(
                bulk_order_number=str(bulk_order),
                branch_name=bulk_order.branch.name,
                name=bulk_order.name,
                created_at=bulk_order.created_at,
                items=items[recipient.pk],
                status_label=delivery.status_label,
                tracking_numbers=delivery.tracking_numbers,
            )
        )
    return gifts
