"""The purchase plan (采购计划): written at approval from frozen prices, downloaded as XLSX by the branch's
staff and operators only, formula-safe, and in the API as BulkOrder.purchasePlanUrl."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from graphql_relay import to_global_id
from openpyxl import load_workbook

from bulk_orders import services
from bulk_orders.models import BulkOrder, BulkOrderLine, VolumePriceTier
from bulk_orders.purchase_plan import xlsx_bytes
from catalog.models import Product, ProductVariant
from tests.bulk_orders.documents.conftest import EXPECTED_TOTAL, approve
from tests.bulk_orders.flow_fixtures import api_for, make_user


def plan_url(bulk_order) -> str:
    return reverse("storefront:bulk_plan_xlsx", kwargs={"code": bulk_order.branch.code, "number": str(bulk_order)})


def download(user, bulk_order):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(plan_url(bulk_order))


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def item_rows(sheet) -> list[list]:
    rows = rows_of(sheet)
    header = next(index for index, row in enumerate(rows) if row[0] == "序号")
    body = []
    for row in rows[header + 1 :]:
        if row[0] == "合计":
            break
        body.append(row)
    return body


def details_of(sheet) -> dict:
    return {row[0]: row[1] for row in rows_of(sheet)[1:10]}


def test_the_plan_lists_every_item_with_supplier_prices_and_totals(approved, people, tree, suppliers, shop):
    response = download(people.clerk, approved)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = sheet_of(response.content)
    assert sheet["A1"].value == "科技园第一联合工会 采购计划"
    details = details_of(sheet)
    assert details["采购单号"] == str(approved)
    assert details["采购单名称"] == "2026 年中秋慰问品"
    assert details["工会组织"] == "科技园第一联合工会"
    assert details["组织代码"] == "GH-001"
    assert details["提交人"] == "王经办（clerk@example.com）"
    assert details["审批人"] == "李主席（chair@example.com）"
    assert details["收件人数"] == "3"
    assert item_rows(sheet) == [
        [1, "商品", shop.apple.sku, "烟台苹果 " + shop.apple.name, suppliers.apple, 60, 100, 5, 95, 5700],
        [2, "礼包", "PACK-200", "帮扶礼包 200 元", f"{suppliers.oil}、{suppliers.tea}", 2, 200, 0, 200, 400],
        [3, "商品", shop.oil.sku, "花生油 " + shop.oil.name, suppliers.oil, 1, 80, 0, 80, 80],
    ]
    total_row = next(row for row in rows_of(sheet) if row[0] == "合计")
    assert total_row[5] == 63
    assert Decimal(str(total_row[9])) == EXPECTED_TOTAL == Decimal("6180.00")


def test_the_approval_time_in_the_plan_is_the_local_time_of_approval(approved, people):
    from django.utils import timezone

    sheet = sheet_of(download(people.clerk, approved).content)
    assert details_of(sheet)["审批时间"] == timezone.localtime(approved.approved_at).strftime("%Y-%m-%d %H:%M")


def test_the_plan_does_not_change_when_prices_and_names_change_later(approved, people, shop):
    before = download(people.clerk, approved).content
    ProductVariant.objects.filter(pk=shop.apple.pk).update(price_amount=Decimal("150.00"))
    VolumePriceTier.objects.filter(variant=shop.apple).delete()
    Product.objects.filter(pk=shop.apple.product_id).update(name="改名的苹果")
    shop.pack.price_amount = Decimal("999.00")
    shop.pack.save()
    after = download(people.clerk, approved).content
    assert after == before  # byte for byte: the plan is drawn from the frozen snapshot alone
    # Placing charges what was approved, not today's prices.
    services.place(approved, by=people.clerk)
    order = BulkOrder.objects.get(pk=approved.pk).order
    assert order.total_amount == EXPECTED_TOTAL
    assert order.lines.get(product_sku=shop.apple.sku).unit_price_amount == Decimal("95.00")


def test_approval_freezes_every_lines_prices(approved, shop):
    frozen = {
        (line.variant_id, line.gift_pack_id): (
            line.undiscounted_unit_price_amount,
            line.unit_price_amount,
            line.discount_percent,
        )
        for line in BulkOrderLine.objects.filter(bulk_order=approved)
    }
    assert frozen == {
        (shop.apple.pk, None): (Decimal("100.00"), Decimal("95.00"), Decimal("5.00")),
        (None, shop.pack.pk): (Decimal("200.00"), Decimal("200.00"), Decimal("0.00")),
        (shop.oil.pk, None): (Decimal("80.00"), Decimal("80.00"), Decimal("0.00")),
    }
    assert approved.total_amount == EXPECTED_TOTAL


def test_text_that_would_run_as_a_formula_is_written_as_plain_text(draft, people, evil_pack):
    services.update_bulk_order(draft, name="+SUM(1,2)", by=people.clerk)
    services.add_lines(draft, [(evil_pack.sku, 1)], by=people.clerk)
    bulk_order = approve(draft, people)
    sheet = sheet_of(download(people.clerk, bulk_order).content)
    details = details_of(sheet)
    assert details["采购单名称"] == "'+SUM(1,2)"
    item = item_rows(sheet)[0]
    assert item[2] == "'-PACK-EVIL"
    assert item[3] == '\'=HYPERLINK("http://evil.example","点我")'
    # No cell of the workbook is a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("text", ["@cmd", "\tTAB", "\rCR", " =1+1", "-10"])
def test_each_formula_start_is_neutralised(approved, text):
    plan = dict(approved.purchase_plan, name=text)
    sheet = sheet_of(xlsx_bytes(plan))
    cell = sheet["B3"]
    assert cell.value == "'" + text.replace("\r", "\n")  # XML reads a lone CR back as LF
    assert cell.data_type == "s"


def test_branch_staff_of_the_branch_and_above_and_operators_may_download(approved, people, tree, django_user_model):
    from branches.services import assign_role

    city_auditor = make_user(django_user_model, "city-auditor@example.com")
    assign_role(user=city_auditor, branch=tree.city, role="AUDITOR")
    for user in (people.clerk, people.approver, people.viewer, people.operator, city_auditor):
        assert download(user, approved).status_code == 200, user.email


def test_others_are_refused(approved, people, django_user_model):
    stranger = make_user(django_user_model, "member@example.com")
    for user in (stranger, people.sibling_clerk, people.sibling_approver):
        response = download(user, approved)
        assert response.status_code == 403, user.email
        assert "只有本工会及上级工会的工作人员可以下载采购计划" in response.content.decode()
    anonymous = download(None, approved)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_wrong_branch_or_number_and_unapproved_orders_give_404(approved, draft, people, tree):
    client = Client()
    client.force_login(people.operator)
    wrong_branch = reverse("storefront:bulk_plan_xlsx", kwargs={"code": tree.sibling.code, "number": str(approved)})
    for url in (
        wrong_branch,
        reverse("storefront:bulk_plan_xlsx", kwargs={"code": "GH-001", "number": "CG999999"}),
        reverse("storefront:bulk_plan_xlsx", kwargs={"code": "GH-001", "number": "nonsense"}),
    ):
        assert client.get(url).status_code == 404, url
    fresh = services.create_bulk_order(branch=tree.union, name="未审批", by=people.clerk)
    response = client.get(plan_url(BulkOrder.objects.select_related("branch").get(pk=fresh.pk)))
    assert response.status_code == 404
    assert "审批通过后才有采购计划" in response.content.decode()


def test_the_number_works_with_or_without_its_prefix(approved, people):
    client = Client()
    client.force_login(people.clerk)
    url = reverse("storefront:bulk_plan_xlsx", kwargs={"code": "GH-001", "number": str(approved.number)})
    assert client.get(url).status_code == 200


ONE = """query($id: ID!) { bulkOrder(id: $id) { status purchasePlanUrl noticeUrl approvedAt } }"""


def test_purchase_plan_url_is_null_before_approval_and_downloads_after(draft, people, shop):
    clerk = api_for(people.clerk)
    services.add_lines(draft, [(shop.oil.sku, 1)], by=people.clerk)
    variables = {"id": to_global_id("BulkOrder", draft.pk)}
    before = clerk.data(ONE, variables)["bulkOrder"]
    assert before == {"status": "DRAFT", "purchasePlanUrl": None, "noticeUrl": None, "approvedAt": None}
    approve(draft, people)
    after = clerk.data(ONE, variables)["bulkOrder"]
    assert after["purchasePlanUrl"] == f"http://testserver/branch/GH-001/bulk/{draft}/plan.xlsx"
    assert after["noticeUrl"] == f"http://testserver/bulk/notice/{draft}/"
    response = clerk.client.get(after["purchasePlanUrl"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert sheet_of(response.content)["B2"].value == str(draft)
