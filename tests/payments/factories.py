"""Orders, checkouts and allowances for payment tests, made with the models directly: the checkout and
order services belong to other parts of the work, and payments only need rows to pay for."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.utils import timezone

from allowances.models import AllowanceEntry, AllowanceEntryType, AllowanceGrant
from allowances.services import spend_for_order
from checkout.models import Checkout, CheckoutLine
from mall.permissions import PERMISSION_APP_LABEL
from orders.models import Order, OrderLine
from tests import factories

PASSWORD = "pass-1234-word"


def grant(user, *permissions):
    """`user` with `permissions`, re-read so Django's per-object permission cache is fresh."""
    codenames = [permission.codename for permission in permissions]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label=PERMISSION_APP_LABEL, codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)


def order(*, channel, user=None, lines=(("苹果", 1, "99.00", "0.00"),), shipping="0.00", **fields) -> Order:
    """An unpaid order of `lines` (name, quantity, unit price, allowance part of the line) whose total
    is what remains for the card: goods + shipping − allowance."""
    subtotal = sum((Decimal(price) * quantity for _, quantity, price, _ in lines), Decimal("0"))
    allowance = sum((Decimal(part) for *_, part in lines), Decimal("0"))
    created = Order.objects.create(
        channel=channel,
        user=user,
        user_email=user.email if user else "guest@example.com",
        undiscounted_subtotal_amount=subtotal,
        subtotal_amount=subtotal,
        shipping_price_amount=Decimal(shipping),
        allowance_amount=allowance,
        total_amount=subtotal + Decimal(shipping) - allowance,
        **fields,
    )
    for index, (name, quantity, price, part) in enumerate(lines):
        OrderLine.objects.create(
            order=created,
            product_name=name,
            quantity=quantity,
            undiscounted_unit_price_amount=Decimal(price),
            unit_price_amount=Decimal(price),
            total_price_amount=Decimal(price) * quantity,
            allowance_amount=Decimal(part),
            sort_order=index,
        )
    return created


def allowance_grant(user, *, amount="100.00", issued_by, reason="中秋慰问") -> AllowanceGrant:
    grant_row = AllowanceGrant.objects.create(
        reason=reason, amount=Decimal(amount), expires_at=timezone.now() + timedelta(days=30), issued_by=issued_by
    )
    AllowanceEntry.objects.create(grant=grant_row, user=user, type=AllowanceEntryType.ISSUE, amount=Decimal(amount))
    return grant_row


def order_paid_partly_by_allowance(*, channel, user, issued_by, lines, shipping="0.00") -> Order:
    """An order whose lines' allowance parts were spent from one grant of the member's."""
    allowance_row = allowance_grant(user, amount="500.00", issued_by=issued_by)
    created = order(channel=channel, user=user, lines=lines, shipping=shipping)
    if created.allowance_amount:
        spend_for_order(created, {allowance_row.pk: created.allowance_amount})
    return created


def checkout(*, channel, user=None, price="30.00", quantity=2) -> Checkout:
    """A checkout with one line of a published product (no shipping method: the total is the goods)."""
    product = factories.product(channel=channel, price=price, quantity=50)
    created = Checkout.objects.create(channel=channel, user=user, email=user.email if user else "guest@example.com")
    CheckoutLine.objects.create(checkout=created, variant=product.variants.get(), quantity=quantity)
    return created
