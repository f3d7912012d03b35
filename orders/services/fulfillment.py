"""Shipping a paid order (Saleor's orderFulfill): the units leave the warehouse and the order moves on.

A line without a variant whose allocations sit on other variants' stock rows is a bundle (a bulk order's
gift pack): shipping n of it takes, from each component's allocations, n times the units per bundle the
allocations hold. A bulk order (origin BULK) is shipped per recipient and merchant, through
bulk_orders.services.delivery, which passes the parcel's `destination`.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from catalog.models import Stock
from mall.graphql.ids import to_global_id
from mall.permissions import PermissionEnum, require_permissions
from orders import tasks
from orders.errors import OrderActionError
from orders.models import (
    Allocation,
    Fulfillment,
    FulfillmentLine,
    FulfillmentStatus,
    Order,
    OrderEvent,
    OrderEventType,
    OrderLine,
    OrderOrigin,
    OrderStatus,
)

FULFILLABLE = (OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED)


@dataclass(frozen=True)
class FulfillRequest:
    """Ship `quantity` of an order line, from `warehouse_id`, or (None) from where it is allocated."""

    order_line_id: object
    quantity: int
    warehouse_id: int | None = None


@dataclass(frozen=True)
class Destination:
    """Where a bulk order's parcel goes: to one recipient (None: the branch itself), from one merchant."""

    bulk_recipient_id: int | None
    merchant_id: int | None


def fulfill_order(
    order: Order,
    *,
    lines: list[FulfillRequest],
    by,
    tracking_number: str = "",
    notify_customer: bool = False,
    destination: Destination | None = None,
) -> Fulfillment:
    """Record one parcel of `order` holding `lines`; staff only (MANAGE_ORDERS), paid orders only.
    With `notify_customer` the customer is e-mailed once the parcel is committed. A bulk order's parcel
    needs its `destination`, so that every unit shipped is known to have gone to someone."""
    require_permissions(by, PermissionEnum.MANAGE_ORDERS)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        _check_order(order)
        if order.origin == OrderOrigin.BULK and destination is None:
            raise OrderActionError(
                "工会采购单须按收件人发货，请使用 bulkOrderShipmentCreate。",
                field="order",
                code="BULK_ORDER_SHIPMENT_REQUIRED",
            )
        order_lines = {line.pk: line for line in order.lines.select_related("variant").order_by("sort_order", "pk")}
        requests = _checked_requests(lines, order_lines)
        stock_rows, allocations = _lock_stock(order_lines.values())
        fulfillment = Fulfillment.objects.create(
            order=order,
            fulfillment_order=order.fulfillments.count() + 1,
            tracking_number=(tracking_number or "").strip(),
            bulk_recipient_id=destination.bulk_recipient_id if destination else None,
            merchant_id=destination.merchant_id if destination else None,
        )
        fulfillment_lines = []
        for request in requests:
            line = order_lines[request.order_line_id]
            for stock, units in _take(line, request, stock_rows, allocations):
                fulfillment_lines.append(
                    FulfillmentLine(fulfillment=fulfillment, order_line=line, quantity=units, stock=stock)
                )
            line.quantity_fulfilled += request.quantity
        for line in order_lines.values():
            _release_excess(line, allocations.get(line.pk, []))
        FulfillmentLine.objects.bulk_create(fulfillment_lines)
        Stock.objects.bulk_update(list(stock_rows.values()), ["quantity", "quantity_allocated"])
        Allocation.objects.bulk_update(
            [allocation for group in allocations.values() for allocation in group], ["quantity_allocated"]
        )
        Allocation.objects.filter(order_line__order=order, quantity_allocated=0).delete()
        OrderLine.objects.bulk_update(order_lines.values(), ["quantity_fulfilled"])
        done = all(line.quantity_fulfilled == line.quantity for line in order_lines.values())
        order.status = OrderStatus.FULFILLED if done else OrderStatus.PARTIALLY_FULFILLED
        order.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(
            order=order,
            type=OrderEventType.FULFILLMENT_FULFILLED_ITEMS,
            user=by,
            parameters={
                "fulfilled_items": [line.pk for line in fulfillment_lines],
                "composed_id": f"{order.number}-{fulfillment.fulfillment_order}",
                "tracking_number": fulfillment.tracking_number,
            },
        )
        if notify_customer:
            fulfillment_id = fulfillment.pk
            transaction.on_commit(lambda: tasks.send_fulfillment_confirmation_email.delay(fulfillment_id), robust=True)
    return fulfillment


