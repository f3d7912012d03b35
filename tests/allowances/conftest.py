"""Fixtures for welfare allowances: an operator holding MANAGE_ALLOWANCES, verified members, orders."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from allowances import services
from mall.permissions import PERMISSION_APP_LABEL, PermissionEnum
from members.models import MemberProfile
from orders.models import Order
from tests import factories
from tests.factories import grassroots_union
from tests.graphql.conftest import GraphQLClient

PASSWORD = "pass-1234-word"
# Unique across tests in one run; the member number and ID hash are unique columns.
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def grant_permissions(user, *permissions: PermissionEnum):
    """Give `user` the permissions through a group, as operators are set up."""
    group, _ = Group.objects.get_or_create(name=" + ".join(sorted(permission.name for permission in permissions)))
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=PERMISSION_APP_LABEL, codename__in=[p.codename for p in permissions]
        )
    )
    user.groups.add(group)
    return get_user_model().objects.get(pk=user.pk)  # a fresh object: Django caches permissions per object


def make_members(count: int, *, branch=None, verified: bool = True) -> list:
    """`count` users with member profiles, in three queries whatever the count (bulk inserts)."""
    User = get_user_model()
    numbers = [next(_numbers) for _ in range(count)]
    users = User.objects.bulk_create(
        [
            User(email=f"member{number}@example.com", password="!", last_name="会员", first_name=str(number))
            for number in numbers
        ]
    )
    status = MemberProfile.VerificationStatus.VERIFIED if verified else MemberProfile.VerificationStatus.UNVERIFIED
    MemberProfile.objects.bulk_create(
        [
            MemberProfile(
                user=user,
                number=f"T{number:08d}",
                branch=branch,
                verification_status=status,
                id_number_hash=f"test-hash-{number}",
            )
            for user, number in zip(users, numbers, strict=True)
        ]
    )
    return list(User.objects.filter(pk__in=[user.pk for user in users]).select_related("member_profile"))


@pytest.fixture
def api(client, db):
    return GraphQLClient(client)


@pytest.fixture
def branch(db):
    return grassroots_union(code="GH-T-001", name="测试区第一联合工会")


@pytest.fixture
def operator(django_user_model):
    user = django_user_model.objects.create_user("allowance-operator@example.com", PASSWORD, is_staff=True)
    return grant_permissions(user, PermissionEnum.MANAGE_ALLOWANCES)


@pytest.fixture
def member(branch):
    user = make_members(1, branch=branch)[0]
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def unverified_user(branch):
    return make_members(1, branch=branch, verified=False)[0]


@pytest.fixture
def relief_collection(channel):
    return factories.collection(channel=channel, slug="relief-zone", name="帮扶专区")


def in_days(days: float):
    return timezone.now() + timedelta(days=days)


def issue(operator, members, amount="300.00", *, reason="中秋慰问", days=30, **extra):
    return services.issue_allowance(
        reason=reason, amount=Decimal(amount), expires_at=in_days(days), members=members, issued_by=operator, **extra
    )


def make_order(user, channel, *, allowance="0.00") -> Order:
    return Order.objects.create(
        channel=channel,
        user=user,
        user_email=user.email if user else "guest@example.com",
        undiscounted_subtotal_amount=Decimal("500.00"),
        subtotal_amount=Decimal("500.00"),
        allowance_amount=Decimal(allowance),
        total_amount=Decimal("500.00") - Decimal(allowance),
    )


def api_for(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)
