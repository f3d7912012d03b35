"""An order's charge status, kept from its transactions: the one place that decides an order is paid."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from orders.models import Order, OrderChargeStatus, OrderEvent, OrderEventType, OrderOrigin, OrderStatus
from payments.selectors import granted_card_refunds
from relief_sourcing.ledger import record_paid_order
from relief_sourcing.models import ReliefChannel


def charge_status_for(charged: Decimal, due: Decimal) -> str:
    if charged <= 0 and due > 0:
        return OrderChargeStatus.NONE
    if charged < due:
        return OrderChargeStatus.PARTIAL
    if charged > due:
        return OrderChargeStatus.OVERCHARGED
    return OrderChargeStatus.FULL


def refresh_charge_status(order: Order, *, by=None, now=None) -> bool:
    """Recompute what the order's transactions charged (charged − refunded) and its charge status.

    As in Saleor, a refund staff granted lowers what the order owes, so an order refunded that way
    stays paid; money refunded outside a grant (a duplicate payment given back) does not.

    Call it inside the transaction that changed a transaction's amounts, with the order row locked
    (select_for_update) by the caller. The first time the order becomes fully paid it records
    paid_at and the ORDER_FULLY_PAID event, and an order placed and awaiting payment (UNCONFIRMED)
    is confirmed: it becomes UNFULFILLED and no longer expires. Returns whether that happened now.
    An order with nothing to pay by card (all paid from the welfare allowance) is paid at once.

    `now` is when the payment was made (default: now); the demo's year of orders passes the past moment
    it replays, so paid_at and the relief ledger's occurred_at agree with it.
    """
    totals = order.transactions.aggregate(charged=Sum("amount_charged"), refunded=Sum("amount_refunded"))
    charged = (totals["charged"] or Decimal("0")) - (totals["refunded"] or Decimal("0"))
    order.total_charged_amount = charged
    status = charge_status_for(charged, order.total_amount - granted_card_refunds(order))
    became_paid = order.paid_at is None and status in (OrderChargeStatus.FULL, OrderChargeStatus.OVERCHARGED)
    order.charge_status = status
    fields = ["total_charged_amount", "charge_status", "updated_at"]
    if became_paid:
        order.paid_at = now or timezone.now()
        fields.append("paid_at")
        OrderEvent.objects.create(
            order=order, type=OrderEventType.ORDER_FULLY_PAID, user=by, parameters={"amount": str(charged)}
        )
        if order.status == OrderStatus.UNCONFIRMED:
            order.status = OrderStatus.UNFULFILLED
            order.payment_due_at = None
            fields += ["status", "payment_due_at"]
        if charged > 0:
            _email_payment_confirmation(order)
    order.save(update_fields=fields)
    if became_paid:
        # In this transaction, so the relief ledger and the payment commit (or roll back) together.
        _on_paid(order, by=by)
    return became_paid


def _on_paid(order: Order, *, by=None) -> None:
    """What an order becoming paid sets off, by card or by transfer alike. A member's purchase is
    credited to their branch; a bulk order's to the branch that ordered it (channel BRANCH), and the
    bulk order becomes PAID."""
    if order.origin != OrderOrigin.BULK:
        record_paid_order(order)
        return
    # Imported here: bulk_orders.payments imports this module.
    from bulk_orders.payments import mark_paid

    bulk_order = mark_paid(order, by=by)
    branch = bulk_order.branch if bulk_order is not None else None
    record_paid_order(order, branch=branch, channel=ReliefChannel.BRANCH)


def _email_payment_confirmation(order: Order) -> None:
    # Imported here: the tasks import the services, which import this module.
    from orders.tasks import send_payment_confirmation_email

    order_id = str(order.pk)
    transaction.on_commit(lambda: send_payment_confirmation_email.delay(order_id), robust=True)
