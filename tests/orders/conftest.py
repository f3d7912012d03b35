"""Fixtures for orders: a shop that ships, members with allowances, and checkouts ready to complete.

Checkouts are written as rows here (not through checkout.services) so these tests exercise the order
side alone: whatever a checkout holds, completing it must check it again.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from accounts.models import Address
from allowances.models import AllowanceEntry, AllowanceEntryType, AllowanceGrant
from checkout.models import Checkout, CheckoutLine, ShippingMethod, ShippingMethodChannelListing, ShippingZone, Voucher
from mall.permissions import PERMISSION_APP_LABEL, PermissionEnum
from members.models import MemberProfile
from tests import factories
from tests.graphql.conftest import GraphQLClient

PASSWORD = "pass-1234-word"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def shop(channel, warehouse):
    """Channel, warehouse and one shipping method: ¥10, free from ¥99, to every province."""
    zone = ShippingZone.objects.create(name="全国", is_default=True)
    zone.channels.add(channel)
    method = ShippingMethod.objects.create(zone=zone, name="快递")
    ShippingMethodChannelListing.objects.create(
        shipping_method=method, channel=channel, price_amount=Decimal("10.00"), free_above_amount=Decimal("99.00")
    )
    return type("Shop", (), {"channel": channel, "warehouse": warehouse, "shipping_method": method})


def make_user(django_user_model, email: str, *, verified: bool = False, **fields):
    user = django_user_model.objects.create_user(email, PASSWORD, **fields)
    if verified:
        MemberProfile.objects.create(
            user=user,
            number=f"M-{user.pk}",
            verification_status=MemberProfile.VerificationStatus.VERIFIED,
            id_number_hash=f"test-hash-{user.pk}",  # verified people are distinct by their ID number
        )
    return user


@pytest.fixture
def member(django_user_model):
    """A verified member (pays member prices)."""
    return make_user(django_user_model, "member@example.com", verified=True, last_name="李", first_name="晓梅")


@pytest.fixture
def other_member(django_user_model):
    return make_user(django_user_model, "other@example.com", verified=True)


def grant_permissions(user, *permissions: PermissionEnum):
    group, _ = Group.objects.get_or_create(name="订单管理")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=PERMISSION_APP_LABEL, codename__in=[p.codename for p in permissions]
        )
    )
    user.groups.add(group)
    return user


@pytest.fixture
def order_manager(django_user_model):
    user = make_user(django_user_model, "orders@example.com", is_staff=True)
    return grant_permissions(user, PermissionEnum.MANAGE_ORDERS)


@pytest.fixture
def api(client, db):
    return GraphQLClient(client)


def api_for(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


def address(**fields) -> Address:
    values = {
        "last_name": "李",
        "first_name": "晓梅",
        "street_address_1": "深南大道 6008 号",
        "city": "深圳市",
        "city_area": "南山区",
        "postal_code": "518000",
        "country": "CN",
        "country_area": "广东省",
        "phone": "+8613800138000",
    }
    return Address.objects.create(**{**values, **fields})


def make_checkout(
    shop,
    lines,
    *,
    user=None,
    email: str | None = "buyer@example.com",
    ship: bool = True,
    voucher: Voucher | None = None,
    allowance: Decimal | str | None = None,
) -> Checkout:
    """A checkout of `lines` ((variant, quantity) pairs) with an address and the shop's shipping method."""
    checkout = Checkout.objects.create(
        channel=shop.channel,
        user=user,
        email=email if email is not None else "",
        shipping_address=address() if ship else None,
        shipping_method=shop.shipping_method if ship else None,
        voucher=voucher,
        voucher_code=voucher.code if voucher else "",
        allowance_requested=Decimal(allowance) if allowance is not None else None,
    )
    for variant, quantity in lines:
        CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=quantity)
    return checkout


def issue_allowance(user, amount: str, *, issued_by, collection=None, days: int = 30) -> AllowanceGrant:
    grant = AllowanceGrant.objects.create(
        reason="中秋慰问",
        amount=Decimal(amount),
        expires_at=timezone.now() + timedelta(days=days),
        collection=collection,
        issued_by=issued_by,
    )
    AllowanceEntry.objects.create(grant=grant, user=user, type=AllowanceEntryType.ISSUE, amount=Decimal(amount))
    return grant


def make_voucher(code: str = "MID-AUTUMN", *, value: str = "5.00", **fields) -> Voucher:
    return Voucher.objects.create(
        code=code, discount_value=Decimal(value), start_date=timezone.now() - timedelta(days=1), **fields
    )


@pytest.fixture
def tea(shop):
    """List price ¥30.00, member price ¥25.00; 10 in stock."""
    product = factories.product(
        channel=shop.channel, name="普洱茶", price="30.00", member_price="25.00", quantity=10, warehouse=shop.warehouse
    )
    return product.variants.get()


@pytest.fixture
def rice(shop):
    """List price ¥50.00, no member price; 10 in stock."""
    product = factories.product(
        channel=shop.channel, name="五常大米", price="50.00", quantity=10, warehouse=shop.warehouse
    )
    return product.variants.get()
