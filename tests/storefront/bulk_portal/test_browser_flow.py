"""A bulk order's whole journey in chromium on a phone: the clerk creates it, pastes a quick order, uploads a
recipient list and watches it being checked, submits; another person, the branch's approver, approves; the
clerk downloads the purchase plan and anyone opens its 公示; the clerk places it and reads the transfer
instructions; an operator records the transfer and the page says 已支付; the operator ships a parcel to one
recipient and the clerk sees it in the delivery progress, then downloads the recipient list with statuses.
Everything is real: the live server, PostgreSQL, and — when CELERY_BROKER_URL is set — a Celery worker in its
own process importing the list while the page polls its progress. The 公示 pages get the phone audit here (one
notice needs an approved bulk order, which tests/storefront/test_accessibility.py's shop does not have)."""

import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from openpyxl import load_workbook

from bulk_orders import services
from bulk_orders.models import BulkOrder, BulkOrderStatus, BulkRecipient, RecipientImport
from bulk_orders.payments import record_transfer
from mall.permissions import PermissionEnum
from tests.members.conftest import grant
from tests.storefront.browser import PHONE, chromium, needs_chromium
from tests.storefront.bulk_portal.conftest import HEADER, PASSWORD
from tests.storefront.test_accessibility import AUDIT, MINIMUMS, assert_no_problems
from tests.tasks.conftest import celery_worker_process  # noqa: F401  (the worker fixture, used when a broker is set)

pytestmark = needs_chromium


@pytest.fixture
def portal(transactional_db, settings, tmp_path, monkeypatch, request, tree, people, shop):
    """Files kept where a worker process finds them too; the import runs in a worker when a broker is set."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    worker = request.getfixturevalue("celery_worker_process") if django_settings.CELERY_BROKER_URL else None
    return type("Portal", (), {"tree": tree, "people": people, "shop": shop, "worker": worker})


def log_in(page, base_url: str, email: str, next_path: str):
    page.goto(f"{base_url}/account/login/?next={next_path}")
    page.get_by_label("邮箱或手机号").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").tap()


def outside_the_browser_loop(function, *args, **kwargs):
    """Run database work in a thread of its own: Playwright's sync API keeps an event loop running in this one,
    where Django refuses ORM calls."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_closing_connections, function, *args, **kwargs).result()


