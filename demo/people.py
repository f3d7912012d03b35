"""The demo's people besides the operator: a verified member and a newcomer, through the services.

Whoever already exists (by e-mail) is kept as they are, so running seed_demo again changes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from stdnum.cn import ric

from accounts.models import Address
from demo import catalogue
from demo.unions import seed_union_branches
from members import services as members

MEMBER_EMAIL = "member@demo.union-mall.cn"
NEWCOMER_EMAIL = "newcomer@demo.union-mall.cn"


def with_check_digit(first_17: str) -> str:
    """A test ID card number: 17 digits (region, birth date, sequence) and the checksum they call for."""
    return first_17 + ric.calc_check_digit(first_17 + "0")


@dataclass(frozen=True)
class DemoMember:
    email: str
    last_name: str
    first_name: str
    phone: str
    branch_code: str
    # 440305 深圳市南山区, born 1988-06-12, sequence 12 and an even digit: a woman.
    id_number: str
    address: dict


MEMBER = DemoMember(
    email=MEMBER_EMAIL,
    last_name="李",
    first_name="晓梅",
    phone="+8613800138000",
    branch_code="GH-NS-001",
    id_number=with_check_digit("44030519880612122"),
    address={
        "last_name": "李",
        "first_name": "晓梅",
        "country": "CN",
        "country_area": "广东省",
        "city": "深圳市",
        "city_area": "南山区",
        "street_address_1": "粤海街道高新南七道 18 号 2 栋 1203",
        "postal_code": "518057",
        "phone": "+8613800138000",
    },
)


def seed_people() -> dict[str, str]:
    """The grassroots unions, the verified member and the newcomer; their e-mails by role."""
    branches = seed_union_branches()
    _seed_verified_member(branches)
    _seed_newcomer()
    return {"member": MEMBER_EMAIL, "newcomer": NEWCOMER_EMAIL}


@transaction.atomic
def _seed_verified_member(branches) -> None:
    User = get_user_model()
    if User.objects.filter(email=MEMBER.email).exists():
        return
    user = User.objects.create_user(
        MEMBER.email,
        catalogue.DEMO_PASSWORD,
        last_name=MEMBER.last_name,
        first_name=MEMBER.first_name,
        phone=MEMBER.phone,
    )
    _give_default_address(user, MEMBER.address)
    profile = members.request_verification(
        user=user,
        real_name=f"{MEMBER.last_name}{MEMBER.first_name}",
        id_number=MEMBER.id_number,
        branch=branches[MEMBER.branch_code],
    )
    operator = User.objects.get(email=catalogue.OPERATOR_EMAIL)
    members.approve_verification(operator=operator, profile=profile)


@transaction.atomic
def _seed_newcomer() -> None:
    User = get_user_model()
    if User.objects.filter(email=NEWCOMER_EMAIL).exists():
        return
    user = User.objects.create_user(NEWCOMER_EMAIL, catalogue.DEMO_PASSWORD, last_name="王", first_name="志强")
    members.create_member_profile(user=user)


def _give_default_address(user, fields: dict) -> None:
    address = Address(**fields)
    address.full_clean()
    address.save()
    user.addresses.add(address)
    user.default_shipping_address = address
    user.default_billing_address = address
    user.save(update_fields=["default_shipping_address", "default_billing_address"])