def _check_order(order: Order) -> None:
    if order.status not in (*FULFILLABLE, OrderStatus.UNCONFIRMED):
        raise OrderActionError(
            f"订单状态为“{order.get_status_display()}”，不能发货。", field="order", code="FULFILL_ORDER_LINE"
        )
    if not order.is_paid:
        raise OrderActionError("订单尚未支付，不能发货。", field="order", code="CANNOT_FULFILL_UNPAID_ORDER")


def _checked_requests(requests, order_lines: dict) -> list[FulfillRequest]:
    if not requests:
        raise OrderActionError("请至少选择一件要发货的商品。", field="lines", code="REQUIRED")
    wanted = defaultdict(int)
    for request in requests:
        line = order_lines.get(request.order_line_id)
        if line is None:
            raise OrderActionError(
                f"订单中没有这件商品：{request.order_line_id}", field="orderLineId", code="NOT_FOUND"
            )
        if request.quantity <= 0:
            raise OrderActionError(
                "发货数量必须大于 0。",
                field="quantity",
                code="ZERO_QUANTITY",
                order_lines=[to_global_id("OrderLine", line.pk)],
            )
        wanted[line.pk] += request.quantity
    too_many = [pk for pk, quantity in wanted.items() if quantity > order_lines[pk].quantity_unfulfilled]
    if too_many:
        raise OrderActionError(
            "发货数量超过未发货数量。",
            field="orderLineId",
            code="FULFILL_ORDER_LINE",
            order_lines=[to_global_id("OrderLine", pk) for pk in too_many],
        )
    return list(requests)


def _lock_stock(order_lines) -> tuple[dict, dict]:
    """The stock rows of the lines' variants and of their allocations (a bundle's are its components'),
    by (variant id, warehouse id), locked in pk order; and the lines' allocations by line id."""
    variant_ids = {line.variant_id for line in order_lines if line.variant_id}
    held = list(Allocation.objects.filter(order_line__in=[line.pk for line in order_lines]).order_by("pk"))
    rows = (
        Stock.objects.select_for_update()
        .filter(Q(product_variant_id__in=variant_ids) | Q(pk__in={allocation.stock_id for allocation in held}))
        .order_by("pk")
    )
    stock_rows = {(stock.product_variant_id, stock.warehouse_id): stock for stock in rows}
    by_pk = {stock.pk: stock for stock in stock_rows.values()}
    allocations = defaultdict(list)
    for allocation in held:
        allocation.stock = by_pk[allocation.stock_id]
        allocations[allocation.order_line_id].append(allocation)
    return stock_rows, allocations


def _release_excess(line: OrderLine, held: list[Allocation]) -> None:
    """A line shipped from elsewhere than where it was held no longer needs all of its hold (a bundle is
    always shipped from its hold, in its components' units, so it has none)."""
    if line.variant_id is None:
        return
    excess = sum(allocation.quantity_allocated for allocation in held) - line.quantity_unfulfilled
    for allocation in reversed(held):
        if excess <= 0:
            break
        units = min(allocation.quantity_allocated, excess)
        allocation.quantity_allocated -= units
        allocation.stock.quantity_allocated -= units
        excess -= units


def _insufficient(line: OrderLine, warehouse_id=None) -> OrderActionError:
    return OrderActionError(
        f"“{line}”库存不足，不能发货。",
        field="stocks",
        code="INSUFFICIENT_STOCK",
        order_lines=[to_global_id("OrderLine", line.pk)],
        warehouse=to_global_id("Warehouse", warehouse_id) if warehouse_id else None,
    )


