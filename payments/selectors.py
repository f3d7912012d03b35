"""Reads about payments: who may see a checkout's or order's payments, and what is still owed."""

from decimal import Decimal

from django.db.models import Q, Sum

from mall.errors import DomainError
from mall.money import quantize
from mall.permissions import PermissionEnum, has_permissions
from payments.models import TransactionEvent, TransactionEventType, TransactionItem

ZERO = Decimal("0.00")
# Staff who may see and act on any order's payments (Saleor: HANDLE_PAYMENTS; the mall adds MANAGE_ORDERS).
ORDER_PAYMENT_STAFF = (PermissionEnum.HANDLE_PAYMENTS, PermissionEnum.MANAGE_ORDERS)
CHECKOUT_PAYMENT_STAFF = (PermissionEnum.HANDLE_PAYMENTS, PermissionEnum.MANAGE_CHECKOUTS)


def not_found(field: str = "id") -> DomainError:
    return DomainError("找不到这笔订单或购物车。", field=field, code="NOT_FOUND")


def may_pay_for(user, *, checkout=None, order=None) -> bool:
    """Whether `user` may start, follow and read payments of this checkout or order.

    As in Saleor, a checkout or order without an owner is open to whoever holds its ID (a UUID
    nobody can guess); one with an owner is open to that owner and to payment staff.
    """
    owner_id = (checkout or order).user_id
    staff = CHECKOUT_PAYMENT_STAFF if checkout is not None else ORDER_PAYMENT_STAFF
    if owner_id is None:
        return True
    if user is not None and user.is_authenticated and user.pk == owner_id:
        return True
    return has_permissions(user, staff)


def require_payment_access(user, *, checkout=None, order=None, field: str = "id") -> None:
    """Someone else's checkout or order reads as not found, so IDs tell nothing about who owns what."""
    if not may_pay_for(user, checkout=checkout, order=order):
        raise not_found(field)


def may_read_transaction(user, transaction: TransactionItem) -> bool:
    if transaction.order_id is None and transaction.checkout_id is None:
        return has_permissions(user, ORDER_PAYMENT_STAFF)
    if transaction.order_id is not None:
        return may_pay_for(user, order=transaction.order)
    return may_pay_for(user, checkout=transaction.checkout)


def covered_amount(transactions) -> Decimal:
    """What these transactions already hold or are collecting: charged − refunded + charge pending."""
    totals = transactions.aggregate(
        charged=Sum("amount_charged"), refunded=Sum("amount_refunded"), pending=Sum("amount_charge_pending")
    )
    return quantize((totals["charged"] or ZERO) - (totals["refunded"] or ZERO) + (totals["pending"] or ZERO))


def granted_card_refunds(order) -> Decimal:
    """Card money given back for refunds staff granted on `order`: it lowers what the order owes."""
    total = TransactionEvent.objects.filter(
        transaction__order=order, type=TransactionEventType.REFUND_SUCCESS, granted_refund__isnull=False
    ).aggregate(total=Sum("amount_value"))["total"]
    return quantize(total or ZERO)


def order_amount_due(order) -> Decimal:
    """What the order still owes by card: its total, less granted refunds, less what its transactions
    hold or are collecting. Never negative."""
    owed = (
        order.total_amount - granted_card_refunds(order) - covered_amount(TransactionItem.objects.filter(order=order))
    )
    return max(quantize(owed), ZERO)


def refundable_amount(transaction: TransactionItem) -> Decimal:
    """Card money of this transaction that can still be refunded."""
    return max(
        quantize(transaction.amount_charged - transaction.amount_refunded - transaction.amount_refund_pending), ZERO
    )


def requested_amount(transaction: TransactionItem) -> Decimal | None:
    """The amount the transaction was initialized for (its first CHARGE_REQUEST)."""
    event = transaction.events.filter(type=TransactionEventType.CHARGE_REQUEST).order_by("created_at", "pk").first()
    return event.amount_value if event else None


def transactions_of_order(order):
    return TransactionItem.objects.filter(order=order).order_by("created_at", "pk")


def transaction_by_psp_reference(psp_reference: str) -> TransactionItem | None:
    if not psp_reference:
        return None
    return TransactionItem.objects.filter(psp_reference=psp_reference).first()


def transaction_of_refund(refund_id: str) -> TransactionItem | None:
    """The transaction a Stripe refund we asked for belongs to."""
    event = (
        TransactionEvent.objects.filter(
            Q(type=TransactionEventType.REFUND_REQUEST) | Q(type=TransactionEventType.REFUND_SUCCESS),
            psp_reference=refund_id,
        )
        .select_related("transaction")
        .first()
    )
    return event.transaction if event else None
