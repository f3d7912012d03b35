"""Placing an approved bulk order: stock for every line held in one transaction, and the order
(orders.Order, origin BULK) written with its snapshot lines.

- The bulk order's row is locked first, so placing twice at once places once.
- Stock is allocated through orders.services.stock.allocate (stock rows locked in pk order); a
  shortage raises INSUFFICIENT_STOCK naming every short SKU and, the transaction rolled back,
  nothing is held, no order exists and the bulk order stays APPROVED.
- Order lines are one per variant (all its direct lines together, at the tiered unit price) and one
  per gift pack (at the pack's price, variant empty, SKU the pack's). A pack line's allocations are
  on its components' stock rows, so fulfilling it takes each component.
- The order belongs to the clerk who created the bulk order, is UNCONFIRMED (unpaid) and has no
  payment deadline: a bank transfer may take days, and an approved purchase must not expire while the
  money is on its way. Canceling the bulk order (before it is paid) releases the stock.
"""

import uuid
from collections import defaultdict

from django.db import transaction

from bulk_orders.models import BulkOrder, BulkOrderStatus, GiftPackItem
from bulk_orders.pricing import price_bulk_order
from bulk_orders.services.errors import BulkOrderError, status_error
from bulk_orders.services.workflow import check_editor, locked, record_transition
from catalog.models import ProductVariant
from checkout.errors import InsufficientStock
from mall.graphql.ids import from_global_id_or_error
from orders.models import Order, OrderEvent, OrderEventType, OrderLine, OrderOrigin, OrderStatus
from orders.services.stock import StockRequest, allocate, save_allocations


def place(bulk_order: BulkOrder, *, by) -> BulkOrder:
    with transaction.atomic():
        bulk_order = locked(bulk_order)
        check_editor(by, bulk_order.branch)
        if bulk_order.status != BulkOrderStatus.APPROVED:
            raise status_error(bulk_order, "下单")
        lines, prices = price_bulk_order(bulk_order)
        if not lines:
            raise BulkOrderError("采购单没有商品。", field="lines", code="NO_LINES")
        pack_items = defaultdict(list)
        for item in GiftPackItem.objects.filter(
            pack_id__in={line.gift_pack_id for line in lines if line.gift_pack_id}
        ).select_related("variant__product__product_type"):
            pack_items[item.pack_id].append(item)

        # Order lines by key: ("variant", pk) or ("pack", pk).
        grouped = {}
        for line in lines:
            key = ("variant", line.variant_id) if line.variant_id else ("pack", line.gift_pack_id)
            price = prices.lines[line.pk]
            entry = grouped.setdefault(key, {"line": line, "price": price, "quantity": 0})
            entry["quantity"] += line.quantity
        requests = defaultdict(int)  # (order line key, variant pk) -> units
        track = {}
        for key, entry in grouped.items():
            if key[0] == "variant":
                variant = entry["line"].variant
                track[variant.pk] = variant.track_inventory
                requests[(key, variant.pk)] += entry["quantity"]
            else:
                for item in pack_items[key[1]]:
                    track[item.variant_id] = item.variant.track_inventory
                    requests[(key, item.variant_id)] += entry["quantity"] * item.quantity
        try:
            plan = allocate(
                [
                    StockRequest(key=request_key, variant_id=request_key[1], quantity=units)
                    for request_key, units in requests.items()
                    if track[request_key[1]]
                ],
                bulk_order.channel,
            )
        except InsufficientStock as error:
            ids = [
                from_global_id_or_error(global_id, "ProductVariant") for global_id in error.extra.get("variants", [])
            ]
            skus = sorted(ProductVariant.objects.filter(pk__in=ids).values_list("sku", flat=True))
            raise BulkOrderError(
                f"库存不足，以下商品无法备货：{'、'.join(skus)}。采购单未下单，请调整数量后重试。",
                field="lines",
                code="INSUFFICIENT_STOCK",
                skus=skus,
            ) from error

        creator = bulk_order.created_by
        order = Order.objects.create(
            origin=OrderOrigin.BULK,
            channel=bulk_order.channel,
            user=creator,
            user_email=creator.email,
            currency=bulk_order.currency,
            undiscounted_subtotal_amount=prices.undiscounted_total,
            subtotal_amount=prices.total,
            total_amount=prices.total,
            discount_amount=0,
            customer_note=f"工会采购单 {bulk_order}：{bulk_order.name}",
            payment_due_at=None,
            status=OrderStatus.UNCONFIRMED,
        )
        order_lines = _write_lines(order, grouped, bulk_order.currency)
        save_allocations(plan, {request_key: order_lines[request_key[0]] for request_key in plan})
        OrderEvent.objects.create(order=order, type=OrderEventType.PLACED, user=by)
        bulk_order.order = order
        bulk_order.total_amount = prices.total
        record_transition(bulk_order, BulkOrderStatus.PLACED, by=by, comment=f"生成订单 #{order.number}")
        bulk_order.save(update_fields=["status", "order", "total_amount", "updated_at"])
    return bulk_order


def _write_lines(order: Order, grouped: dict, currency: str) -> dict:
    order_lines = {}
    for index, (key, entry) in enumerate(grouped.items()):
        line, price, quantity = entry["line"], entry["price"], entry["quantity"]
        if key[0] == "variant":
            variant, product = line.variant, line.variant.product
            fields = {
                "variant": variant,
                "product_name": product.name,
                "variant_name": variant.name,
                "product_sku": variant.sku,
                "product_id": product.pk,
                "merchant_name": "",
                "is_shipping_required": product.product_type.is_shipping_required,
                "member_price_amount": variant.member_price_amount,
            }
        else:
            pack = line.gift_pack
            fields = {"variant": None, "product_name": pack.name, "variant_name": "礼包", "product_sku": pack.sku}
        order_lines[key] = OrderLine(
            id=uuid.uuid4(),
            order=order,
            quantity=quantity,
            currency=currency,
            undiscounted_unit_price_amount=price.undiscounted_unit_price,
            unit_price_amount=price.unit_price,
            total_price_amount=price.unit_price * quantity,
            sort_order=index,
            **fields,
        )
    OrderLine.objects.bulk_create(order_lines.values())
    return order_lines
