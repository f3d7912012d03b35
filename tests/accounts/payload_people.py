"""People at two sizes for pinning the query count of mutation payloads that return a user.

A small person has one address and one permission through one group; a large one has ten
addresses and five permissions through three groups and one of their own. Both are members
waiting for review in a union branch, so `member { branch }` has something to read.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts import services
from demo.people import with_check_digit
from mall.permissions import PERMISSION_APP_LABEL, PermissionEnum
from members import services as member_services
from tests.factories import grassroots_union
from tests.graphql.conftest import GraphQLClient

PASSWORD = "pass-1234-word"
EMAIL = "person@example.com"
ID_NUMBER = with_check_digit("44030519880612122")  # a valid test number, nobody's

# The shape a client reads back after changing its account: every field that reads related rows.
USER_FIELDS = """
  id email firstName lastName isStaff
  userPermissions { code name }
  addresses { id city cityArea countryArea phone isDefaultShippingAddress }
  defaultShippingAddress { id city }
  defaultBillingAddress { id }
  member { number verificationStatus branch { code name } }
"""
ADDRESS = {
    "first_name": "小红",
    "last_name": "李",
    "phone": "13900139000",
    "country_area": "广东省",
    "city": "深圳市",
    "city_area": "南山区",
    "street_address_1": "科技园南区 1 栋 101",
    "postal_code": "518057",
}


@dataclass(frozen=True)
class Size:
    addresses: int
    # Each group's permissions; they overlap, as real operators' groups do.
    group_permissions: tuple[tuple[PermissionEnum, ...], ...]
    own_permissions: tuple[PermissionEnum, ...]

    @property
    def permissions(self) -> set[PermissionEnum]:
        held = set(self.own_permissions)
        for permissions in self.group_permissions:
            held.update(permissions)
        return held


SMALL = Size(addresses=1, group_permissions=((PermissionEnum.MANAGE_USERS,),), own_permissions=())
LARGE = Size(
    addresses=10,
    group_permissions=(
        (PermissionEnum.MANAGE_USERS, PermissionEnum.MANAGE_STAFF),
        (PermissionEnum.MANAGE_ORDERS, PermissionEnum.MANAGE_USERS),
        (PermissionEnum.MANAGE_PRODUCTS,),
    ),
    own_permissions=(PermissionEnum.MANAGE_PAGES,),
)
SIZES = [SMALL, LARGE]


def size_id(size: Size) -> str:
    return f"{size.addresses}-addresses-{len(size.permissions)}-permissions"


def django_permissions(permissions):
    codenames = [permission.codename for permission in permissions]
    return Permission.objects.filter(content_type__app_label=PERMISSION_APP_LABEL, codename__in=codenames)


def make_person(size: Size, *, email: str = EMAIL, member: bool = True, **fields):
    user = get_user_model().objects.create_user(
        email, PASSWORD, first_name="晓梅", last_name="李", is_staff=True, **fields
    )
    for index in range(size.addresses):
        services.create_address(user=user, data={**ADDRESS, "street_address_1": f"科技园 {index} 号"})
    for index, permissions in enumerate(size.group_permissions):
        group = Group.objects.create(name=f"{email} 组 {index}")
        group.permissions.add(*django_permissions(permissions))
        user.groups.add(group)
    user.user_permissions.add(*django_permissions(size.own_permissions))
    if member:
        branch = grassroots_union(code=f"GH-{email}", name="测试区第一联合工会")
        member_services.request_verification(user=user, real_name="李晓梅", id_number=ID_NUMBER, branch=branch)
    return get_user_model().objects.get(pk=user.pk)  # fresh, with no relations cached


def api_for(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


def assert_full_user(user: dict, size: Size, *, member_visible: bool = True) -> None:
    """The payload's user was read at its full size, so the count covers every row."""
    assert len(user["addresses"]) == size.addresses
    assert {permission["code"] for permission in user["userPermissions"]} == {p.name for p in size.permissions}
    assert user["defaultShippingAddress"]["id"] == user["addresses"][0]["id"]
    # Compared with the owner's defaults, whoever asks (an anonymous token check, an operator).
    assert [address["isDefaultShippingAddress"] for address in user["addresses"]] == [True] + [False] * (
        size.addresses - 1
    )
    if member_visible:
        assert user["member"]["branch"]["name"] == "测试区第一联合工会"
