"""Shipping a paid bulk order: one parcel (orders.Fulfillment) per recipient and merchant, each with its
own tracking number, the units taken out of the stock placing held (a gift pack's from its components).

Operators (MANAGE_ORDERS) record each parcel as the merchant hands it over. The order row is locked
first, then the bulk order — the order every payment writer takes — so two parcels for one recipient
recorded at the same moment never send more than they are owed. When the last unit of the last
recipient has left, the bulk order becomes FULFILLED, with its transition.
"""

from collections import defaultdict

from django.db import transaction

from bulk_orders.delivery import PendingLine, pending_lines
from bulk_orders.models import BulkOrder, BulkOrderStatus, BulkRecipient
from bulk_orders.services.errors import BulkOrderError
from bulk_orders.services.workflow import record_transition
from catalog.models import Merchant
from mall.permissions import PermissionEnum, require_permissions
from orders.models import Fulfillment, Order, OrderStatus
from orders.services import Destination, FulfillRequest, fulfill_order

MAX_TRACKING_NUMBER = 255


def _tracking_number(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise BulkOrderError("请填写运单号：每个包裹都要有自己的运单号。", field="trackingNumber", code="REQUIRED")
    if len(value) > MAX_TRACKING_NUMBER:
        raise BulkOrderError("运单号不能超过 255 个字符。", field="trackingNumber", code="INVALID")
    return value


def _chosen(pending: list[PendingLine], merchant: Merchant | None, lines) -> tuple[int | None, list[FulfillRequest]]:
    """(merchant id, requests) of the parcel: the lines asked for, or everything the merchant still owes."""
    by_line = {line.order_line_id: line for line in pending}
    if lines:
        wanted = defaultdict(int)
        for order_line_id, quantity in lines:
            if order_line_id not in by_line:
                raise BulkOrderError("该收件人没有这件待发货的商品。", field="lines", code="NOT_FOUND")
            if not isinstance(quantity, int) or quantity <= 0:
                raise BulkOrderError("发货数量必须大于 0。", field="lines", code="INVALID_QUANTITY")
            wanted[order_line_id] += quantity
        if any(quantity > by_line[line_id].quantity for line_id, quantity in wanted.items()):
            raise BulkOrderError("发货数量超过该收件人待发货的数量。", field="lines", code="INVALID_QUANTITY")
        merchants = {by_line[line_id].merchant_id for line_id in wanted}
        if len(merchants) > 1 or (merchant is not None and merchants != {merchant.pk}):
            raise BulkOrderError(
                "一个包裹只能装同一商户的商品，请按商户分开发货。", field="merchant", code="MERCHANT_MISMATCH"
            )
        return merchants.pop(), [FulfillRequest(line_id, quantity) for line_id, quantity in wanted.items()]
    merchants = {line.merchant_id for line in pending}
    if merchant is not None:
        merchant_id = merchant.pk
    elif len(merchants) == 1:
        merchant_id = next(iter(merchants))
    else:
        raise BulkOrderError(
            "该收件人的商品来自多个商户，请指定商户，每个商户单独发货。", field="merchant", code="MERCHANT_REQUIRED"
        )
    requests = [
        FulfillRequest(line.order_line_id, line.quantity) for line in pending if line.merchant_id == merchant_id
    ]
    if not requests:
        raise BulkOrderError("该商户没有发给这位收件人的待发货商品。", field="merchant", code="NOTHING_TO_SHIP")
    return merchant_id, requests


def create_shipment(
    bulk_order: BulkOrder,
    *,
    recipient: BulkRecipient | None,
    tracking_number: str,
    by,
    merchant: Merchant | None = None,
    lines=None,
) -> Fulfillment:
    """Record one parcel of `bulk_order` to `recipient` (None: the branch's own goods) from one merchant.

    Without `lines` ([(order line id, quantity)]) the parcel holds everything the merchant still owes the
    recipient; `merchant` may be left out when only one merchant does. The tracking number is required
    and unique within the bulk order."""
    require_permissions(by, PermissionEnum.MANAGE_ORDERS)
    tracking_number = _tracking_number(tracking_number)
    with transaction.atomic():
        order_id = BulkOrder.objects.filter(pk=bulk_order.pk).values_list("order_id", flat=True).get()
        order = Order.objects.select_for_update().get(pk=order_id) if order_id else None
        bulk_order = BulkOrder.objects.select_for_update(of=("self",)).select_related("branch").get(pk=bulk_order.pk)
        if bulk_order.status != BulkOrderStatus.PAID or order is None:
            raise BulkOrderError(
                f"采购单状态为“{bulk_order.get_status_display()}”，只有已付款、未发完的采购单可以发货。",
                field="id",
                code="INVALID_STATUS",
            )
        if recipient is not None and recipient.bulk_order_id != bulk_order.pk:
            raise BulkOrderError("该收件人不属于这张采购单。", field="recipient", code="NOT_FOUND")
        if Fulfillment.objects.filter(order=order, tracking_number=tracking_number).exists():
            raise BulkOrderError(
                f"运单号 {tracking_number} 已用于本采购单的另一个包裹。", field="trackingNumber", code="UNIQUE"
            )
        pending = pending_lines(bulk_order, recipient.pk if recipient else None)
        if not pending:
            raise BulkOrderError("该收件人的商品已全部发出。", field="recipient", code="NOTHING_TO_SHIP")
        merchant_id, requests = _chosen(pending, merchant, lines)
        fulfillment = fulfill_order(
            order,
            lines=requests,
            by=by,
            tracking_number=tracking_number,
            destination=Destination(bulk_recipient_id=recipient.pk if recipient else None, merchant_id=merchant_id),
        )
        order.refresh_from_db(fields=["status"])
        if order.status == OrderStatus.FULFILLED:
            record_transition(bulk_order, BulkOrderStatus.FULFILLED, by=by, comment="全部收件人的包裹均已发出")
            bulk_order.save(update_fields=["status", "updated_at"])
    return fulfillment
