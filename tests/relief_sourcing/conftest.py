"""Fixtures for relief sourcing: an operator with MANAGE_RELIEF, partner regions, suppliers, certificates; for
the reports, a world to credit and users with permissions or branch roles."""

import itertools
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.cn import uscc

from branches.models import BranchRole
from mall.permissions import PermissionEnum
from relief_sourcing import services
from relief_sourcing.models import PartnerRegion
from tests import factories
from tests.allowances.conftest import PASSWORD, api_for, grant_permissions  # noqa: F401  (shared helpers)
from tests.graphql.conftest import GraphQLClient
from tests.relief_sourcing import report_factories

_serials = itertools.count(1)

WUSHAN = "500237"  # 重庆市巫山县
LUSHUI = "533301"  # 云南省怒江傈僳族自治州泸水市 (since 2016)


def credit_code(region_code: str = WUSHAN, *, kind: str = "93") -> str:
    """A valid 统一社会信用代码: registration office, entity kind, county, a serial, and the GB 32100 check."""
    body = f"{kind}{region_code}{next(_serials):08d}X"
    return body + uscc.calc_check_digit(body)


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def operator(django_user_model):
    user = django_user_model.objects.create_user("relief-operator@example.com", PASSWORD, is_staff=True)
    return grant_permissions(user, PermissionEnum.MANAGE_RELIEF)


@pytest.fixture
def clerk(django_user_model):
    """Staff without MANAGE_RELIEF."""
    return django_user_model.objects.create_user("clerk@example.com", PASSWORD, is_staff=True)


@pytest.fixture
def operator_api(operator):
    return api_for(operator)


@pytest.fixture
def api(client, db):
    return GraphQLClient(client)


def make_region(operator, code: str = WUSHAN, **fields) -> PartnerRegion:
    fields.setdefault("pairing_type", PartnerRegion.PairingType.COUNTERPART)
    fields.setdefault("active_from_year", today().year - 2)
    return services.create_partner_region(user=operator, code=code, **fields)


@pytest.fixture
def region(operator):
    return make_region(operator)


def make_supplier(operator, region, *, name: str = "巫山县脆李专业合作社", approved: bool = True, **fields):
    merchant = factories.merchant(name=name)
    supplier = services.register_supplier(
        user=operator,
        merchant=merchant,
        region=region,
        credit_code=fields.pop("credit_code", None) or credit_code(region.code),
        entity_type=fields.pop("entity_type", "COOPERATIVE"),
        story=fields.pop("story", "长江三峡边的脆李合作社。"),
        farmer_linkage=fields.pop("farmer_linkage", "保底收购社员脆李，带动 320 户。"),
        households_linked=fields.pop("households_linked", 320),
        **fields,
    )
    if approved:
        supplier = services.approve_supplier(supplier, user=operator)
    return supplier


@pytest.fixture
def supplier(operator, region):
    return make_supplier(operator, region)


def certify(operator, supplier, products, *, number: str | None = None, valid_from=None, valid_to=None, **fields):
    return services.create_certification(
        user=operator,
        number=number or f"CQ-BF-{next(_serials):05d}",
        certifying_body=fields.pop("certifying_body", "重庆市乡村振兴局"),
        supplier=supplier,
        products=products,
        valid_from=valid_from or today() - timedelta(days=30),
        valid_to=valid_to or today() + timedelta(days=335),
        **fields,
    )


def add_batch(operator, product, *, number: str = "WS-2025-001", produced_on=None, **fields):
    produced_on = produced_on or today() - timedelta(days=3)
    return services.create_batch(
        user=operator,
        product=product,
        batch_number=number,
        produced_on=produced_on,
        quantity=fields.pop("quantity", 1200),
        unit=fields.pop("unit", "箱"),
        producer=fields.pop("producer", "巫山县脆李专业合作社"),
        origin=fields.pop("origin", "重庆市巫山县曲尺乡"),
        contact=fields.pop("contact", "023-57681234"),
        certificate_issued_on=fields.pop("certificate_issued_on", produced_on),
    )


# --- The reports' world -----------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def relief_world(channel):
    return report_factories.world(channel)


def make_user(email: str, *, branch=None, role=BranchRole.Role.VIEWER, permissions=()):
    user = get_user_model().objects.create_user(email, "pass-1234-word")
    if branch is not None:
        BranchRole.objects.create(user=user, branch=branch, role=role)
    if permissions:
        user = grant_permissions(user, *permissions)
    return user


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
