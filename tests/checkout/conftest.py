"""Fixtures for the checkout tests: products with member prices, shipping zones as the mall sets
them up (free over ¥99 on the mainland, remote provinces extra), vouchers, members and clients."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.test import Client
from django.utils import timezone

from allowances.models import AllowanceEntry, AllowanceEntryType, AllowanceGrant
from checkout import services
from checkout.models import ShippingMethod, ShippingMethodChannelListing, ShippingZone, Voucher
from mall.graphql.ids import to_global_id
from mall.permissions import PERMISSION_APP_LABEL
from members.models import MemberProfile
from tests import factories
from tests.graphql.conftest import GraphQLClient

PASSWORD = "pass-1234-word"
REMOTE_PROVINCES = ["新疆维吾尔自治区", "西藏自治区", "青海省"]

SHENZHEN = {
    "first_name": "小明",
    "last_name": "王",
    "phone": "13800138000",
    "country_area": "广东省",
    "city": "深圳市",
    "city_area": "南山区",
    "street_address1": "科技园南区 1 栋 101",
    "postal_code": "518057",
}
URUMQI = {
    "first_name": "阿依",
    "last_name": "古",
    "phone": "13900139000",
    "country_area": "新疆维吾尔自治区",
    "city": "乌鲁木齐市",
    "city_area": "天山区",
    "street_address1": "解放南路 1 号",
    "postal_code": "830000",
}


def camel(address: dict) -> dict:
    """An address dict as GraphQL AddressInput (camelCase keys)."""
    names = {
        "first_name": "firstName",
        "last_name": "lastName",
        "country_area": "countryArea",
        "city_area": "cityArea",
        "street_address1": "streetAddress1",
        "postal_code": "postalCode",
    }
    return {names.get(key, key): value for key, value in address.items()}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Catalogue ---------------------------------------------------------------------------------
@pytest.fixture
def apple(channel, warehouse):
    """苹果: list price 30.00, member price 25.00, 10 in stock."""
    return factories.product(channel=channel, name="苹果", price="30.00", member_price="25.00", warehouse=warehouse)


@pytest.fixture
def apple_variant(apple):
    return apple.variants.get()


@pytest.fixture
def honey(channel, warehouse):
    """蜂蜜: list price 60.00, no member price, 100 in stock."""
    return factories.product(channel=channel, name="蜂蜜", price="60.00", quantity=100, warehouse=warehouse)


@pytest.fixture
def honey_variant(honey):
    return honey.variants.get()


def variant_id(variant) -> str:
    return to_global_id("ProductVariant", variant.pk)


# --- Shipping ----------------------------------------------------------------------------------
@pytest.fixture
def shipping(channel):
    """The mainland zone (standard ¥8, free from ¥99; express ¥18) and the remote zone (¥25, never free)."""
    mainland = ShippingZone.objects.create(name="全国", is_default=True)
    remote = ShippingZone.objects.create(name="偏远地区", provinces=REMOTE_PROVINCES)
    methods = {}
    for key, zone, name, price, free_above, days in (
        ("standard", mainland, "标准快递", "8.00", "99.00", (2, 4)),
        ("express", mainland, "顺丰速运", "18.00", None, (1, 2)),
        ("remote", remote, "偏远地区快递", "25.00", None, (5, 10)),
    ):
        method = ShippingMethod.objects.create(
            zone=zone, name=name, minimum_delivery_days=days[0], maximum_delivery_days=days[1]
        )
        ShippingMethodChannelListing.objects.create(
            shipping_method=method,
            channel=channel,
            price_amount=Decimal(price),
            free_above_amount=Decimal(free_above) if free_above else None,
        )
        methods[key] = method
    return methods


def method_id(method) -> str:
    return to_global_id("ShippingMethod", method.pk)


# --- Vouchers ----------------------------------------------------------------------------------
def make_voucher(channel, code: str = "SAVE10", **fields) -> Voucher:
    fields.setdefault("discount_value", Decimal("10.00"))
    fields.setdefault("start_date", timezone.now() - timedelta(days=1))
    voucher = Voucher.objects.create(code=code, **fields)
    voucher.channels.add(channel)
    return voucher


# --- People ------------------------------------------------------------------------------------
def make_user(django_user_model, email: str, status: str | None = None, **fields):
    user = django_user_model.objects.create_user(email, PASSWORD, **fields)
    if status:
        # A verified number is unique across members; any distinct stand-in hash will do here.
        MemberProfile.objects.create(
            user=user, number=f"M-{email}", verification_status=status, id_number_hash=f"hash-{email}"
        )
    return user


@pytest.fixture
def verified(django_user_model):
    return make_user(django_user_model, "verified@example.com", "verified")


@pytest.fixture
def unverified(django_user_model):
    return make_user(django_user_model, "unverified@example.com", "unverified")


@pytest.fixture
def stranger(django_user_model):
    return make_user(django_user_model, "stranger@example.com", "verified")


@pytest.fixture
def anonymous():
    return AnonymousUser()


def grant_permissions(user, *permissions):
    group, _ = Group.objects.get_or_create(name="购物车客服")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=PERMISSION_APP_LABEL, codename__in=[p.codename for p in permissions]
        )
    )
    user.groups.add(group)
    return user


def api_for(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


@pytest.fixture
def api(client, db):
    return GraphQLClient(client)


@pytest.fixture
def verified_api(verified):
    return api_for(verified)


@pytest.fixture
def unverified_api(unverified):
    return api_for(unverified)


# --- Allowances --------------------------------------------------------------------------------
def issue(user, amount: str, *, issued_by, collection=None, days: int = 30, reason: str = "中秋慰问"):
    """Issue an allowance grant to one member through the ledger (the allowances app's own rows)."""
    grant = AllowanceGrant.objects.create(
        reason=reason,
        amount=Decimal(amount),
        expires_at=timezone.now() + timedelta(days=days),
        collection=collection,
        issued_by=issued_by,
    )
    AllowanceEntry.objects.create(grant=grant, user=user, type=AllowanceEntryType.ISSUE, amount=Decimal(amount))
    return grant


# --- Checkouts ---------------------------------------------------------------------------------
def cart(channel, user=None, lines=(), **fields):
    """A checkout made through the service, as checkoutCreate makes it."""
    return services.create_checkout(channel=channel, user=user, lines=list(lines), **fields)


def checkout_id(checkout) -> str:
    return to_global_id("Checkout", checkout.pk)
