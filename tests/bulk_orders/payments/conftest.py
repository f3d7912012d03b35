"""Fixtures of the bulk order payment and invoice tests: a placed bulk order of the grassroots union
(certified plums and uncertified rice) with its orders.Order made directly — placing is another part
of the work — and the people who pay for it, record transfers and ask for invoices."""

from decimal import Decimal

import pytest

from branches.models import BranchRole
from bulk_orders.models import BulkOrder, BulkOrderLine, BulkOrderStatus
from mall.permissions import PermissionEnum
from orders.models import Order, OrderLine, OrderOrigin, OrderStatus
from tests.orders.conftest import make_user
from tests.payments.factories import grant
from tests.relief_sourcing import conftest as relief

# Fixtures shared with the relief ledger, order and payment tests.
shop = relief.shop
tree = relief.tree
region = relief.region
supplier = relief.supplier
plum = relief.plum
rice = relief.rice
certification = relief.certification
fast_password_hashing = relief.fast_password_hashing
mail_in_memory = relief.mail_in_memory
stripe_settings = relief.stripe_settings
shopper_stripe = relief.shopper_stripe


@pytest.fixture
def clerk(django_user_model, tree):
    user = make_user(django_user_model, "clerk@example.com")
    BranchRole.objects.create(user=user, branch=tree.grassroots, role=BranchRole.Role.CLERK)
    return user


@pytest.fixture
def approver(django_user_model, tree):
    user = make_user(django_user_model, "chair@example.com")
    BranchRole.objects.create(user=user, branch=tree.grassroots, role=BranchRole.Role.APPROVER)
    return user


@pytest.fixture
def auditor(django_user_model, tree):
    user = make_user(django_user_model, "auditor@example.com")
    BranchRole.objects.create(user=user, branch=tree.grassroots, role=BranchRole.Role.AUDITOR)
    return user


@pytest.fixture
def operator(django_user_model):
    user = make_user(django_user_model, "finance@example.com", is_staff=True)
    return grant(user, PermissionEnum.MANAGE_ORDERS)


def place_bulk_order(shop, branch, clerk, lines, *, reference="BK7Q3M9X") -> BulkOrder:
    """A PLACED bulk order and its order (origin BULK) of `lines` ((variant, quantity, unit price))."""
    total = sum((Decimal(price) * quantity for _, quantity, price in lines), Decimal("0"))
    order = Order.objects.create(
        channel=shop.channel,
        user=clerk,
        user_email=clerk.email,
        origin=OrderOrigin.BULK,
        status=OrderStatus.UNCONFIRMED,
        undiscounted_subtotal_amount=total,
        subtotal_amount=total,
        total_amount=total,
    )
    bulk_order = BulkOrder.objects.create(
        branch=branch,
        channel=shop.channel,
        name="中秋慰问品采购",
        status=BulkOrderStatus.PLACED,
        payment_reference=reference,
        created_by=clerk,
        order=order,
        total_amount=total,
    )
    for index, (variant, quantity, price) in enumerate(lines):
        OrderLine.objects.create(
            order=order,
            variant=variant,
            product_name=variant.product.name,
            product_id=variant.product_id,
            quantity=quantity,
            undiscounted_unit_price_amount=Decimal(price),
            unit_price_amount=Decimal(price),
            total_price_amount=Decimal(price) * quantity,
            sort_order=index,
        )
        BulkOrderLine.objects.create(bulk_order=bulk_order, variant=variant, quantity=quantity)
    return bulk_order


@pytest.fixture
def bulk_order(shop, tree, clerk, plum, rice, certification):
    """20 boxes of certified plums at ¥30.00 and 10 bags of rice at ¥50.00: ¥1,100.00."""
    return place_bulk_order(shop, tree.grassroots, clerk, [(plum, 20, "30.00"), (rice, 10, "50.00")])
