"""The branch portal's bulk order pages (采购单) through the Django test client: what each page shows, every
action, who is refused, bad input answered in Chinese, and query counts that do not grow with the rows."""

import io
import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from openpyxl import Workbook

from bulk_orders import invoices, services
from bulk_orders.models import BulkOrder, BulkOrderLine, BulkOrderStatus, BulkRecipient, InvoiceRequest, RecipientImport
from bulk_orders.payments import record_transfer
from mall.permissions import PermissionEnum
from tests.localstripe import LOCALSTRIPE_SECRET_KEY
from tests.members.conftest import grant
from tests.storefront.bulk_portal.conftest import (
    good_rows,
    placed,
    recipients_csv,
    signed_in,
    url,
)

Status = BulkOrderStatus
VALID_USCC = "91110000600037341L"


def html_of(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed: what a person reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


# --- 我的 and /branch/ ------------------------------------------------------------------------------
def test_my_page_links_branch_staff_to_the_portal(people, django_user_model):
    assert 'href="/branch/"' in html_of(signed_in(people.clerk).get("/account/"))
    member = django_user_model.objects.create_user("member@example.com", "x-pass-1234")
    assert 'href="/branch/"' not in html_of(signed_in(member).get("/account/"))


def test_the_portal_home_lists_each_branch_with_its_bulk_orders(people, tree):
    tree.sibling.roles.create(user=people.clerk, role="VIEWER")
    html = html_of(signed_in(people.clerk).get("/branch/"))
    assert "/branch/GH-001/bulk/" in html and "/branch/GH-002/bulk/" in html
    assert "科技园第一联合工会" in html and "深圳市人民医院工会" in html


# --- The list ----------------------------------------------------------------------------------------
def test_the_list_shows_the_branchs_bulk_orders_with_status_in_chinese(clerk, draft, tree, people):
    services.create_bulk_order(branch=tree.sibling, name="别人的采购单", by=people.sibling_clerk)
    response = clerk.get("/branch/GH-001/bulk/")
    assert response.status_code == 200
    text = text_of(response)
    assert f"CG{draft.number}" in text and "2026 年中秋慰问品" in text and "草稿" in text
    assert "别人的采购单" not in text


def test_the_list_filters_by_status(clerk, draft, tree, people, shop):
    other = services.create_bulk_order(branch=tree.union, name="已提交的单", by=people.clerk)
    services.add_lines(other, [(shop.apple.sku, 1)], by=people.clerk)
    services.submit(other, by=people.clerk)
    text = text_of(clerk.get("/branch/GH-001/bulk/?status=SUBMITTED"))
    assert "已提交的单" in text and "2026 年中秋慰问品" not in text
    response = clerk.get("/branch/GH-001/bulk/?status=NOPE")
    assert response.status_code == 200
    assert "状态筛选无效" in text_of(response) and "已提交的单" in text_of(response)


def test_the_list_is_paginated(clerk, tree, people):
    for index in range(23):
        services.create_bulk_order(branch=tree.union, name=f"第 {index} 单", by=people.clerk)
    first = clerk.get("/branch/GH-001/bulk/")
    assert html_of(first).count('data-testid="bulk-order-row"') == 20
    assert "第 1 / 2 页" in text_of(first)
    assert html_of(clerk.get("/branch/GH-001/bulk/?page=2")).count('data-testid="bulk-order-row"') == 3


def _list_queries(client) -> int:
    client.get("/branch/GH-001/bulk/")  # the first page view after a change may touch the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/branch/GH-001/bulk/").status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_two_or_twenty_orders(clerk, tree, people):
    for index in range(2):
        services.create_bulk_order(branch=tree.union, name=f"单 {index}", by=people.clerk)
    few = _list_queries(clerk)
    for index in range(18):
        services.create_bulk_order(branch=tree.union, name=f"更多 {index}", by=people.clerk)
    assert _list_queries(clerk) == few
    assert few <= 9


def test_a_clerk_creates_a_bulk_order(clerk, tree, people):
    response = clerk.post("/branch/GH-001/bulk/new/", {"name": "春节慰问", "note": "送到各会员家"})
    bulk_order = BulkOrder.objects.get(name="春节慰问")
    assert response.status_code == 302 and response["Location"] == url(bulk_order)
    assert (bulk_order.branch, bulk_order.note, bulk_order.created_by) == (tree.union, "送到各会员家", people.clerk)


def test_creating_without_a_name_says_so_in_chinese(clerk):
    response = clerk.post("/branch/GH-001/bulk/new/", {"name": "  ", "note": ""})
    assert response.status_code == 400
    assert "请填写采购单名称" in text_of(response)
    assert not BulkOrder.objects.exists()


def test_a_viewer_sees_the_list_but_no_create_form_and_may_not_create(people):
    viewer = signed_in(people.viewer)
    assert "新建采购单" not in text_of(viewer.get("/branch/GH-001/bulk/"))
    response = viewer.post("/branch/GH-001/bulk/new/", {"name": "偷偷建的"})
    assert response.status_code == 403
    assert "经办人或审批人" in text_of(response)
    assert not BulkOrder.objects.exists()


def test_a_clerk_of_another_branch_is_refused_the_list_and_creating(people, draft):
    other = signed_in(people.sibling_clerk)
    response = other.get("/branch/GH-001/bulk/")
    assert response.status_code == 403 and "没有查看该工会组织采购单的权限" in text_of(response)
    assert other.post("/branch/GH-001/bulk/new/", {"name": "越权"}).status_code == 403
    assert BulkOrder.objects.count() == 1


def test_an_unknown_branch_or_number_is_a_chinese_404(clerk, draft):
    assert "找不到这个工会组织" in text_of(clerk.get("/branch/NOPE/bulk/"))
    response = clerk.get("/branch/GH-001/bulk/999999/")
    assert response.status_code == 404 and "找不到这张采购单" in text_of(response)


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    for path in ("/branch/GH-001/bulk/", url(draft)):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/login/")


# --- The detail page ---------------------------------------------------------------------------------
def test_the_detail_page_shows_lines_prices_discounts_and_total(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 60), (shop.pack.sku, 2)], by=people.clerk)
    response = clerk.get(url(draft))
    assert response.status_code == 200
    text = text_of(response)
    # 60 apples reach the 5% tier: ¥95.00 each, ¥5,700.00; two packs at ¥200.
    assert f"{shop.apple.sku} 烟台苹果" in text
    assert "60 ¥95.00 ¥100.00 5% ¥5700.00" in text
    assert "PACK-200 礼包 帮扶礼包 200 元 2 ¥200.00 — ¥400.00" in text
    assert "合计 ¥6100.00" in text
    assert "提交审批" in text and "快速下单" in text and "上传名单" in text
    assert "/branch/bulk/template.xlsx" in html_of(response) and "/branch/bulk/template.csv" in html_of(response)


