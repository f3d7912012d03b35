"""Reads of orders: a member's own, one order for whoever may see it, and staff's order list."""

import uuid

from django.db.models import F, Q, QuerySet

from mall.permissions import PermissionEnum, has_permissions
from orders.models import Order, OrderChargeStatus, OrderStatus


def can_manage_orders(user) -> bool:
    return has_permissions(user, [PermissionEnum.MANAGE_ORDERS])


def orders_of(user) -> QuerySet[Order]:
    """The user's own orders, newest first; none for anonymous users."""
    if user is None or not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(user=user).order_by("-number")


def parse_order_id(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def order_for(user, order_id) -> Order | None:
    """The order `order_id` if `user` may see it: its owner, or staff with MANAGE_ORDERS; else None,
    so that nobody learns whether someone else's order exists."""
    order_id = parse_order_id(order_id)
    if order_id is None or user is None or not user.is_authenticated:
        return None
    order = Order.objects.filter(pk=order_id).first()
    # The owner first: a member reading their own order needs no look at permissions.
    if order is not None and (order.user_id == user.pk or can_manage_orders(user)):
        return order
    return None


# Saleor's OrderStatusFilter values, as conditions on our columns.
STATUS_FILTERS = {
    "READY_TO_FULFILL": Q(
        status__in=[OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED],
        charge_status__in=[OrderChargeStatus.FULL, OrderChargeStatus.OVERCHARGED],
    ),
    "READY_TO_CAPTURE": Q(status=OrderStatus.UNCONFIRMED, charge_status=OrderChargeStatus.NONE),
    "UNCONFIRMED": Q(status=OrderStatus.UNCONFIRMED),
    "UNFULFILLED": Q(status=OrderStatus.UNFULFILLED),
    "PARTIALLY_FULFILLED": Q(status=OrderStatus.PARTIALLY_FULFILLED),
    "FULFILLED": Q(status=OrderStatus.FULFILLED),
    "CANCELED": Q(status=OrderStatus.CANCELED),
    "EXPIRED": Q(status=OrderStatus.EXPIRED),
}


# Saleor's PaymentChargeStatusEnum, derived from the charge columns: a paid order charged less than its
# total has been refunded (refunds are what lower the net charged amount after payment).
_REFUNDED = Q(paid_at__isnull=False, total_amount__gt=0, total_charged_amount__lt=F("total_amount"))
PAYMENT_STATUS_FILTERS = {
    "NOT_CHARGED": Q(charge_status=OrderChargeStatus.NONE) & ~_REFUNDED,
    "PARTIALLY_CHARGED": Q(charge_status=OrderChargeStatus.PARTIAL) & ~_REFUNDED,
    "FULLY_CHARGED": Q(charge_status__in=[OrderChargeStatus.FULL, OrderChargeStatus.OVERCHARGED]),
    "PARTIALLY_REFUNDED": _REFUNDED & Q(total_charged_amount__gt=0),
    "FULLY_REFUNDED": _REFUNDED & Q(total_charged_amount__lte=0),
}


def payment_status(order: Order) -> str:
    """The order's PaymentChargeStatusEnum name, as PAYMENT_STATUS_FILTERS selects it."""
    charged, total = order.total_charged_amount, order.total_amount
    if order.paid_at is not None and total > 0 and charged < total:
        return "FULLY_REFUNDED" if charged <= 0 else "PARTIALLY_REFUNDED"
    return {OrderChargeStatus.NONE: "NOT_CHARGED", OrderChargeStatus.PARTIAL: "PARTIALLY_CHARGED"}.get(
        order.charge_status, "FULLY_CHARGED"
    )


def _any_of(conditions: dict, names) -> Q:
    combined = Q(pk__in=[])
    for name in names:
        combined |= conditions[name]
    return combined


def orders_for_staff(
    *,
    statuses=(),
    payment_statuses=(),
    charge_statuses=(),
    customer: str = "",
    numbers=(),
    ids=(),
    created_from=None,
    created_to=None,
) -> QuerySet[Order]:
    """Every order, filtered as Saleor's OrderFilterInput filters them (the caller checks MANAGE_ORDERS)."""
    orders = Order.objects.all()
    if statuses:
        orders = orders.filter(_any_of(STATUS_FILTERS, statuses))
    if payment_statuses:
        orders = orders.filter(_any_of(PAYMENT_STATUS_FILTERS, payment_statuses))
    if charge_statuses:
        orders = orders.filter(charge_status__in=charge_statuses)
    if customer:
        orders = orders.filter(
            Q(user_email__icontains=customer)
            | Q(user__first_name__icontains=customer)
            | Q(user__last_name__icontains=customer)
            | Q(user__phone__icontains=customer)
        )
    if numbers:
        # Order numbers are bigints: longer digit strings cannot name one.
        wanted = [int(number) for number in map(str, numbers) if number.isdigit() and len(number) <= 18]
        orders = orders.filter(number__in=wanted)
    if ids:
        orders = orders.filter(pk__in=[pk for pk in (parse_order_id(value) for value in ids) if pk])
    if created_from:
        orders = orders.filter(created_at__gte=created_from)
    if created_to:
        orders = orders.filter(created_at__lte=created_to)
    return orders
