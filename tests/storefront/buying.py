"""A shop ready to sell, for the buying pages' tests: shipping, products, members and their allowance.

Test data is written as rows where the thing under test is a page (a checkout already holding lines,
an order already placed); the pages themselves only ever change things through the services.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Address
from allowances.models import AllowanceEntry, AllowanceEntryType, AllowanceGrant
from checkout.models import Checkout, CheckoutLine, ShippingMethod, ShippingMethodChannelListing, ShippingZone, Voucher
from members.models import MemberProfile
from tests import factories

PASSWORD = "pass-1234-word"
ADDRESS = {
    "last_name": "李",
    "first_name": "晓梅",
    "phone": "13800138000",
    "country_area": "广东省",
    "city": "深圳市",
    "city_area": "南山区",
    "street_address_1": "深南大道 6008 号",
    "postal_code": "518000",
}


def make_shipping(channel):
    """快递 ¥10 (free from ¥99) everywhere; 顺丰 ¥20 too. Returns the two methods."""
    zone = ShippingZone.objects.create(name="全国", is_default=True)
    zone.channels.add(channel)
    express = ShippingMethod.objects.create(zone=zone, name="快递", minimum_delivery_days=2, maximum_delivery_days=4)
    ShippingMethodChannelListing.objects.create(
        shipping_method=express, channel=channel, price_amount=Decimal("10.00"), free_above_amount=Decimal("99.00")
    )
    fast = ShippingMethod.objects.create(zone=zone, name="顺丰", maximum_delivery_days=2)
    ShippingMethodChannelListing.objects.create(shipping_method=fast, channel=channel, price_amount=Decimal("20.00"))
    return express, fast


def make_member(django_user_model, email="member@example.com", *, verified=True, **fields):
    user = django_user_model.objects.create_user(email, PASSWORD, **fields)
    MemberProfile.objects.create(
        user=user,
        number=f"M-{user.pk}",
        verification_status=(
            MemberProfile.VerificationStatus.VERIFIED if verified else MemberProfile.VerificationStatus.UNVERIFIED
        ),
        id_number_hash=f"test-hash-{user.pk}",
    )
    return user


def saved_address(user, **fields) -> Address:
    address = Address.objects.create(**{**ADDRESS, "phone": "+8613800138000", **fields})
    user.addresses.add(address)
    return address


def issuer():
    users = get_user_model().objects
    return users.filter(email="union-office@example.com").first() or users.create_user(
        "union-office@example.com", PASSWORD, is_staff=True
    )


def issue_allowance(user, amount: str, *, collection=None, days: int = 30) -> AllowanceGrant:
    grant = AllowanceGrant.objects.create(
        reason="中秋慰问",
        amount=Decimal(amount),
        expires_at=timezone.now() + timedelta(days=days),
        collection=collection,
        issued_by=issuer(),
    )
    AllowanceEntry.objects.create(grant=grant, user=user, type=AllowanceEntryType.ISSUE, amount=Decimal(amount))
    return grant


def make_voucher(channel, code="MID-AUTUMN", value="5.00", **fields) -> Voucher:
    voucher = Voucher.objects.create(
        code=code, discount_value=Decimal(value), start_date=timezone.now() - timedelta(days=1), **fields
    )
    voucher.channels.add(channel)
    return voucher


def cart_rows(channel, lines, *, user=None, email="") -> Checkout:
    """A checkout holding `lines` ((variant, quantity) pairs), written directly."""
    checkout = Checkout.objects.create(channel=channel, user=user, email=email or (user.email if user else ""))
    for variant, quantity in lines:
        CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=quantity)
    return checkout


def guest_session(client, checkout) -> None:
    """Give the test client's session the guest cart token, as adding to the cart would."""
    session = client.session
    session["checkout_token"] = str(checkout.token)
    session.save()


@pytest.fixture
def shop(channel, warehouse):
    express, fast = make_shipping(channel)
    tea = factories.product(
        channel=channel,
        name="普洱茶",
        slug="pu-er",
        price="30.00",
        member_price="25.00",
        quantity=10,
        warehouse=warehouse,
        variants=2,
    )
    rice = factories.product(
        channel=channel, name="五常大米", slug="wu-chang", price="50.00", quantity=3, warehouse=warehouse
    )
    return type(
        "Shop",
        (),
        {
            "channel": channel,
            "warehouse": warehouse,
            "express": express,
            "fast": fast,
            "tea": tea,
            "tea_small": tea.variants.order_by("pk")[0],
            "tea_large": tea.variants.order_by("pk")[1],
            "rice": rice.variants.get(),
        },
    )


@pytest.fixture
def member(django_user_model):
    return make_member(django_user_model, last_name="李", first_name="晓梅")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def ready_checkout(shop, lines, *, user=None, email="guest@example.com") -> Checkout:
    """A checkout with `lines`, an address and 快递 chosen: ready for 提交订单."""
    checkout = cart_rows(shop.channel, lines, user=user, email=email if user is None else user.email)
    checkout.shipping_address = Address.objects.create(**{**ADDRESS, "phone": "+8613800138000"})
    checkout.shipping_method = shop.express
    checkout.save()
    return checkout


def place_order(shop, lines, *, user=None, email="guest@example.com"):
    """An order placed through orders.services from a ready checkout; unpaid unless its total is zero."""
    from orders.services import complete_checkout

    order, _created = complete_checkout(ready_checkout(shop, lines, user=user, email=email), user=user)
    return order