def test_every_form_on_the_detail_page_carries_a_csrf_token(clerk, draft, people, shop):
    html = html_of(clerk.get(url(draft)))
    forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", html, flags=re.S)
    assert len(forms) >= 4
    assert all("csrfmiddlewaretoken" in form for form in forms)


def _detail_queries(client, bulk_order) -> int:
    client.get(url(bulk_order))  # the first page view after a change may touch the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(bulk_order)).status_code == 200
    return len(queries)


def test_the_detail_page_costs_the_same_queries_for_few_or_many_lines_and_recipients(
    clerk, draft, people, shop, django_capture_on_commit_callbacks
):
    services.add_lines(draft, [(shop.apple.sku, 1)], by=people.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(url(draft, "recipients/"), {"file": recipients_csv(*good_rows(shop, 2))})
    few = _detail_queries(clerk, draft)
    services.add_lines(draft, [(shop.oil.sku, 3), (shop.pack.sku, 1), (shop.tea.sku, 1)], by=people.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(url(draft, "recipients/"), {"file": recipients_csv(*good_rows(shop, 40))})
    assert BulkRecipient.objects.filter(bulk_order=draft).count() == 40
    assert _detail_queries(clerk, draft) == few


def test_the_detail_page_of_a_placed_order_costs_constant_queries(clerk, draft, people, shop):
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    few = _detail_queries(clerk, draft)
    record_transfer(
        draft, amount="50.00", received_on=date(2026, 9, 1), payer_name="工会", bank_reference="B-1", by=_ops(people)
    )
    assert _detail_queries(clerk, draft) == few


def _ops(people):
    grant(people.operator, PermissionEnum.MANAGE_ORDERS)
    return people.operator


def test_a_clerk_of_another_branch_may_not_open_or_change_a_bulk_order(people, draft, shop):
    other = signed_in(people.sibling_clerk)
    assert other.get(url(draft)).status_code == 403
    for suffix, data in (
        ("lines/", {"lines": f"{shop.apple.sku} 1"}),
        ("submit/", {}),
        ("cancel/", {"confirm": "on"}),
        ("invoice/", {"title": "x", "taxpayer_number": VALID_USCC, "email": "a@example.com"}),
    ):
        response = other.post(url(draft, suffix), data)
        assert response.status_code == 403, suffix
        assert "权限" in text_of(response)
    assert other.get(url(draft, "compliance/")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.lines.exists()


def test_a_viewer_sees_the_order_without_buttons_and_is_refused_changes(people, draft, shop):
    viewer = signed_in(people.viewer)
    text = text_of(viewer.get(url(draft)))
    assert "只能查看采购单" in text and "提交审批" not in text and "添加到采购单" not in text
    response = viewer.post(url(draft, "lines/"), {"lines": f"{shop.apple.sku} 1"})
    assert response.status_code == 403 and "经办人或审批人" in text_of(response)
    assert not draft.lines.exists()


# --- Quick order -------------------------------------------------------------------------------------
def test_a_quick_order_adds_lines_from_pasted_text(clerk, draft, shop):
    pasted = f"{shop.apple.sku} 10\n{shop.oil.sku},3\n\n{shop.pack.sku}\t2\n{shop.apple.sku}，５"
    response = clerk.post(url(draft, "lines/"), {"lines": pasted})
    assert response.status_code == 302 and response["Location"] == url(draft) + "#lines"
    quantities = {
        (line.variant.sku if line.variant else line.gift_pack.sku): line.quantity
        for line in BulkOrderLine.objects.filter(bulk_order=draft).select_related("variant", "gift_pack")
    }
    assert quantities == {shop.apple.sku: 15, shop.oil.sku: 3, "PACK-200": 2}
    assert "已添加 4 行、共 20 件商品" in text_of(clerk.get(url(draft)))


def test_quick_order_lines_that_do_not_parse_are_named_by_line(clerk, draft, shop):
    pasted = f"{shop.apple.sku} 10\n只有一个词\n{shop.oil.sku} 0\n{shop.tea.sku} 两箱"
    response = clerk.post(url(draft, "lines/"), {"lines": pasted})
    assert response.status_code == 400
    text = text_of(response)
    assert "第 2 行“只有一个词”：格式应为“SKU 数量”" in text
    assert f"第 3 行（{shop.oil.sku}）：数量“0”应为 1 至 100000 的整数" in text
    assert f"第 4 行（{shop.tea.sku}）：数量“两箱”" in text
    box = re.search(r'<textarea name="lines".*?</textarea>', html_of(response), flags=re.S).group(0)
    assert "只有一个词" in box  # what was typed stays in the box
    assert not draft.lines.exists()


def test_unknown_and_unpublished_skus_are_named_by_line_and_nothing_is_added(clerk, draft, shop):
    response = clerk.post(url(draft, "lines/"), {"lines": f"{shop.apple.sku} 1\nNO-SUCH 2\nALSO-NOT 1"})
    assert response.status_code == 400
    text = text_of(response)
    assert "第 2 行（NO-SUCH）：找不到该 SKU 或礼包编码" in text and "第 3 行（ALSO-NOT）" in text
    response = clerk.post(url(draft, "lines/"), {"lines": f"{shop.hidden.sku} 1"})
    assert f"第 1 行（{shop.hidden.sku}）：该商品未上架或已停售" in text_of(response)
    assert not draft.lines.exists()


def test_an_empty_quick_order_says_so(clerk, draft):
    response = clerk.post(url(draft, "lines/"), {"lines": "  \n "})
    assert response.status_code == 400 and "请至少填写一行 SKU 和数量" in text_of(response)


def test_a_quick_order_on_a_submitted_order_is_refused_with_a_message(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 1)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    response = clerk.post(url(draft, "lines/"), {"lines": f"{shop.apple.sku} 1"})
    assert response.status_code == 302
    assert "采购单状态为“待审批”，不能添加商品" in text_of(clerk.get(response["Location"]))
    assert draft.lines.get().quantity == 1


# --- Recipient upload --------------------------------------------------------------------------------
def test_an_upload_imports_the_recipients_and_shows_the_finished_progress(
    clerk, draft, shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(url(draft, "recipients/"), {"file": recipients_csv(*good_rows(shop, 3))})
    assert response.status_code == 302 and response["Location"] == url(draft) + "#recipients"
    recipient_import = RecipientImport.objects.get()
    assert recipient_import.status == RecipientImport.Status.DONE
    assert BulkRecipient.objects.filter(bulk_order=draft).count() == 3
    page = clerk.get(url(draft))
    text = text_of(page)
    assert "已导入 3 位收件人" in text and "导入完成：共 3 行，全部通过校验" in text
    assert 'value="100"' in html_of(page)
    status = clerk.get(url(draft, f"imports/{recipient_import.pk}/")).json()
    assert status == {
        "id": str(recipient_import.pk),
        "status": "DONE",
        "statusDisplay": "已导入",
        "totalRows": 3,
        "processedRows": 3,
        "percent": 100,
        "finished": True,
        "badRows": 0,
        "errors": [],
    }


def test_a_pending_import_shows_its_progress_and_refreshes_without_javascript(clerk, draft, people, shop):
    recipient_import = services.start_recipient_import(draft, recipients_csv(*good_rows(shop, 8)), by=people.clerk)
    RecipientImport.objects.filter(pk=recipient_import.pk).update(
        status=RecipientImport.Status.RUNNING, total_rows=8, processed_rows=2
    )
    page = clerk.get(url(draft))
    html = html_of(page)
    assert 'data-finished="false"' in html and 'value="25"' in html
    assert "已校验 2 / 8 行" in text_of(page)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    status = clerk.get(url(draft, f"imports/{recipient_import.pk}/")).json()
    assert (status["status"], status["percent"], status["finished"]) == ("RUNNING", 25, False)


def lines_total(page) -> str:
    return re.search(r'data-testid="lines-total">([^<]+)<', html_of(page)).group(1)


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_while_the_worker_commits_the_import_is_never_finished_with_the_old_lines(
    clerk, people, shop, tree
):
    """The worker commits the import's status and its lines together. Whichever query of the page's render it
    commits before, a page that shows the import finished (so its script stops polling) shows its lines."""

    def pending_draft():
        bulk_order = services.create_bulk_order(branch=tree.union, name="中秋", note="", by=people.clerk)
        services.add_lines(bulk_order, [(shop.apple.sku, 10)], by=people.clerk)
        recipients = recipients_csv(*good_rows(shop, 3))
        return bulk_order, services.start_recipient_import(bulk_order, recipients, by=people.clerk)

    def render_committing_before_query(bulk_order, recipient_import, index):
        seen = []

        def commit_in_the_worker_first(execute, sql, params, many, context):
            if len(seen) == index:
                worker = threading.Thread(target=run_in_worker, args=(recipient_import.pk,))
                worker.start()
                worker.join()
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(commit_in_the_worker_first):
            page = clerk.get(url(bulk_order))
        assert page.status_code == 200
        return page, len(seen)

    bulk_order, recipient_import = pending_draft()
    before, query_count = render_committing_before_query(bulk_order, recipient_import, index=-1)
    services.run_recipient_import(recipient_import)
    after = clerk.get(url(bulk_order))
    assert 'data-finished="true"' in html_of(after) and lines_total(after) != lines_total(before)

    finished_pages = 0
    for index in range(query_count):
        bulk_order, recipient_import = pending_draft()
        page, _ = render_committing_before_query(bulk_order, recipient_import, index)
        if 'data-finished="true"' in html_of(page):
            finished_pages += 1
            assert lines_total(page) == lines_total(after), f"commit before query {index}"
        else:
            assert 'data-finished="false"' in html_of(page)
    assert 0 < finished_pages < query_count


def run_in_worker(recipient_import_id):
    """What the Celery task does, on a connection of its own."""
    try:
        services.run_recipient_import(RecipientImport.objects.get(pk=recipient_import_id))
    finally:
        connection.close()


def test_bad_rows_are_each_shown_and_nothing_is_imported_until_the_clerk_drops_them(
    clerk, draft, shop, django_capture_on_commit_callbacks
):
    rows = [
        *good_rows(shop, 2),
        f"王五,12345,广东省,深圳市,南山区,科技园 9 号,{shop.pack.sku},1",
        "赵六,13900000077,广东省,深圳市,,科技园 7 号,NO-SUCH,0",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(url(draft, "recipients/"), {"file": recipients_csv(*rows)})
    failed = RecipientImport.objects.get()
    assert failed.status == RecipientImport.Status.FAILED
    assert not BulkRecipient.objects.exists()
    page = clerk.get(url(draft))
    text = text_of(page)
    assert "名单有 2 行错误，未导入任何收件人" in text
    assert "4 手机号" in text  # row 4 (the header is row 1), column 手机号
    assert "5 区 请填写区县。" in text
    assert "5 SKU 找不到 SKU 或礼包编码“NO-SUCH”。" in text
    assert "5 数量" in text
    assert "忽略 2 行错误，导入其余 2 行" in text

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(url(draft, f"imports/{failed.pk}/drop-bad-rows/"))
    assert response.status_code == 302
    assert BulkRecipient.objects.filter(bulk_order=draft).count() == 2
    assert "已忽略 2 行错误，导入其余 2 行" in text_of(clerk.get(url(draft)))


def test_the_drop_bad_rows_checkbox_imports_the_good_rows_at_once(
    clerk, draft, shop, django_capture_on_commit_callbacks
):
    rows = [*good_rows(shop, 2), f"王五,12345,广东省,深圳市,南山区,科技园 9 号,{shop.pack.sku},1"]
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(url(draft, "recipients/"), {"file": recipients_csv(*rows), "drop_bad_rows": "on"})
    assert RecipientImport.objects.get().status == RecipientImport.Status.DONE
    assert BulkRecipient.objects.filter(bulk_order=draft).count() == 2


def test_an_upload_without_a_file_or_of_another_type_says_so(clerk, draft):
    assert "请选择要上传的收件人名单文件" in text_of(clerk.post(url(draft, "recipients/"), {}))
    response = clerk.post(url(draft, "recipients/"), {"file": recipients_csv("x", name="名单.pdf")})
    assert response.status_code == 400 and "只支持 XLSX 或 CSV 文件" in text_of(response)
    assert not RecipientImport.objects.exists()


def test_a_file_that_cannot_be_read_is_reported_for_the_whole_file(clerk, draft, django_capture_on_commit_callbacks):
    broken = recipients_csv(name="名单.xlsx")
    broken.file.seek(0)
    broken.file.write(b"PK\x03\x04 not really a workbook")
    broken.file.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(url(draft, "recipients/"), {"file": broken})
    text = text_of(clerk.get(url(draft)))
    assert "无法读取 XLSX 文件" in text
    assert "忽略" not in text.split("无法读取 XLSX 文件")[1].split("收件人名单（XLSX 或 CSV）")[0]


def test_the_import_status_of_another_branch_is_refused(people, draft, shop):
    recipient_import = services.start_recipient_import(draft, recipients_csv(*good_rows(shop, 1)), by=people.clerk)
    response = signed_in(people.sibling_clerk).get(url(draft, f"imports/{recipient_import.pk}/"))
    assert response.status_code == 403 and "没有权限" in response.json()["error"]


# --- Compliance --------------------------------------------------------------------------------------
def test_compliance_findings_are_shown_and_served_as_json(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.card.sku, 1), (shop.apple.sku, 1)], by=people.clerk)
    text = text_of(clerk.get(url(draft)))
    assert "合规检查 未通过" in text
    assert f"工会经费不得购买购物卡、代金券等类现金物品，请移除：{shop.card.sku}" in text
    data = clerk.get(url(draft, "compliance/")).json()
    assert data["ok"] is False
    assert [finding["rule"] for finding in data["findings"]] == [
        "FESTIVAL_GIFT_CAP",
        "RELIEF_SHARE",
        "PROCUREMENT_QUOTES",
        "PROCUREMENT_TENDER",
        "CASH_LIKE",
    ]
    assert [finding["ok"] for finding in data["findings"]] == [True, True, True, True, False]


def test_submitting_a_non_compliant_order_explains_why(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.card.sku, 1)], by=people.clerk)
    response = clerk.post(url(draft, "submit/"))
    assert response.status_code == 302
    assert "合规检查未通过：工会经费不得购买购物卡" in text_of(clerk.get(response["Location"]))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submitting_an_empty_order_says_it_has_no_goods(clerk, draft):
    clerk.post(url(draft, "submit/"))
    assert "采购单还没有商品，不能提交" in text_of(clerk.get(url(draft)))


# --- Approval ----------------------------------------------------------------------------------------
def test_submit_then_another_approver_approves(clerk, approver, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    assert clerk.post(url(draft, "submit/"), {"comment": "请审批"}).status_code == 302
    clerk_view = text_of(clerk.get(url(draft)))
    assert "待审批" in clerk_view and ">批准<" not in html_of(clerk.get(url(draft)))
    approver_page = approver.get(url(draft))
    assert ">批准</button>" in html_of(approver_page) and ">驳回</button>" in html_of(approver_page)
    assert approver.post(url(draft, "approve/"), {"comment": "同意"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == (Status.APPROVED, people.approver)
    timeline = text_of(clerk.get(url(draft))).split("流转记录")[1]
    assert "clerk@example.com：草稿 → 待审批 请审批" in timeline
    assert "chair@example.com：待审批 → 已批准 同意" in timeline


def test_the_submitter_sees_no_approve_button_and_approving_is_refused(draft, people, shop):
    chair = signed_in(people.approver)
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.approver)
    chair.post(url(draft, "submit/"))
    page = chair.get(url(draft))
    assert ">批准</button>" not in html_of(page)
    assert "这张采购单由你提交，需由本工会的其他审批人审批" in text_of(page)
    response = chair.post(url(draft, "approve/"))
    assert "提交人不能审批自己提交的采购单" in text_of(chair.get(response["Location"]))
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_a_clerk_may_not_approve(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    response = clerk.post(url(draft, "approve/"))
    assert response.status_code == 403 and "只有“科技园第一联合工会”的审批人可以审批采购单" in text_of(response)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_an_approver_of_another_branch_may_not_approve(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    assert signed_in(people.sibling_approver).post(url(draft, "approve/")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_rejecting_needs_a_reason_and_shows_it(approver, clerk, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    response = approver.post(url(draft, "reject/"), {"reason": " "})
    assert response.status_code == 400 and "请填写驳回原因" in text_of(response)
    approver.post(url(draft, "reject/"), {"reason": "帮扶产品太少"})
    draft.refresh_from_db()
    assert (draft.status, draft.rejection_reason) == (Status.REJECTED, "帮扶产品太少")
    assert "驳回原因：帮扶产品太少" in text_of(clerk.get(url(draft)))


def test_an_unknown_action_is_a_404(clerk, draft):
    assert clerk.post(url(draft, "explode/")).status_code == 404


def test_actions_only_accept_post(clerk, draft):
    assert clerk.get(url(draft, "submit/")).status_code == 405


# --- Placing, paying, canceling ----------------------------------------------------------------------
def test_placing_shows_the_payment_instructions_with_the_reference(clerk, draft, people, shop, settings):
    settings.FEDERATION_ACCOUNT_NAME = "深圳市总工会"
    services.add_lines(draft, [(shop.apple.sku, 3)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    services.approve(draft, by=people.approver)
    assert ">下单</button>" in html_of(clerk.get(url(draft)))
    clerk.post(url(draft, "place/"))
    draft.refresh_from_db()
    assert draft.status == Status.PLACED
    text = text_of(clerk.get(url(draft)))
    assert "付款 待付款" in text
    assert f"付款识别码 {draft.payment_reference}" in text
    assert "户名 深圳市总工会" in text and f"账号 {settings.FEDERATION_BANK_ACCOUNT}" in text
    assert "应付 ¥300.00" in text and "待付 ¥300.00" in text


def test_a_shortage_at_placing_lists_the_short_skus_and_places_nothing(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.tea.sku, 6), (shop.apple.sku, 1)], by=people.clerk)  # 5 teas in stock
    services.submit(draft, by=people.clerk)
    services.approve(draft, by=people.approver)
    response = clerk.post(url(draft, "place/"))
    text = text_of(clerk.get(response["Location"]))
    assert f"库存不足，以下商品无法备货：{shop.tea.sku}" in text
    draft.refresh_from_db()
    assert (draft.status, draft.order) == (Status.APPROVED, None)


def test_partial_then_full_transfers_show_on_the_page(clerk, draft, people, shop):
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    operator = _ops(people)
    record_transfer(
        draft, amount="50.00", received_on=date(2026, 9, 1), payer_name="工会", bank_reference="B-1", by=operator
    )
    text = text_of(clerk.get(url(draft)))
    assert "付款 部分到账" in text and "已到账 ¥50.00" in text and "待付 ¥150.00" in text
    record_transfer(
        draft, amount="150.00", received_on=date(2026, 9, 2), payer_name="工会", bank_reference="B-2", by=operator
    )
    text = text_of(clerk.get(url(draft)))
    assert "付款 已支付" in text and "已付款" in text
    assert "付款识别码" not in text  # nothing left to pay: no transfer instructions


def test_online_payment_is_offered_to_the_orders_owner_when_stripe_is_on(
    clerk, approver, draft, people, shop, settings
):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    html = html_of(clerk.get(url(draft)))
    assert f'href="/account/orders/{draft.order_id}/pay/"' in html
    other = text_of(approver.get(url(draft)))
    assert "在线支付需由下单人（clerk@example.com）登录后操作" in other


def test_no_online_payment_without_stripe(clerk, draft, people, shop, settings):
    settings.STRIPE_SECRET_KEY = ""
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    assert 'data-testid="pay-online"' not in html_of(clerk.get(url(draft)))


def test_canceling_a_placed_order_releases_it(clerk, draft, people, shop):
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    clerk.post(url(draft, "cancel/"), {"confirm": "on", "reason": "预算调整"})
    draft.refresh_from_db()
    assert draft.status == Status.CANCELED
    text = text_of(clerk.get(url(draft)))
    assert "采购单已取消" in text and "取消采购单" not in text


# --- Invoice -----------------------------------------------------------------------------------------
INVOICE = {
    "title": "科技园第一联合工会",
    "taxpayer_number": VALID_USCC,
    "address": "深圳市南山区科苑路 15 号",
    "phone": "0755-12345678",
    "bank_name": "工商银行科技园支行",
    "bank_account": "4000 1234",
    "email": "finance@example.com",
}


def test_a_placed_order_takes_an_invoice_request_and_shows_its_status(clerk, draft, people, shop):
    placed(draft, people, shop)
    assert "申请发票" in text_of(clerk.get(url(draft)))
    response = clerk.post(url(draft, "invoice/"), INVOICE)
    assert response.status_code == 302
    invoice = InvoiceRequest.objects.get(bulk_order=draft)
    assert (invoice.title, invoice.taxpayer_number, invoice.status) == (INVOICE["title"], VALID_USCC, "REQUESTED")
    text = text_of(clerk.get(url(draft)))
    assert "发票申请已提交" in text and "发票申请：已申请" in text
    invoices.mark_issued(invoice, invoice_number="INV-001", by=_ops(people))
    text = text_of(clerk.get(url(draft)))
    assert "发票申请：已开具，发票号码 INV-001" in text and "修改发票申请" not in text


def test_a_bad_taxpayer_number_is_explained_in_chinese(clerk, draft, people, shop):
    placed(draft, people, shop)
    response = clerk.post(url(draft, "invoice/"), {**INVOICE, "taxpayer_number": "91110000600037341A"})
    assert response.status_code == 400 and "纳税人识别号校验位不正确" in text_of(response)
    response = clerk.post(url(draft, "invoice/"), {**INVOICE, "taxpayer_number": "123456789012345"})
    assert "旧版15位税号" in text_of(response)
    response = clerk.post(url(draft, "invoice/"), {**INVOICE, "email": "not-an-email"})
    assert "请填写有效的邮箱地址" in text_of(response)
    assert not InvoiceRequest.objects.exists()


def test_an_invoice_before_placing_is_refused_with_a_message(clerk, draft):
    response = clerk.post(url(draft, "invoice/"), INVOICE)
    assert response.status_code == 302 and "下单后才能申请发票" in text_of(clerk.get(response["Location"]))
    assert not InvoiceRequest.objects.exists()


def test_decimal_totals_are_the_services(clerk, draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 100)], by=people.clerk)  # 8.5% off: ¥91.50
    draft.refresh_from_db()
    assert draft.total_amount == Decimal("9150.00")
    assert "8.5%" in text_of(clerk.get(url(draft)))


def test_a_number_too_large_for_the_database_is_a_404(clerk, draft):
    response = clerk.get("/branch/GH-001/bulk/99999999999999999999/")
    assert response.status_code == 404 and "找不到这张采购单" in text_of(response)


def test_an_xlsx_recipient_list_is_imported_too(clerk, draft, shop, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "手机号", "省", "市", "区", "详细地址", "SKU", "数量"])
    sheet.append(["张三", 13800138000, "广东", "深圳市", "南山区", "科苑路 15 号", shop.pack.sku, 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("名单.xlsx", buffer.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(url(draft, "recipients/"), {"file": upload})
    recipient = BulkRecipient.objects.get(bulk_order=draft)
    assert (recipient.name, recipient.phone, recipient.province) == ("张三", "+8613800138000", "广东省")
    assert "PACK-200 礼包 帮扶礼包 200 元 2 ¥200.00" in text_of(clerk.get(url(draft)))


def test_the_compliance_json_follows_each_change(clerk, draft, shop):
    assert clerk.get(url(draft, "compliance/")).json()["ok"] is True
    clerk.post(url(draft, "lines/"), {"lines": f"{shop.card.sku} 1"})
    data = clerk.get(url(draft, "compliance/")).json()
    assert data["ok"] is False
    assert data["findings"][-1] == {
        "rule": "CASH_LIKE",
        "ok": False,
        "message": f"工会经费不得购买购物卡、代金券等类现金物品，请移除：{shop.card.sku}。",
    }


def test_an_operator_without_a_role_opens_and_creates(people, shop):
    operator = signed_in(people.operator)
    assert operator.get("/branch/GH-001/bulk/").status_code == 200
    response = operator.post("/branch/GH-001/bulk/new/", {"name": "运营代建"})
    assert response.status_code == 302
    assert BulkOrder.objects.get().created_by == people.operator


def test_posts_without_the_csrf_token_are_refused(people, draft, shop):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.clerk)
    assert client.post("/branch/GH-001/bulk/new/", {"name": "无令牌"}).status_code == 403
    assert client.post(url(draft, "lines/"), {"lines": f"{shop.apple.sku} 1"}).status_code == 403
    assert BulkOrder.objects.count() == 1 and not draft.lines.exists()


def test_a_csv_in_an_unknown_encoding_is_reported_not_a_500(clerk, draft, django_capture_on_commit_callbacks):
    garbage = SimpleUploadedFile("名单.csv", bytes(range(128, 256)) * 4)
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(url(draft, "recipients/"), {"file": garbage})
    assert response.status_code == 302
    assert "无法识别文件编码" in text_of(clerk.get(url(draft)))


def test_the_online_payment_link_opens_the_member_pay_page_for_the_bulk_orders_order(
    clerk, draft, people, shop, settings, localstripe
):
    settings.STRIPE_SECRET_KEY = LOCALSTRIPE_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_union_mall_localstripe"
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_JS_URL = f"{localstripe}/js.stripe.com/v3/"
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    link = re.search(r'href="([^"]+)" data-testid="pay-online"', html_of(clerk.get(url(draft)))).group(1)
    response = clerk.get(link)
    assert response.status_code == 200
    assert "应付 ¥ 200 .00" in text_of(response)
    assert draft.order.transactions.count() == 1  # a PaymentIntent was made for what the bulk order owes


def test_a_draft_is_renamed_and_its_note_changed(clerk, draft, people, shop):
    response = clerk.post(url(draft, "edit/"), {"edit-name": "中秋慰问（修订）", "edit-note": "分两批送"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.note) == ("中秋慰问（修订）", "分两批送")
    response = clerk.post(url(draft, "edit/"), {"edit-name": "", "edit-note": ""})
    assert response.status_code == 400 and "请填写采购单名称" in text_of(response)
    services.add_lines(draft, [(shop.apple.sku, 1)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    assert "修改名称和备注" not in text_of(clerk.get(url(draft)))
    response = clerk.post(url(draft, "edit/"), {"edit-name": "改不了", "edit-note": ""})
    assert "采购单状态为“待审批”，不能修改" in text_of(clerk.get(response["Location"]))
    assert signed_in(people.viewer).post(url(draft, "edit/"), {"edit-name": "越权"}).status_code == 403


def test_the_documents_spot_stays_empty_until_its_pages_exist_or_apply(clerk, draft, people, shop):
    """bulk_documents (storefront/bulk/_documents.html): links to the purchase plan, the 公示 page and the
    recipient export, each shown once its URL exists and it applies to this order."""
    placed(draft, people, shop, [(shop.apple.sku, 2)])
    html = html_of(clerk.get(url(draft)))
    try:
        reverse("storefront:bulk_plan_xlsx", kwargs={"code": "GH-001", "number": draft.number})
    except NoReverseMatch:
        assert 'data-testid="bulk-documents"' not in html
    else:
        assert "采购计划（XLSX）" in html and "采购公示" in html
