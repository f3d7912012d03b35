"""Ending an order before it ships: canceled by its owner or staff, or expired when unpaid in time.

Either way the order gives back what it held: stock allocations, the voucher use and the welfare
allowance it spent. Each runs in one transaction with the order row locked, so a payment recorded
at the same moment (orders.charge.refresh_charge_status, under the same lock) is seen first or
waits: a payment that committed first wins, and a paid order is never expired.
"""

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from allowances.services import refund_for_order
from checkout.models import Voucher
from mall.errors import PermissionDenied
from mall.permissions import PermissionEnum, has_permissions
from orders.errors import OrderActionError
from orders.models import Order, OrderChargeStatus, OrderEvent, OrderEventType, OrderStatus
from orders.services.stock import release_allocations
from relief_sourcing.ledger import record_cancellation

CANCELABLE_BY_STAFF = (OrderStatus.UNCONFIRMED, OrderStatus.UNFULFILLED)


def cancel_order(order: Order, *, by, reason: str = "") -> Order:
    """Cancel `order` for `by`: its owner while it is unpaid, staff (MANAGE_ORDERS) until it ships.

    A paid order is refused until its payment has been refunded in full (refunds are the payments
    app's); what was paid from the welfare allowance goes back to the ledger here.
    """
    with transaction.atomic():
        order = _locked(order)
        staff = has_permissions(by, [PermissionEnum.MANAGE_ORDERS])
        owner = by is not None and by.is_authenticated and order.user_id == by.pk
        if not (staff or owner):
            raise PermissionDenied([PermissionEnum.MANAGE_ORDERS])
        if order.status not in CANCELABLE_BY_STAFF or (not staff and order.status != OrderStatus.UNCONFIRMED):
            raise OrderActionError(
                f"订单状态为“{order.get_status_display()}”，不能取消。", field="id", code="CANNOT_CANCEL_ORDER"
            )
        if _card_money_held(order):
            raise OrderActionError(
                "订单已有付款或付款处理中，请先全额退款再取消。"
                if staff
                else "订单已有付款或付款处理中，不能自行取消，请联系客服。",
                field="id",
                code="CANNOT_CANCEL_ORDER",
            )
        _end(order, status=OrderStatus.CANCELED, event=OrderEventType.CANCELED, by=by, message=reason)
        if order.paid_at is not None:
            # Paid, then canceled: whatever its refunds left on the relief ledger is taken back.
            record_cancellation(order)
    return order


def release_unpaid_orders(*, now=None) -> int:
    """Expire the orders still unpaid at their payment deadline; returns how many were expired.

    Each order is handled in a transaction of its own and checked again under its row lock, so one
    order's failure does not stop the others, and a payment that committed first wins.
    """
    now = now or timezone.now()
    due = Order.objects.filter(_unpaid_and_due(now)).order_by("payment_due_at", "pk").values_list("pk", flat=True)
    expired = 0
    for order_id in list(due):
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(_unpaid_and_due(now), pk=order_id).first()
            if order is None or _payment_in_flight(order):
                continue
            _end(order, status=OrderStatus.EXPIRED, event=OrderEventType.EXPIRED, by=None, message="超时未支付")
            expired += 1
    return expired


def _unpaid_and_due(now) -> Q:
    return Q(status=OrderStatus.UNCONFIRMED, charge_status=OrderChargeStatus.NONE, payment_due_at__lt=now)


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _card_money_held(order: Order) -> bool:
    """Whether a payment still holds money on the order: charged and not refunded, or on its way."""
    return order.total_charged_amount > 0 or _payment_in_flight(order)


def _payment_in_flight(order: Order) -> bool:
    """A payment the gateway is still processing: the buyer has paid, the order must not expire under it."""
    return order.transactions.filter(Q(amount_charge_pending__gt=0) | Q(amount_authorized__gt=0)).exists()


def _end(order: Order, *, status: str, event: str, by, message: str) -> None:
    """Give back stock, voucher use and allowance, and record why the order ended."""
    released = release_allocations(order)
    if order.voucher_id is not None:
        Voucher.objects.filter(pk=order.voucher_id, used__gt=0).update(used=F("used") - 1)
    refunded = refund_for_order(order, by=by, note=f"订单 {order.number} {'取消' if status == 'CANCELED' else '过期'}")
    order.status = status
    order.canceled_at = timezone.now()
    order.payment_due_at = None
    order.save(update_fields=["status", "canceled_at", "payment_due_at", "updated_at"])
    actor = by if by is not None and by.is_authenticated else None
    parameters = {"message": message} if message else {}
    if refunded:
        parameters["allowance_refunded"] = str(refunded)
    OrderEvent.objects.create(order=order, type=event, user=actor, parameters=parameters)
    if released:
        OrderEvent.objects.create(
            order=order, type=OrderEventType.ALLOCATION_RELEASED, user=actor, parameters={"lines": released}
        )
