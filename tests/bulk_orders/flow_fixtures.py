"""Fixtures of the bulk order workflow tests (imported by each module, so that the other bulk order
test modules keep their own conftest): a branch tree with a clerk, two approvers and a sibling's clerk,
a shop with products, a gift pack and volume tiers."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client

from branches.services import assign_role, create_union_branch
from bulk_orders import services
from bulk_orders.models import GiftPack, GiftPackItem, VolumePriceTier
from mall.permissions import PermissionEnum
from tests import factories
from tests.graphql.conftest import GraphQLClient
from tests.members.conftest import grant

PASSWORD = "pass-1234-word"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_relief_minimum(settings):
    """Workflow tests are not about the relief share; compliance tests set it themselves."""
    settings.RELIEF_MINIMUM_SHARE_DEFAULT = Decimal("0")


@pytest.fixture
def tree(db):
    city = create_union_branch(code="SZ", name="深圳市总工会", kind="federation")
    district = create_union_branch(code="SZ-NS", name="南山区总工会", parent=city, kind="federation")
    street = create_union_branch(code="SZ-YH", name="粤海街道总工会", parent=district, kind="street")
    union = create_union_branch(code="GH-001", name="科技园第一联合工会", parent=street, kind="community")
    sibling = create_union_branch(code="GH-002", name="深圳市人民医院工会", parent=street, kind="enterprise")
    return SimpleNamespace(city=city, street=street, union=union, sibling=sibling)


def make_user(django_user_model, email, **fields):
    return django_user_model.objects.create_user(email, PASSWORD, **fields)


@pytest.fixture
def people(django_user_model, tree):
    clerk = make_user(django_user_model, "clerk@example.com")
    assign_role(user=clerk, branch=tree.union, role="CLERK")
    approver = make_user(django_user_model, "chair@example.com")
    assign_role(user=approver, branch=tree.union, role="APPROVER")
    approver2 = make_user(django_user_model, "vice@example.com")
    assign_role(user=approver2, branch=tree.union, role="APPROVER")
    sibling_clerk = make_user(django_user_model, "other-clerk@example.com")
    assign_role(user=sibling_clerk, branch=tree.sibling, role="CLERK")
    sibling_approver = make_user(django_user_model, "other-chair@example.com")
    assign_role(user=sibling_approver, branch=tree.sibling, role="APPROVER")
    viewer = make_user(django_user_model, "viewer@example.com")
    assign_role(user=viewer, branch=tree.union, role="VIEWER")
    operator = make_user(django_user_model, "operator@example.com", is_staff=True)
    grant(operator, PermissionEnum.MANAGE_BRANCHES)
    return SimpleNamespace(
        clerk=clerk,
        approver=approver,
        approver2=approver2,
        sibling_clerk=sibling_clerk,
        sibling_approver=sibling_approver,
        viewer=viewer,
        operator=operator,
    )


@pytest.fixture
def shop(db):
    channel = factories.channel()
    warehouse = factories.warehouse(channels=[channel])

    def variant(name, price, quantity=1000, **fields):
        return factories.product(
            channel=channel, name=name, price=price, quantity=quantity, warehouse=warehouse, **fields
        ).variants.get()

    apple = variant("烟台苹果", "100.00")
    oil = variant("花生油", "80.00", member_price="70.00")
    tea = variant("安溪铁观音", "60.00", quantity=5)
    card = variant("超市购物卡", "500.00")
    hidden = variant("未上架的米", "40.00", published=False)
    VolumePriceTier.objects.create(variant=apple, min_quantity=50, discount_percent=Decimal("5"))
    VolumePriceTier.objects.create(variant=apple, min_quantity=100, discount_percent=Decimal("8.5"))
    pack = GiftPack.objects.create(sku="PACK-200", name="帮扶礼包 200 元", price_amount=Decimal("200.00"))
    GiftPackItem.objects.create(pack=pack, variant=oil, quantity=1)
    GiftPackItem.objects.create(pack=pack, variant=tea, quantity=2)
    return SimpleNamespace(
        channel=channel, warehouse=warehouse, apple=apple, oil=oil, tea=tea, card=card, hidden=hidden, pack=pack
    )


@pytest.fixture
def draft(tree, people, shop):
    return services.create_bulk_order(branch=tree.union, name="2026 年中秋慰问品", note="", by=people.clerk)


def api_for(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)
