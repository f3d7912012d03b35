"""Fixtures of the branch portal's bulk order pages: the bulk order workflow's branch tree, people and shop
(tests.bulk_orders.flow_fixtures), signed-in test clients and a recipient list CSV."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bulk_orders import services
from tests.bulk_orders import flow_fixtures

tree, people, shop, draft = flow_fixtures.tree, flow_fixtures.people, flow_fixtures.shop, flow_fixtures.draft
fast_password_hashing, no_relief_minimum = flow_fixtures.fast_password_hashing, flow_fixtures.no_relief_minimum
PASSWORD = flow_fixtures.PASSWORD
HEADER = "姓名,手机号,省,市,区,详细地址,SKU,数量"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(people, shop):
    return signed_in(people.clerk)


@pytest.fixture
def approver(people, shop):
    return signed_in(people.approver)


def url(bulk_order, suffix: str = "") -> str:
    return f"/branch/{bulk_order.branch.code}/bulk/{bulk_order.number}/{suffix}"


def recipients_csv(*rows: str, name: str = "名单.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *rows]) + "\n").encode("utf-8-sig"), content_type="text/csv")


def good_rows(shop, count: int = 3) -> list[str]:
    return [
        f"会员{index},139{index:08d},广东省,深圳市,南山区,科技园 {index} 号,{shop.pack.sku},1" for index in range(count)
    ]


def placed(draft, people, shop, lines=None):
    services.add_lines(draft, lines or [(shop.apple.sku, 10)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    services.approve(draft, by=people.approver)
    services.place(draft, by=people.clerk)
    draft.refresh_from_db()
    return draft
