"""Fixtures of the relief ledger tests: a branch tree, a partner county with an admitted cooperative whose
plums are certified, uncertified rice, and members placed in a grassroots union. Orders are made through
the checkout services and paid as the payments app records a payment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from branches.services import create_union_branch
from members.models import MemberProfile
from orders.charge import refresh_charge_status
from orders.models import Order
from orders.services import complete_checkout
from payments.models import TransactionItem
from relief_sourcing.models import PartnerRegion, ReliefCertification, ReliefSupplier
from tests import factories
from tests.orders import conftest as orders_conftest
from tests.orders.conftest import make_checkout, make_user
from tests.payments import conftest as payments_conftest

# Fixtures shared with the order and payment tests.
shop = orders_conftest.shop
order_manager = orders_conftest.order_manager
fast_password_hashing = orders_conftest.fast_password_hashing
mail_in_memory = orders_conftest.mail_in_memory
stripe_settings = payments_conftest.stripe_settings
shopper_stripe = payments_conftest.shopper_stripe


@pytest.fixture
def tree(db):
    """City federation → district → street → two grassroots unions."""
    city = create_union_branch(code="SZ", name="深圳市总工会")
    district = create_union_branch(code="SZ-NS", name="南山区总工会", parent=city)
    street = create_union_branch(code="SZ-NS-YH", name="粤海街道总工会", parent=district)
    grassroots = create_union_branch(code="SZ-NS-YH-01", name="科技园一号工会", parent=street)
    sibling = create_union_branch(code="SZ-NS-YH-02", name="科技园二号工会", parent=street)
    names = {"city": city, "district": district, "street": street, "grassroots": grassroots, "sibling": sibling}
    return type("Tree", (), names)


@pytest.fixture
def region(db):
    return PartnerRegion.objects.create(
        code="500237",
        province="重庆市",
        prefecture="",
        county="巫山县",
        pairing_type=PartnerRegion.PairingType.COUNTERPART,
        active_from_year=2021,
    )


@pytest.fixture
def supplier(region):
    merchant = factories.merchant(name="巫山脆李专业合作社")
    return ReliefSupplier.objects.create(
        merchant=merchant,
        region=region,
        credit_code="93500237MA5U8XXXXX",
        entity_type=ReliefSupplier.EntityType.COOPERATIVE,
        admission_status=ReliefSupplier.AdmissionStatus.APPROVED,
        decided_at=timezone.now() - timedelta(days=60),
    )


@pytest.fixture
def plum(shop, supplier):
    """巫山脆李: list ¥30.00, member price ¥25.00; 50 in stock; not yet certified (see `certification`)."""
    product = factories.product(
        channel=shop.channel,
        name="巫山脆李",
        price="30.00",
        member_price="25.00",
        quantity=50,
        warehouse=shop.warehouse,
        merchant=supplier.merchant,
    )
    return product.variants.get()


@pytest.fixture
def certification(plum, supplier, region):
    """The plums' certification, valid from a month ago to next year."""
    return certify(plum, supplier, region)


def certify(variant, supplier, region, *, number="YXBF-2025-001", days_from=-30, days_to=300, **fields):
    today = timezone.localdate()
    created = ReliefCertification.objects.create(
        number=number,
        certifying_body="重庆市乡村振兴局",
        supplier=supplier,
        origin=region,
        valid_from=today + timedelta(days=days_from),
        valid_to=today + timedelta(days=days_to),
        **fields,
    )
    created.products.add(variant.product)
    return created


@pytest.fixture
def rice(shop):
    """五常大米: ¥50.00, uncertified."""
    product = factories.product(
        channel=shop.channel, name="五常大米", price="50.00", quantity=50, warehouse=shop.warehouse
    )
    return product.variants.get()


def place_in(user, branch):
    MemberProfile.objects.filter(user=user).update(branch=branch)
    return user


@pytest.fixture
def member(django_user_model, tree):
    """A verified member of the grassroots union 科技园一号工会."""
    return place_in(make_user(django_user_model, "member@example.com", verified=True), tree.grassroots)


def buy(shop, user, lines, **checkout_fields) -> Order:
    """Place an order of `lines` ((variant, quantity)) through the checkout services."""
    checkout = make_checkout(shop, lines, user=user, **checkout_fields)
    order, _ = complete_checkout(checkout, user=user)
    return Order.objects.get(pk=order.pk)


def pay(order: Order, amount: Decimal | None = None) -> Order:
    """Record a gateway charge of what is due, as the payments app does (refresh under the row lock)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        TransactionItem.objects.create(order=order, amount_charged=order.total_amount if amount is None else amount)
        refresh_charge_status(order)
    return Order.objects.get(pk=order.pk)