def _closing_connections(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    finally:
        connections.close_all()


def audited(page):
    """The phone audit of tests/storefront/test_accessibility.py: text size, contrast, tap targets, width."""
    page.wait_for_load_state("load")
    assert_no_problems(page.evaluate(AUDIT, MINIMUMS))


def fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"the page is {width}px wide on a phone"


def test_a_bulk_order_from_creation_to_paid_in_the_browser(live_server, portal, tmp_path):
    from playwright.sync_api import expect

    shop, people = portal.shop, portal.people
    recipients = tmp_path / "名单.csv"
    rows = [f"会员{i},139{i:08d},广东省,深圳市,南山区,科技园 {i} 号,{shop.oil.sku},1" for i in range(3)]
    recipients.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")

    with chromium() as browser:
        clerk = browser.new_context(locale="zh-CN", **PHONE).new_page()
        log_in(clerk, live_server.url, "clerk@example.com", "/account/")
        expect(clerk).to_have_url(re.compile(r"/account/$"))
        clerk.get_by_test_id("branch-portal-link").tap()
        clerk.get_by_test_id("branch-choice").filter(has_text="科技园第一联合工会").get_by_role(
            "link", name="采购单"
        ).tap()
        expect(clerk).to_have_url(re.compile(r"/branch/GH-001/bulk/$"))
        audited(clerk)

        clerk.get_by_label("采购单名称").fill("2026 年中秋慰问品")
        clerk.get_by_label("备注").fill("送到会员家中")
        clerk.get_by_role("button", name="创建采购单").tap()
        expect(clerk).to_have_url(re.compile(r"/branch/GH-001/bulk/\d+/$"))
        expect(clerk.get_by_test_id("bulk-status")).to_have_text("草稿")
        detail_url = clerk.url

        # The quick order is sent in the background: errors and lines appear in place, compliance is read again.
        clerk.get_by_label("快速下单").fill("NO-SUCH 3")
        clerk.get_by_role("button", name="添加到采购单").tap()
        expect(clerk.get_by_test_id("quick-order-errors")).to_have_text("第 1 行（NO-SUCH）：找不到该 SKU 或礼包编码。")
        clerk.get_by_label("快速下单").fill(f"{shop.apple.sku} 10\n{shop.oil.sku}，2")
        clerk.get_by_role("button", name="添加到采购单").tap()
        expect(clerk.locator(".flash__item")).to_contain_text("已添加 2 行、共 12 件商品")
        expect(clerk.get_by_test_id("lines-total")).to_have_text("¥1160.00")  # 10 × ¥100 + 2 × ¥80
        expect(clerk.get_by_test_id("quick-order-errors")).to_have_count(0)
        expect(clerk.locator("#compliance")).to_have_attribute("data-refreshed", re.compile(r"^\d+$"))
        expect(clerk.get_by_test_id("compliance-findings")).to_contain_text("帮扶产品金额 0.00 元，占本单 1160.00 元")
        expect(clerk.get_by_test_id("compliance-findings").locator(".bulk-finding--fail")).to_have_count(0)
        assert clerk.url == detail_url
        fits_the_screen(clerk)

        clerk.get_by_label("收件人名单（XLSX 或 CSV）").set_input_files(str(recipients))
        clerk.get_by_role("button", name="上传名单").tap()
        expect(clerk.get_by_test_id("import-progress")).to_be_visible()
        # Polled until the worker (or the request itself, without a broker) has checked and imported every row.
        expect(clerk.get_by_test_id("import-summary")).to_have_text("导入完成：共 3 行，全部通过校验。", timeout=30_000)
        expect(clerk.locator("[data-import-bar]")).to_have_attribute("value", "100")
        expect(clerk.get_by_test_id("recipient-count")).to_have_text("3")
        expect(clerk.get_by_test_id("lines-total")).to_have_text("¥1400.00")  # + 3 oils for the recipients
        clerk.screenshot(path=tmp_path / "draft.png", full_page=True)
        audited(clerk)  # text size, contrast, tap targets, width

        clerk.get_by_role("button", name="提交审批").tap()
        expect(clerk.get_by_test_id("bulk-status")).to_have_text("待审批")
        expect(clerk.get_by_role("button", name="批准")).to_have_count(0)

        chair = browser.new_context(locale="zh-CN", **PHONE).new_page()
        path = detail_url.removeprefix(live_server.url)
        log_in(chair, live_server.url, "chair@example.com", path)
        expect(chair).to_have_url(detail_url)
        audited(chair)  # with the approve and reject forms
        chair.get_by_label("审批意见（可选）").fill("同意采购")
        chair.get_by_role("button", name="批准").tap()
        expect(chair.get_by_test_id("bulk-status")).to_have_text("已批准")

        # Approved: the purchase plan downloads as a workbook, and the 公示 opens for anyone, signed in or not.
        clerk.reload()
        with clerk.expect_download() as plan_download:
            clerk.get_by_role("link", name="采购计划（XLSX）").tap()
        plan = load_workbook(io.BytesIO(Path(plan_download.value.path()).read_bytes()))
        plan_text = " ".join(str(cell.value) for sheet in plan for row in sheet.iter_rows() for cell in row)
        assert "科技园第一联合工会" in plan_text and shop.oil.sku in plan_text, plan_text
        notice_path = clerk.get_by_role("link", name="采购公示").get_attribute("href")
        public = browser.new_context(locale="zh-CN", **PHONE).new_page()
        public.goto(live_server.url + notice_path)
        expect(public.get_by_test_id("notice-branch")).to_contain_text("科技园第一联合工会")
        expect(public.get_by_test_id("notice-table")).to_contain_text("花生油")
        audited(public)
        public.goto(f"{live_server.url}/bulk/notice/")
        expect(public.get_by_test_id("bulk-notices")).to_contain_text("科技园第一联合工会")
        audited(public)

        clerk.get_by_role("button", name="下单").tap()
        expect(clerk.get_by_test_id("bulk-status")).to_have_text("已下单")
        bulk_order = outside_the_browser_loop(BulkOrder.objects.get)
        expect(clerk.get_by_test_id("payment-reference")).to_have_text(bulk_order.payment_reference)
        expect(clerk.get_by_test_id("payment-status")).to_have_text("待付款")
        expect(clerk.get_by_test_id("amount-due")).to_have_text("¥1400.00")
        fits_the_screen(clerk)
        clerk.screenshot(path=tmp_path / "placed.png", full_page=True)
        audited(clerk)

        outside_the_browser_loop(grant, people.operator, PermissionEnum.MANAGE_ORDERS)
        outside_the_browser_loop(
            record_transfer,
            bulk_order,
            amount="1400.00",
            received_on=date(2026, 9, 1),
            payer_name="科技园第一联合工会",
            bank_reference="ICBC-20260901-001",
            by=people.operator,
        )
        clerk.reload()
        expect(clerk.get_by_test_id("payment-status")).to_have_text("已支付")
        expect(clerk.get_by_test_id("bulk-status")).to_have_text("已付款")
        expect(clerk.get_by_test_id("timeline")).to_contain_text("chair@example.com：待审批 → 已批准")

        # Paid: an operator ships one parcel to the first recipient; the clerk sees it in the delivery progress.
        first = outside_the_browser_loop(
            lambda: BulkRecipient.objects.filter(bulk_order=bulk_order).order_by("row_number").first()
        )
        outside_the_browser_loop(
            services.create_shipment, bulk_order, recipient=first, tracking_number="SF1234567890", by=people.operator
        )
        clerk.reload()
        expect(clerk.get_by_test_id("delivery-total")).to_have_text("4")  # three recipients and the branch
        expect(clerk.get_by_test_id("delivery-shipped")).to_have_text("1")
        expect(clerk.get_by_test_id("delivery-pending")).to_have_text("3")
        shipped_row = clerk.get_by_test_id("delivery-row").filter(has_text=first.name)
        expect(shipped_row.get_by_test_id("delivery-status")).to_have_text("已发货")
        expect(shipped_row.get_by_test_id("tracking-numbers")).to_have_text("SF1234567890")
        expect(shipped_row).to_contain_text("139****0000")
        fits_the_screen(clerk)
        clerk.locator("#delivery").screenshot(path=tmp_path / "delivery.png")
        audited(clerk)
        with clerk.expect_download() as export_download:
            clerk.get_by_role("link", name="收件人发货明细（CSV）").tap()
        exported = Path(export_download.value.path()).read_bytes().decode("utf-8-sig")
        assert exported.splitlines()[0].startswith("行号,姓名,手机号")
        assert "SF1234567890" in exported and "已发货" in exported and "待发货" in exported

    bulk_order.refresh_from_db()
    assert (bulk_order.status, bulk_order.submitted_by, bulk_order.approved_by) == (
        BulkOrderStatus.PAID,
        people.clerk,
        people.approver,
    )
    assert BulkRecipient.objects.filter(bulk_order=bulk_order).count() == 3
    assert RecipientImport.objects.get().status == RecipientImport.Status.DONE
