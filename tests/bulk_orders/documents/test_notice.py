"""The public notice (采购公示) of approved bulk orders: no login, goods, suppliers and prices only, no
personal data; 404 for drafts, orders waiting for approval, rejected and canceled ones."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulk_orders import services
from bulk_orders.models import BulkOrder, BulkOrderStatus
from catalog.models import ProductVariant
from tests.bulk_orders.documents.conftest import add_recipient, approve


def notice_url(bulk_order) -> str:
    return reverse("storefront:bulk_notice", kwargs={"number": str(bulk_order)})


def test_anyone_sees_the_notice_of_an_approved_order(client, approved, suppliers, shop):
    response = client.get(notice_url(approved))
    assert response.status_code == 200
    page = response.content.decode()
    assert "采购公示：科技园第一联合工会" in page
    assert "GH-001" in page and str(approved) in page
    assert approved.approved_at.strftime("%Y") in page
    for text in (suppliers.apple, suppliers.oil, suppliers.tea, "烟台苹果", "帮扶礼包 200 元", "花生油"):
        assert text in page
    items = response.context["items"]
    rows = [
        (item["sku"], item["supplier"], item["quantity"], str(item["unit_price"]), str(item["total"])) for item in items
    ]
    assert rows == [
        (shop.apple.sku, suppliers.apple, 60, "95.00", "5700.00"),
        (shop.pack.sku, f"{suppliers.oil}、{suppliers.tea}", 2, "200.00", "400.00"),
        (shop.oil.sku, suppliers.oil, 1, "80.00", "80.00"),
    ]  # fmt: skip
    assert "5700.00" in page and "6180.00" in page


def test_the_notice_shows_no_personal_data(client, approved, people):
    page = client.get(notice_url(approved)).content.decode()
    names = ("张0", "张1", "13900000000", "科技园 0 号", "王经办", "李主席")
    for private in (*names, people.clerk.email, people.approver.email):
        assert private not in page, private


def test_the_notice_keeps_the_approved_prices(client, approved, shop):
    ProductVariant.objects.filter(pk=shop.apple.pk).update(price_amount="300.00")
    page = client.get(notice_url(approved)).content.decode()
    assert "5700.00" in page and "6180.00" in page


def test_placed_orders_keep_their_notice(client, approved, people):
    services.place(approved, by=people.clerk)
    assert client.get(notice_url(approved)).status_code == 200


def test_orders_not_approved_have_no_notice(client, draft, people, shop, tree):
    services.add_lines(draft, [(shop.oil.sku, 1)], by=people.clerk)
    assert client.get(notice_url(draft)).status_code == 404
    services.submit(draft, by=people.clerk)
    response = client.get(notice_url(draft))
    assert response.status_code == 404
    assert "找不到这份采购公示" in response.content.decode()
    services.reject(draft, by=people.approver, reason="数量不对")
    assert client.get(notice_url(draft)).status_code == 404
    other = services.create_bulk_order(branch=tree.union, name="取消的", by=people.clerk)
    services.add_lines(other, [(shop.oil.sku, 1)], by=people.clerk)
    canceled = approve(other, people)
    services.cancel(canceled, by=people.clerk, reason="不买了")
    assert client.get(notice_url(canceled)).status_code == 404
    for number in ("CG99999999", "abc", "CG-1"):
        assert client.get(reverse("storefront:bulk_notice", kwargs={"number": number})).status_code == 404


def test_the_404_is_the_malls_page(client, draft):
    response = client.get(notice_url(draft))
    assert response.status_code == 404
    assert [template.name for template in response.templates][0] == "404.html"


def test_the_index_lists_approved_orders_newest_first(client, approved, draft, people, shop, tree):
    second = services.create_bulk_order(branch=tree.union, name="春节慰问品", by=people.clerk)
    services.add_lines(second, [(shop.oil.sku, 2)], by=people.clerk)
    second = approve(second, people)
    pending = services.create_bulk_order(branch=tree.union, name="待审批的采购", by=people.clerk)
    services.add_lines(pending, [(shop.oil.sku, 2)], by=people.clerk)
    services.submit(pending, by=people.clerk)
    response = client.get(reverse("storefront:bulk_notice_index"))
    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert listed == [second, approved]
    page = response.content.decode()
    assert "春节慰问品" in page and "待审批的采购" not in page
    assert notice_url(second) in page and "160.00" in page


def test_the_index_is_empty_politely(client, db):
    response = client.get(reverse("storefront:bulk_notice_index"))
    assert response.status_code == 200
    assert "暂无采购公示" in response.content.decode()


@pytest.fixture
def notices(tree, people, shop):
    def make(count):
        for index in range(count):
            bulk = services.create_bulk_order(branch=tree.union, name=f"公示 {index}", by=people.clerk)
            add_recipient(bulk, index, shop.oil, 1)
            services.add_lines(bulk, [(shop.pack.sku, 1)], by=people.clerk)
            approve(bulk, people)

    return make


def index_queries(client, page=1) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("storefront:bulk_notice_index"), {"page": page})
    assert response.status_code == 200
    return len(captured), len(response.context["page"].object_list)


def test_the_index_costs_the_same_queries_for_2_and_20_notices(notices):
    client = Client()
    index_queries(client)  # the site header's cached figures are read once
    notices(2)
    small, shown = index_queries(client)
    assert shown == 2
    notices(23)
    large, shown = index_queries(client)
    assert shown == 20
    assert small == large
    assert large == 2  # the count and the page
    last_page, shown = index_queries(client, page=2)
    assert (last_page, shown) == (large, 5)
    assert BulkOrder.objects.filter(status=BulkOrderStatus.APPROVED).count() == 25


def test_the_notice_page_costs_the_same_queries_at_any_size(client, tree, people, shop):
    def queries_for(size):
        bulk = services.create_bulk_order(branch=tree.union, name=f"{size} 行", by=people.clerk)
        for index in range(size):
            add_recipient(bulk, index, shop.oil if index % 2 else shop.apple, 1)
        services.add_lines(bulk, [(shop.pack.sku, 1)], by=people.clerk)
        bulk = approve(bulk, people)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(notice_url(bulk)).status_code == 200
        return len(captured)

    client.get(reverse("storefront:bulk_notice_index"))  # the site header's cached figures are read once
    assert queries_for(2) == queries_for(40) == 1
