"""Fixtures for the branch tree: a small four-level tree, staff with roles, an operator."""

from types import SimpleNamespace

import pytest
from django.test import Client

from branches.services import assign_role, create_union_branch
from mall.permissions import PermissionEnum
from tests.graphql.conftest import GraphQLClient
from tests.members.conftest import grant

PASSWORD = "pass-1234-word"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    """市总 → 南山区, 福田区 → two streets under 南山 → grassroots unions under each street.

    city
    ├── ns (district)
    │   ├── yh (street)  ── yh1, yh2 (grassroots)
    │   └── sk (street)  ── sk1 (grassroots)
    └── ft (district)
        └── jy (industry) ── jy1 (grassroots)
    """
    city = create_union_branch(code="SZ", name="深圳市总工会", kind="federation")
    ns = create_union_branch(code="SZ-NS", name="南山区总工会", parent=city, kind="federation")
    ft = create_union_branch(code="SZ-FT", name="福田区总工会", parent=city, kind="federation")
    yh = create_union_branch(code="SZ-NS-YH", name="粤海街道总工会", parent=ns, kind="street")
    sk = create_union_branch(code="SZ-NS-SK", name="蛇口街道总工会", parent=ns, kind="street")
    jy = create_union_branch(code="SZ-FT-JY", name="福田区教育工会", parent=ft, kind="industry")
    yh1 = create_union_branch(code="GH-YH-001", name="科技园第一联合工会", parent=yh, kind="community")
    yh2 = create_union_branch(code="GH-YH-002", name="深圳市人民医院工会", parent=yh, kind="enterprise")
    sk1 = create_union_branch(code="GH-SK-001", name="蛇口港务工会", parent=sk, kind="enterprise")
    jy1 = create_union_branch(code="GH-JY-001", name="福田中学工会", parent=jy, kind="enterprise")
    return SimpleNamespace(city=city, ns=ns, ft=ft, yh=yh, sk=sk, jy=jy, yh1=yh1, yh2=yh2, sk1=sk1, jy1=jy1)


def make_user(django_user_model, email: str, **fields):
    return django_user_model.objects.create_user(email, PASSWORD, **fields)


@pytest.fixture
def operator(django_user_model):
    user = make_user(django_user_model, "operator@example.com", is_staff=True)
    return grant(user, PermissionEnum.MANAGE_BRANCHES)


@pytest.fixture
def clerk_of_yh(django_user_model, tree):
    """The clerk of 粤海街道 (a street): sees it and its grassroots unions, never 蛇口 or 南山."""
    user = make_user(django_user_model, "clerk@example.com")
    assign_role(user=user, branch=tree.yh, role="CLERK")
    return user


def api_for(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


@pytest.fixture
def operator_api(operator):
    return api_for(operator)


@pytest.fixture
def api(client, db):
    return GraphQLClient(client)
