"""Small actions the order tests share: paying an order as the payments app records a payment."""

from decimal import Decimal

from django.db import transaction

from catalog.models import Stock
from orders.charge import refresh_charge_status
from orders.models import Order
from payments.models import TransactionItem


def pay(order: Order, amount: Decimal | None = None) -> Order:
    """Record a gateway charge of `amount` (all of the total by default) on the order, as payments does."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        TransactionItem.objects.create(
            order=order, amount_charged=order.total_amount if amount is None else Decimal(amount)
        )
        refresh_charge_status(order)
    return order


def refund_all(order: Order) -> Order:
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        for item in order.transactions.all():
            item.amount_refunded = item.amount_charged
            item.save(update_fields=["amount_refunded"])
        refresh_charge_status(order)
    return order


def stock_of(variant) -> tuple[int, int]:
    """(quantity, quantity_allocated) summed over the variant's stock rows."""
    rows = Stock.objects.filter(product_variant=variant)
    return sum(row.quantity for row in rows), sum(row.quantity_allocated for row in rows)
