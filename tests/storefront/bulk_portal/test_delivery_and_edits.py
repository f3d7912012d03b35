"""The bulk order page's last parts: the delivery progress of a placed or paid order (counts, a progress bar,
each recipient's status and tracking numbers a page at a time, constant queries), the 删除 button of a
draft's quick-order lines, and canceling, which must be confirmed."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulk_orders import services
from bulk_orders.models import BulkOrderLine, BulkOrderStatus, BulkOrderTransition, BulkRecipient
from bulk_orders.payments import record_transfer
from mall.permissions import PermissionEnum
from storefront.bulk_portal import DELIVERY_PER_PAGE
from tests.bulk_orders.flow_fixtures import make_user
from tests.members.conftest import grant
from tests.storefront.bulk_portal.conftest import placed, signed_in, url

Status = BulkOrderStatus


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def by_testid(response, name: str) -> list[str]:
    """The text of each element carrying data-testid=`name` (no nested elements of the same name)."""
    html = response.content.decode()
    found = re.findall(rf'data-testid="{name}"[^>]*>(.*?)</(?:td|dd|span|p|strong)>', html, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip() for text in found]


@pytest.fixture
def shipper(django_user_model):
    user = make_user(django_user_model, "shipper@example.com", is_staff=True)
    grant(user, PermissionEnum.MANAGE_ORDERS)
    return user


def add_recipients(bulk_order, shop, count: int, start: int = 0):
    for index in range(start, start + count):
        recipient = BulkRecipient.objects.create(
            bulk_order=bulk_order, name=f"会员{index}", phone=f"+86139{index:08d}", province="广东省",
            city="深圳市", district="南山区", street_address=f"科技园 {index} 号", row_number=index + 2,
        )  # fmt: skip
        bulk_order.lines.create(recipient=recipient, variant=shop.oil, quantity=2, row_number=index + 2)


def paid_with(draft, people, shop, shipper, count: int):
    add_recipients(draft, shop, count)
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    record_transfer(
        draft,
        amount=draft.order.total_amount,
        received_on=datetime.date(2026, 9, 1),
        payer_name="科技园第一联合工会",
        bank_reference=f"BANK-{draft.number}",
        by=shipper,
    )
    draft.refresh_from_db()
    assert draft.status == Status.PAID
    return draft


def first_recipient(bulk_order):
    return BulkRecipient.objects.filter(bulk_order=bulk_order).order_by("row_number").first()


# --- Delivery progress ----------------------------------------------------------------------------
def test_a_draft_has_no_delivery_panel(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 1)], by=people.clerk)
    assert 'id="delivery"' not in clerk.get(url(draft)).content.decode()


def test_a_placed_order_shows_every_destination_waiting(clerk, draft, people, shop):
    add_recipients(draft, shop, 3)
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    response = clerk.get(url(draft))
    # Three recipients and the branch's own goods (本单位).
    assert by_testid(response, "delivery-total") == ["4"]
    assert by_testid(response, "delivery-pending") == ["4"]
    assert by_testid(response, "delivery-shipped") == ["0"]
    assert by_testid(response, "delivery-status") == ["待发货"] * 4
    text = text_of(response)
    assert "本单位" in text and "139****0000" in text and "+8613900000000" not in text
    assert "×2" in text  # each recipient's two oils


def test_parcels_show_as_shipped_and_partial_with_their_tracking_numbers(clerk, draft, people, shop, shipper):
    paid_with(draft, people, shop, shipper, 3)
    first = first_recipient(draft)
    services.create_shipment(draft, recipient=first, tracking_number="SF1000000001", by=shipper)
    second = BulkRecipient.objects.filter(bulk_order=draft).order_by("row_number")[1]
    oil_line = draft.order.lines.get(variant=shop.oil)
    services.create_shipment(
        draft, recipient=second, tracking_number="SF1000000002", by=shipper, lines=[(oil_line.pk, 1)]
    )
    response = clerk.get(url(draft))
    assert by_testid(response, "delivery-shipped") == ["1"]
    assert by_testid(response, "delivery-partial") == ["1"]
    assert by_testid(response, "delivery-pending") == ["2"]  # the third recipient and the branch
    assert by_testid(response, "delivery-status") == ["待发货", "已发货", "部分发货", "待发货"]
    assert by_testid(response, "tracking-numbers") == ["—", "SF1000000001", "SF1000000002", "—"]
    assert re.search(r'<progress max="4" value="1"', response.content.decode())
    # The export links stay next to it.
    assert "收件人发货明细（CSV）" in text_of(response)


def test_the_recipients_are_shown_a_page_at_a_time(clerk, draft, people, shop):
    add_recipients(draft, shop, DELIVERY_PER_PAGE + 5)
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    first = clerk.get(url(draft))
    assert len(by_testid(first, "delivery-status")) == DELIVERY_PER_PAGE + 1  # with the branch's row
    assert "delivery_page=2" in first.content.decode()
    second = clerk.get(url(draft) + "?delivery_page=2")
    assert len(by_testid(second, "delivery-status")) == 5
    assert "会员24" in text_of(second) and "本单位" not in text_of(second).split("发货进度")[1]
    # A page that does not exist gives the last one, never an error.
    for bad in ("999", "x", "-1"):
        assert clerk.get(url(draft) + f"?delivery_page={bad}").status_code == 200


def _detail_queries(client, bulk_order) -> int:
    client.get(url(bulk_order))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(bulk_order)).status_code == 200
    return len(queries)


def test_the_delivery_panel_costs_the_same_queries_for_3_or_40_recipients(
    clerk, draft, people, shop, shipper, tree, django_user_model
):
    paid_with(draft, people, shop, shipper, 3)
    services.create_shipment(draft, recipient=first_recipient(draft), tracking_number="SF-A-1", by=shipper)
    few = _detail_queries(clerk, draft)

    other = services.create_bulk_order(branch=tree.union, name="第二单", by=people.clerk)
    paid_with(other, people, shop, shipper, 40)
    for index, recipient in enumerate(BulkRecipient.objects.filter(bulk_order=other).order_by("row_number")[:5]):
        services.create_shipment(other, recipient=recipient, tracking_number=f"SF-B-{index}", by=shipper)
    many = _detail_queries(clerk, other)
    assert many == few, (few, many)


# --- 删除 on a draft's quick-order lines --------------------------------------------------------------
def test_a_quick_order_line_is_deleted_from_the_page(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2), (shop.oil.sku, 1)], by=people.clerk)
    apple = draft.lines.get(variant=shop.apple)
    page = clerk.get(url(draft)).content.decode()
    assert page.count('name="line"') == 2 and "删除" in page
    response = clerk.post(url(draft, "lines/delete/"), {"line": apple.pk}, follow=True)
    assert "已从采购单删除该商品" in text_of(response)
    assert list(draft.lines.values_list("variant", flat=True)) == [shop.oil.pk]
    draft.refresh_from_db()
    assert draft.total_amount == shop.oil.price_amount
    # Nothing is written to the timeline: only the creation.
    assert BulkOrderTransition.objects.filter(bulk_order=draft).count() == 1


def test_recipient_list_lines_have_no_delete_button_and_are_refused(clerk, draft, shop):
    add_recipients(draft, shop, 1)
    line = draft.lines.get()
    page = clerk.get(url(draft)).content.decode()
    assert 'name="line"' not in page and "改名单后重新上传" in page
    response = clerk.post(url(draft, "lines/delete/"), {"line": line.pk}, follow=True)
    assert "重新上传" in text_of(response)
    assert draft.lines.count() == 1


def test_deleting_a_line_that_is_gone_or_malformed_says_so(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    for data in ({"line": 999_999_999}, {"line": "x"}, {}, {"line": 2**70}):
        response = clerk.post(url(draft, "lines/delete/"), data, follow=True)
        assert response.status_code == 200
        assert "请选择要删除的商品" in text_of(response) or "不在这张采购单上" in text_of(response)
    assert draft.lines.count() == 1
    assert clerk.get(url(draft, "lines/delete/")).status_code == 405


def test_deleting_from_a_submitted_order_or_by_others_is_refused(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    line = draft.lines.get()
    assert signed_in(people.sibling_clerk).post(url(draft, "lines/delete/"), {"line": line.pk}).status_code == 403
    viewer = signed_in(people.viewer).post(url(draft, "lines/delete/"), {"line": line.pk})
    assert viewer.status_code == 403 and "经办人或审批人" in text_of(viewer)
    services.submit(draft, by=people.clerk)
    assert 'name="line"' not in clerk.get(url(draft)).content.decode()
    response = clerk.post(url(draft, "lines/delete/"), {"line": line.pk}, follow=True)
    assert "不能删除商品" in text_of(response)
    assert BulkOrderLine.objects.filter(pk=line.pk).exists()


def test_deleting_needs_the_csrf_token(people, draft, shop):
    from django.test import Client

    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.clerk)
    assert client.post(url(draft, "lines/delete/"), {"line": draft.lines.get().pk}).status_code == 403
    assert draft.lines.count() == 1


# --- Canceling is confirmed ---------------------------------------------------------------------------
def test_the_cancel_form_asks_for_confirmation_without_javascript(clerk, draft):
    page = clerk.get(url(draft)).content.decode()
    panel = re.search(r'<details class="bulk-cancel".*?</details>', page, flags=re.S).group(0)
    assert 'name="confirm"' in panel and 'type="checkbox"' in panel and "确认取消" in panel


def test_canceling_without_ticking_the_box_is_refused_in_chinese(clerk, draft):
    response = clerk.post(url(draft, "cancel/"), {"reason": "不买了"})
    assert response.status_code == 400
    assert "请勾选确认后再取消采购单" in text_of(response)
    assert '<details class="bulk-cancel" data-testid="cancel-panel" open>' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_confirmed_cancel_cancels_and_keeps_the_reason(clerk, draft):
    response = clerk.post(url(draft, "cancel/"), {"confirm": "on", "reason": "预算调整"}, follow=True)
    assert "采购单已取消" in text_of(response)
    draft.refresh_from_db()
    assert draft.status == Status.CANCELED
    assert draft.transitions.order_by("-created_at", "-pk").first().comment == "预算调整"
