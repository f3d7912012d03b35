"""Recipient export with statuses: CSV with a BOM and XLSX, for branch staff only, formula-injection safe."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bulk_orders import services
from bulk_orders.recipient_export import spreadsheet_safe
from tests.bulk_orders.delivery.conftest import EVIL_NAME, recipient


def url(paid, fmt):
    bulk = paid.bulk_order
    return reverse(
        "storefront:bulk_recipients_export", kwargs={"code": bulk.branch.code, "number": bulk.number, "fmt": fmt}
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1", "'\r=1"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
    ],
)
def test_formula_like_cells_get_a_leading_apostrophe(value, safe):
    assert spreadsheet_safe(value) == safe


def test_the_csv_lists_every_recipient_with_status_and_tracking_numbers(paid, shop, people, shipper):
    services.create_shipment(paid.bulk_order, recipient=paid.li, tracking_number="YT1", by=shipper)
    response = client_for(people.clerk).get(url(paid, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["行号", "姓名", "手机号", "省", "市", "区", "详细地址", "商品", "发货状态", "运单号"]
    assert rows[1] == ["2", "张三", "13800000001", "广东省", "深圳市", "南山区", "科技园 2 号",
                       "烟台苹果 规格1 ×2；帮扶礼包 200 元 ×1", "待发货", ""]  # fmt: skip
    assert rows[2][1:] == ["李四", "13800000002", "广东省", "深圳市", "南山区", "科技园 3 号", "花生油 规格1 ×1",
                           "已发货", "YT1"]  # fmt: skip
    assert rows[3][1] == "'" + EVIL_NAME
    assert len(rows) == 4


def test_malicious_cells_are_neutralised_in_csv_and_xlsx(paid, shop, people, shipper):
    bulk = paid.bulk_order
    for row, name in enumerate(["+1", "@SUM(A1:A9)", "-2+3", "\t=cmd|' /C calc'!A0"], start=10):
        sneaky = recipient(bulk, name, f"+861380000{row:04d}", row)
        sneaky.street_address = "=1+1"
        sneaky.save()
        bulk.lines.create(recipient=sneaky, variant=shop.apple, quantity=1)
    services.create_shipment(bulk, recipient=paid.li, tracking_number="=2*3", by=shipper)
    rows = csv_rows(client_for(people.clerk).get(url(paid, "csv")))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    names = [row[1] for row in rows[1:]]
    assert names[2:] == ["'" + EVIL_NAME, "'+1", "'@SUM(A1:A9)", "'-2+3", "'\t=cmd|' /C calc'!A0"]
    assert rows[2][9] == "'=2*3"

    response = client_for(people.clerk).get(url(paid, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None)
    assert [row[1] for row in values][2:] == names[2:]
    assert [row[6] for row in values][3:] == ["'=1+1"] * 4
    assert values[0][2] == "13800000001"


def test_only_staff_of_the_branch_or_above_may_export(paid, people, member, django_user_model):
    assert client_for(people.sibling_clerk).get(url(paid, "csv")).status_code == 403
    assert client_for(member).get(url(paid, "xlsx")).status_code == 403
    anonymous = Client().get(url(paid, "csv"))
    assert anonymous.status_code == 302
    assert client_for(people.viewer).get(url(paid, "csv")).status_code == 200
    assert client_for(people.operator).get(url(paid, "csv")).status_code == 200


def test_unknown_order_or_format_is_a_404_in_chinese(paid, people):
    bulk = paid.bulk_order
    bad = reverse("storefront:bulk_recipients_export", kwargs={"code": bulk.branch.code, "number": 1, "fmt": "csv"})
    response = client_for(people.clerk).get(bad)
    assert response.status_code == 404 and "找不到这张采购单" in response.content.decode()
    response = client_for(people.clerk).get(url(paid, "pdf"))
    assert response.status_code == 404


@pytest.mark.parametrize("extra", [0, 30])
def test_the_export_takes_the_same_queries_at_any_size(paid, shop, people, extra):
    for row in range(extra):
        more = recipient(paid.bulk_order, f"收件人{row}", f"+86139000{row:05d}", 10 + row)
        paid.bulk_order.lines.create(recipient=more, gift_pack=shop.pack, quantity=1)
    client = client_for(people.clerk)
    client.get(url(paid, "csv"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(paid, "xlsx"))
    assert len(load_workbook(io.BytesIO(response.content)).active["A"]) == 4 + extra
    assert len(queries) == EXPORT_QUERIES, [query["sql"][:100] for query in queries]


# Session, user, branch, scope (2), bulk order; recipients, their deliveries (3), their items.
EXPORT_QUERIES = 11
