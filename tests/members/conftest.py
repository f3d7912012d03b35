"""Fixtures for members: unions, members and a reviewer holding MANAGE_USERS through a group."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from demo.people import with_check_digit
from mall.permissions import PERMISSION_APP_LABEL, PermissionEnum
from members import services
from tests.factories import grassroots_union
from tests.graphql.conftest import GraphQLClient

# Valid test numbers (real region codes, real dates, computed check digits), never real people's.
ID_NUMBER = with_check_digit("44030519880612122")  # 深圳市南山区, 1988-06-12
OTHER_ID_NUMBER = with_check_digit("11010519900307002")  # 北京朝阳, 1990-03-07
ID_NUMBER_ENDING_IN_X = "11010519900301041X"
PASSWORD = "pass-1234-word"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """A second of PBKDF2 per user made is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def branch(db):
    return grassroots_union(code="GH-T-001", name="测试区第一联合工会")


@pytest.fixture
def member_user(django_user_model):
    return django_user_model.objects.create_user("member@example.com", PASSWORD, last_name="李", first_name="晓梅")


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user("other@example.com", PASSWORD)


def grant(user, *permissions: PermissionEnum):
    """Give `user` the permissions through a group, as operators are set up."""
    group, _ = Group.objects.get_or_create(name="会员审核")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=PERMISSION_APP_LABEL, codename__in=[p.codename for p in permissions]
        )
    )
    user.groups.add(group)
    return user


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer@example.com", PASSWORD, is_staff=True)
    return grant(user, PermissionEnum.MANAGE_USERS)


@pytest.fixture
def second_reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer2@example.com", PASSWORD, is_staff=True)
    return grant(user, PermissionEnum.MANAGE_USERS)


@pytest.fixture
def pending_profile(member_user, branch):
    return services.request_verification(user=member_user, real_name="李晓梅", id_number=ID_NUMBER, branch=branch)


def api_for(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


@pytest.fixture
def api(client, db):
    return GraphQLClient(client)


@pytest.fixture
def member_api(member_user):
    return api_for(member_user)


@pytest.fixture
def reviewer_api(reviewer):
    return api_for(reviewer)
