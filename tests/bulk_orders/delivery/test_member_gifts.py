"""A member who is a recipient sees the gift in 我的订单 (工会礼品): item, branch, tracking numbers —
never the other recipients, never a price; matched by the verified member's mobile only."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulk_orders import services
from bulk_orders.delivery import gifts_for_member
from members.models import MemberProfile
from tests.bulk_orders.delivery.conftest import MEMBER_PHONE, api_for, pay, recipient


def orders_page(user):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("storefront:orders"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_verified_member_sees_the_gift_with_branch_items_and_tracking_numbers(paid, shop, shipper, member):
    services.create_shipment(
        paid.bulk_order, recipient=paid.zhang, merchant=shop.oil.product.merchant, tracking_number="SF123", by=shipper
    )
    page = orders_page(member)
    assert "工会礼品" in page
    assert "科技园第一联合工会" in page and "2026 年中秋慰问品" in page
    assert "烟台苹果 规格1 ×2；帮扶礼包 200 元 ×1" in page
    assert "SF123" in page and "部分发货" in page
    # Nobody else's row, and no price or amount of the bulk order.
    assert "李四" not in page and "HYPERLINK" not in page
    assert "200.00" not in page and "¥" not in page.split("工会礼品")[1].split("</section>")[0]


def test_an_unverified_account_with_the_same_mobile_sees_nothing(paid, member):
    MemberProfile.objects.filter(user=member).update(verification_status="pending")
    member.refresh_from_db()
    assert gifts_for_member(member) == []
    assert "工会礼品" not in orders_page(member)


def test_a_gift_shows_only_once_the_bulk_order_is_paid(draft, people, shop, member):
    zhang = recipient(draft, "张三", MEMBER_PHONE, 2)
    draft.lines.create(recipient=zhang, variant=shop.apple, quantity=1)
    assert gifts_for_member(member) == []
    services.submit(draft, by=people.clerk)
    services.approve(draft, by=people.approver)
    services.place(draft, by=people.clerk)
    assert gifts_for_member(member) == []


@pytest.mark.parametrize("count", [1, 4])
def test_the_gifts_take_the_same_queries_however_many(tree, people, shop, shipper, member, count):
    for index in range(count):
        bulk = services.create_bulk_order(branch=tree.union, name=f"慰问品 {index}", by=people.clerk)
        row = recipient(bulk, "张三", MEMBER_PHONE, 2)
        bulk.lines.create(recipient=row, variant=shop.apple, quantity=1)
        services.submit(bulk, by=people.clerk)
        services.approve(bulk, by=people.approver)
        services.place(bulk, by=people.clerk)
        pay(bulk, shipper, reference=f"BANK-{index}")
        services.create_shipment(bulk, recipient=row, tracking_number=f"T{index}", by=shipper)
    member.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        gifts = gifts_for_member(member)
    assert [gift.tracking_numbers for gift in gifts] == [[f"T{index}"] for index in reversed(range(count))]
    assert {gift.status_label for gift in gifts} == {"已发货"}
    assert len(queries) == 6, [query["sql"][:100] for query in queries]


ME_GIFTS = "{ me { unionGifts { bulkOrderNumber branchName items status trackingNumbers } } }"


def test_me_union_gifts_lists_the_members_own_gifts(paid, shop, shipper, member, people):
    services.create_shipment(paid.bulk_order, recipient=paid.li, tracking_number="OTHER", by=shipper)
    services.create_shipment(
        paid.bulk_order, recipient=paid.zhang, merchant=shop.apple.product.merchant, tracking_number="SF7", by=shipper
    )
    data = api_for(member).data(ME_GIFTS)
    assert data["me"]["unionGifts"] == [
        {
            "bulkOrderNumber": str(paid.bulk_order),
            "branchName": "科技园第一联合工会",
            "items": ["烟台苹果 规格1 ×2", "帮扶礼包 200 元 ×1"],
            "status": "部分发货",
            "trackingNumbers": ["SF7"],
        }
    ]
    assert api_for(people.clerk).data(ME_GIFTS)["me"]["unionGifts"] == []
