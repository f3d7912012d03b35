"""Fixtures for the relief report tests: a world to credit, users with permissions or branch roles."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from branches.models import BranchRole
from mall.permissions import PERMISSION_APP_LABEL, PermissionEnum
from tests.graphql.conftest import GraphQLClient
from tests.relief_sourcing.reports import report_factories


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def relief_world(channel):
    return report_factories.world(channel)


def grant_permissions(user, *permissions: PermissionEnum):
    group, _ = Group.objects.get_or_create(name=" + ".join(sorted(p.name for p in permissions)))
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=PERMISSION_APP_LABEL, codename__in=[p.codename for p in permissions]
        )
    )
    user.groups.add(group)
    return get_user_model().objects.get(pk=user.pk)


def make_user(email: str, *, branch=None, role=BranchRole.Role.VIEWER, permissions=()):
    user = get_user_model().objects.create_user(email, "pass-1234-word")
    if branch is not None:
        BranchRole.objects.create(user=user, branch=branch, role=role)
    if permissions:
        user = grant_permissions(user, *permissions)
    return user


def api_for(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


@pytest.fixture
def tree(db):
    """city → two districts → streets → grassroots unions:
    C ─ D1 ─ S11 ─ G111, G112
       │     └ S12
       └ D2 ─ S21 ─ G211
    """
    return report_factories.branch_tree(
        {"C": {"D1": {"S11": {"G111": {}, "G112": {}}, "S12": {}}, "D2": {"S21": {"G211": {}}}}}
    )


@pytest.fixture
def api(client, db):
    return GraphQLClient(client)
