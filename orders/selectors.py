"""Reads of orders: a member's own, one order for whoever may see it, and staff's order list."""

import uuid

from django.db.models import Q, QuerySet

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
    orders = Order.objects.all() if can_manage_orders(user) else orders_of(user)
    return orders.filter(pk=order_id).first()


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


def orders_for_staff(
    *, statuses=(), charge_statuses=(), customer: str = "", numbers=(), ids=(), created_from=None, created_to=None
) -> QuerySet[Order]:
    """Every order, filtered as Saleor's OrderFilterInput filters them (the caller checks MANAGE_ORDERS)."""
    orders = Order.objects.all()
    if statuses:
        condition = Q()
        for status in statuses:
            condition |= STATUS_FILTERS[status]
        orders = orders.filter(condition)
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