def _take(line: OrderLine, request: FulfillRequest, stock_rows: dict, allocations: dict) -> list[tuple]:
    """Take the request's units out of stock: first what the line holds there, then free units.
    Returns [(stock row or None, units)]."""
    if line.variant is None:
        _take_components(line, request, allocations.get(line.pk, []))
        return [(None, request.quantity)]
    if not line.variant.track_inventory:
        return [(None, request.quantity)]
    held = allocations.get(line.pk, [])
    if request.warehouse_id is not None:
        stock = stock_rows.get((line.variant_id, request.warehouse_id))
        if stock is None:
            raise _insufficient(line, request.warehouse_id)
        sources = [(stock, [a for a in held if a.stock_id == stock.pk])]
    else:
        sources = [(allocation.stock, [allocation]) for allocation in held]
    left, taken = request.quantity, []
    for stock, stock_allocations in sources:
        if left == 0:
            break
        from_allocation = 0
        for allocation in stock_allocations:
            units = min(allocation.quantity_allocated, left - from_allocation)
            allocation.quantity_allocated -= units
            from_allocation += units
        free = stock.quantity - stock.quantity_allocated
        # Only a named warehouse may ship units nobody held; otherwise ship what the order holds.
        extra = min(left - from_allocation, free) if request.warehouse_id is not None else 0
        units = from_allocation + extra
        if units == 0:
            continue
        stock.quantity -= units
        stock.quantity_allocated -= from_allocation
        taken.append((stock, units))
        left -= units
    if left:
        raise _insufficient(line, request.warehouse_id)
    return taken


def _take_components(line: OrderLine, request: FulfillRequest, held: list[Allocation]) -> None:
    """Ship `request.quantity` bundles: from each component's allocations (in the named warehouse, if
    one is named) the units per bundle they hold. A line without allocations (a variant since deleted)
    takes nothing, as before."""
    per_variant = defaultdict(list)
    for allocation in held:
        per_variant[allocation.stock.product_variant_id].append(allocation)
    for variant_allocations in per_variant.values():
        units_held = sum(allocation.quantity_allocated for allocation in variant_allocations)
        per_bundle, uneven = divmod(units_held, line.quantity_unfulfilled or 1)
        if uneven:
            raise _insufficient(line, request.warehouse_id)
        left = per_bundle * request.quantity
        for allocation in variant_allocations:
            if request.warehouse_id is not None and allocation.stock.warehouse_id != request.warehouse_id:
                continue
            units = min(allocation.quantity_allocated, left)
            allocation.quantity_allocated -= units
            allocation.stock.quantity -= units
            allocation.stock.quantity_allocated -= units
            left -= units
        if left:
            raise _insufficient(line, request.warehouse_id)


def update_tracking(
    fulfillment: Fulfillment, *, tracking_number: str, by, notify_customer: bool = False
) -> Fulfillment:
    """Change a parcel's tracking number (Saleor's orderFulfillmentUpdateTracking); MANAGE_ORDERS. With
    `notify_customer` the customer gets the parcel's e-mail again, with the new number."""
    require_permissions(by, PermissionEnum.MANAGE_ORDERS)
    tracking_number = (tracking_number or "").strip()
    if len(tracking_number) > 255:
        raise OrderActionError("运单号不能超过 255 个字符。", field="trackingNumber", code="INVALID")
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=fulfillment.order_id)
        fulfillment = Fulfillment.objects.select_for_update().get(pk=fulfillment.pk)
        if fulfillment.status != FulfillmentStatus.FULFILLED:
            raise OrderActionError(
                f"发货状态为“{fulfillment.get_status_display()}”，不能修改运单号。",
                field="id",
                code="INVALID",
            )
        previous = fulfillment.tracking_number
        fulfillment.tracking_number = tracking_number
        fulfillment.save(update_fields=["tracking_number"])
        OrderEvent.objects.create(
            order_id=fulfillment.order_id,
            type=OrderEventType.TRACKING_UPDATED,
            user=by,
            parameters={
                "fulfillment": fulfillment.pk,
                "tracking_number": tracking_number,
                "previous_tracking_number": previous,
            },
        )
        if notify_customer:
            fulfillment_id = fulfillment.pk
            transaction.on_commit(lambda: tasks.send_fulfillment_confirmation_email.delay(fulfillment_id), robust=True)
    return fulfillment
