"""The demo's people besides the operator: a verified member and a newcomer, through the services.

Whoever already exists (by e-mail) is kept as they are, so running seed_demo again changes nothing.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from accounts.models import Address
from allowances import services as allowances
from allowances.models import AllowanceGrant
from catalog.models import Collection
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
    _seed_allowances()
    return {"member": MEMBER_EMAIL, "newcomer": NEWCOMER_EMAIL}


@dataclass(frozen=True)
class DemoAllowance:
    key: str  # the grant's idempotency key: how a second run finds it
    reason: str
    amount: Decimal
    collection_slug: str | None  # None: any product
    days: int | None  # valid this many days; None: until the end of the year (the relief allowance's rule)


# 中秋慰问 for any product, and the relief-only allowance Guangdong allows on top (DOMAIN.md).
ALLOWANCES = (
    DemoAllowance("demo-mid-autumn", "中秋慰问", Decimal("300.00"), None, 60),
    DemoAllowance("demo-relief", "消费帮扶专项额度", Decimal("600.00"), "relief-zone", None),
)
# A year-end expiry closer than this moves to the next year's end, so the demo always has time to spend it.
MIN_DEMO_VALIDITY = timedelta(days=30)


def _seed_allowances() -> None:
    """The verified member's welfare allowances, issued by the operator through the service."""
    User = get_user_model()
    member = User.objects.filter(email=MEMBER.email).first()
    operator = User.objects.get(email=catalogue.OPERATOR_EMAIL)
    if member is None:
        return
    for allowance in ALLOWANCES:
        if AllowanceGrant.objects.filter(issued_by=operator, idempotency_key=allowance.key).exists():
            continue
        collection = None
        if allowance.collection_slug:
            collection = Collection.objects.filter(slug=allowance.collection_slug).first()
            if collection is None:
                continue  # a catalogue without that collection: no relief-only allowance
        allowances.issue_allowance(
            reason=allowance.reason,
            amount=allowance.amount,
            expires_at=_demo_expiry(allowance.days),
            members=[member],
            issued_by=operator,
            collection=collection,
            idempotency_key=allowance.key,
        )


def _demo_expiry(days: int | None):
    now = timezone.localtime()
    if days is not None:
        return now + timedelta(days=days)
    year_end = now.replace(month=12, day=31, hour=23, minute=59, second=59, microsecond=0)
    return year_end if year_end - now >= MIN_DEMO_VALIDITY else year_end.replace(year=year_end.year + 1)


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
