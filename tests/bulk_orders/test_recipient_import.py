"""Recipient lists: reading CSV (UTF-8, UTF-8 with BOM, GB18030) and XLSX, every bad row reported with its
row and column, nothing created from a bad file, and 5,000 rows created in as many queries as 50."""

import io
import json
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id
from openpyxl import Workbook, load_workbook

from branches.services import assign_role, create_union_branch
from bulk_orders.models import BulkOrder, BulkOrderLine, BulkRecipient, GiftPack, RecipientImport
from bulk_orders.recipients import parse_recipient_file
from bulk_orders.services import import_recipients
from mall.errors import DomainError, PermissionDenied
from tests import factories

HEADER = "姓名,手机号,省,市,区,详细地址,SKU,数量"
PASSWORD = "pass-1234-word"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shop(channel):
    tea = factories.product(channel=channel, name="高山茶")
    hidden = factories.product(channel=channel, name="未上架", published=False)
    pack = GiftPack.objects.create(sku="GIFT-200", name="帮扶礼包 200 元", price_amount="200.00")
    old_pack = GiftPack.objects.create(sku="GIFT-OLD", name="旧礼包", price_amount="100.00", is_active=False)
    return SimpleNamespace(
        channel=channel,
        tea=tea.variants.get(),
        hidden=hidden.variants.get(),
        pack=pack,
        old_pack=old_pack,
    )


@pytest.fixture
def branches(db):
    city = create_union_branch(code="SZ", name="深圳市总工会", kind="federation")
    district = create_union_branch(code="SZ-NS", name="南山区总工会", parent=city, kind="federation")
    street = create_union_branch(code="SZ-NS-YH", name="粤海街道总工会", parent=district, kind="street")
    union = create_union_branch(code="GH-1", name="科技园工会", parent=street, kind="enterprise")
    other = create_union_branch(code="GH-2", name="港务工会", parent=street, kind="enterprise")
    return SimpleNamespace(city=city, union=union, other=other)


@pytest.fixture
def clerk(branches):
    user = get_user_model().objects.create_user("clerk@example.com", PASSWORD)
    assign_role(user=user, branch=branches.union, role="CLERK")
    return user


@pytest.fixture
def bulk_order(shop, branches, clerk):
    return BulkOrder.objects.create(
        branch=branches.union, channel=shop.channel, name="中秋福利", payment_reference="CG-TEST-1", created_by=clerk
    )


def csv_file(lines, *, encoding="utf-8", name="recipients.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\r\n".join(lines).encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, name="recipients.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def good_lines(shop, count: int, *, start: int = 0) -> list[str]:
    sku = shop.tea.sku
    return [f"会员{n},139{n:08d},广东省,深圳市,南山区,科苑路 {n} 号,{sku},2" for n in range(start, start + count)]


# --- Reading files ------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_file_in_each_encoding_excel_saves_is_read(shop, encoding):
    content = "\r\n".join([HEADER, f"张三,13800138000,广东省,深圳市,南山区,科苑路 15 号,{shop.tea.sku},3"])
    parsed = parse_recipient_file(content.encode(encoding), channel=shop.channel)
    assert parsed.errors == []
    [row] = parsed.rows
    assert (row.row, row.name, row.phone, row.province, row.quantity) == (2, "张三", "+8613800138000", "广东省", 3)
    assert row.variant_id == shop.tea.pk


def test_an_xlsx_file_with_numbers_as_excel_keeps_them_is_read(shop):
    upload = xlsx_file(
        [HEADER.split(","), ["李四", 13900139000, "广东", "深圳市", "福田区", "福华路 1 号", "gift-200", 2.0]]
    )
    parsed = parse_recipient_file(upload.read(), channel=shop.channel)
    assert parsed.errors == []
    [row] = parsed.rows
    assert (row.phone, row.province, row.quantity, row.gift_pack_id) == ("+8613900139000", "广东省", 2, shop.pack.pk)


def test_english_headers_in_any_case_are_accepted(shop):
    content = "\n".join(
        [
            " Name ,PHONE,Province,city,District,Address,sku,Quantity",
            f"Zhang San,138 0013 8000,Guangdong Sheng,深圳市,南山区,Keyuan Rd 15,{shop.tea.sku},1",
        ]
    )
    parsed = parse_recipient_file(content.encode(), channel=shop.channel)
    assert parsed.errors == []
    assert parsed.rows[0].province == "广东省"


def test_a_file_in_another_encoding_is_refused_with_a_clear_message(bulk_order, clerk):
    upload = SimpleUploadedFile("r.csv", "\ufeff姓名,手机号".encode("utf-16"))
    result = import_recipients(bulk_order, upload, by=clerk)
    assert result.status == RecipientImport.Status.FAILED
    assert result.errors[0]["code"] == "INVALID_FILE"
    assert "UTF-8" in result.errors[0]["message"]


def test_a_missing_column_is_one_file_error_naming_it(bulk_order, clerk):
    result = import_recipients(bulk_order, csv_file(["姓名,手机号,省,市,详细地址,SKU", "张三"]), by=clerk)
    assert result.status == RecipientImport.Status.FAILED
    [error] = result.errors
    assert (error["row"], error["column"], error["code"]) == (None, "区", "REQUIRED")
    assert "区、数量" in error["message"]


def test_more_rows_than_the_limit_is_a_file_error(settings, bulk_order, clerk, shop):
    settings.BULK_MAX_RECIPIENT_ROWS = 3
    result = import_recipients(bulk_order, csv_file([HEADER, *good_lines(shop, 4)]), by=clerk)
    assert result.status == RecipientImport.Status.FAILED
    assert [error["code"] for error in result.errors] == ["TOO_MANY_ROWS"]
    assert BulkRecipient.objects.count() == 0


# --- Bad rows -------------------------------------------------------------------------------
def bad_file(shop) -> list[str]:
    return [
        HEADER,
        f"张三,13800138000,广东省,深圳市,南山区,科苑路 1 号,{shop.tea.sku},1",  # 2: good
        f",13800138001,广东省,深圳市,南山区,科苑路 2 号,{shop.tea.sku},1",  # 3: no name
        f"王五,12345,广东省,深圳市,南山区,科苑路 3 号,{shop.tea.sku},1",  # 4: bad mobile
        f"赵六,13800138003,火星省,深圳市,南山区,科苑路 4 号,{shop.tea.sku},1",  # 5: unknown province
        f"钱七,13800138004,广东省,深圳市,,科苑路 5 号,{shop.tea.sku},1",  # 6: no district
        "孙八,13800138005,广东省,深圳市,南山区,科苑路 6 号,NO-SUCH-SKU,1",  # 7: unknown SKU
        f"周九,13800138006,广东省,深圳市,南山区,科苑路 7 号,{shop.hidden.sku},1",  # 8: unpublished
        "吴十,13800138007,广东省,深圳市,南山区,科苑路 8 号,GIFT-OLD,1",  # 9: pack withdrawn
        f"郑一,13800138008,广东省,深圳市,南山区,科苑路 9 号,{shop.tea.sku},0",  # 10
        f"郑二,13800138009,广东省,深圳市,南山区,科苑路 10 号,{shop.tea.sku},-1",  # 11
        f"郑三,13800138010,广东省,深圳市,南山区,科苑路 11 号,{shop.tea.sku},1.5",  # 12
        f"郑四,13800138011,广东省,深圳市,南山区,科苑路 12 号,{shop.tea.sku},abc",  # 13
        f"郑五,13800138012,广东省,深圳市,南山区,科苑路 13 号,{shop.tea.sku},",  # 14: no quantity
        f"张三,+86 138-0013-8000,广东省,深圳市,南山区,科苑路 1 号,{shop.tea.sku},2",  # 15: duplicate of 2
        ",,,,,,,",  # blank: skipped
        "郑六,13800138013,广东省,深圳市,南山区,科苑路 14 号,GIFT-200,5",  # 17: good
    ]


EXPECTED_BAD_ROWS = [
    (3, "姓名", "REQUIRED"),
    (4, "手机号", "INVALID_PHONE"),
    (5, "省", "INVALID_ADDRESS"),
    (6, "区", "REQUIRED"),
    (7, "SKU", "UNKNOWN_SKU"),
    (8, "SKU", "PRODUCT_NOT_PUBLISHED"),
    (9, "SKU", "PRODUCT_NOT_PUBLISHED"),
    (10, "数量", "INVALID_QUANTITY"),
    (11, "数量", "INVALID_QUANTITY"),
    (12, "数量", "INVALID_QUANTITY"),
    (13, "数量", "INVALID_QUANTITY"),
    (14, "数量", "REQUIRED"),
    (15, "SKU", "DUPLICATED_ROW"),
]


def test_each_bad_row_is_reported_with_its_row_and_column_and_nothing_is_created(bulk_order, clerk, shop):
    result = import_recipients(bulk_order, csv_file(bad_file(shop)), by=clerk)
    result.refresh_from_db()
    assert result.status == RecipientImport.Status.FAILED
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == EXPECTED_BAD_ROWS
    assert all(error["message"] for error in result.errors)
    assert "第 2 行" in result.errors[-1]["message"]
    assert (result.total_rows, result.processed_rows) == (15, 15)
    assert BulkRecipient.objects.count() == 0
    assert BulkOrderLine.objects.count() == 0


def test_columns_are_reported_as_the_file_spells_its_headers(bulk_order, clerk, shop):
    lines = ["name,mobile,province,city,district,street,SKU,qty", f"张三,1,广东省,深圳市,南山区,路,{shop.tea.sku},1"]
    result = import_recipients(bulk_order, csv_file(lines), by=clerk)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "mobile")]


def test_dropping_bad_rows_creates_the_good_rows_only(bulk_order, clerk, shop):
    result = import_recipients(bulk_order, csv_file(bad_file(shop)), by=clerk, drop_bad_rows=True)
    assert result.status == RecipientImport.Status.DONE
    assert len(result.errors) == len(EXPECTED_BAD_ROWS)
    lines = list(BulkOrderLine.objects.filter(bulk_order=bulk_order).select_related("recipient"))
    kept = [(line.row_number, line.recipient.name, line.quantity) for line in lines]
    assert kept == [(2, "张三", 1), (17, "郑六", 5)]
    assert lines[1].gift_pack_id == shop.pack.pk and lines[1].variant_id is None


# --- Creating ------------------------------------------------------------------------------
def test_recipients_are_matched_to_members_by_mobile_and_share_one_recipient_per_person(bulk_order, clerk, shop):
    member = get_user_model().objects.create_user("m@example.com", PASSWORD, phone="+8613800138000")
    lines = [
        HEADER,
        f"张三,13800138000,广东省,深圳市,南山区,科苑路 1 号,{shop.tea.sku},1",
        "张三,13800138000,广东省,深圳市,南山区,科苑路 1 号,GIFT-200,1",
        f"李四,13900139000,广东省,深圳市,南山区,科苑路 2 号,{shop.tea.sku},1",
    ]
    import_recipients(bulk_order, csv_file(lines), by=clerk)
    recipients = list(BulkRecipient.objects.filter(bulk_order=bulk_order))
    assert [(r.name, r.user_id, r.row_number, r.lines.count()) for r in recipients] == [
        ("张三", member.pk, 2, 2),
        ("李四", None, 4, 1),
    ]


def test_a_new_import_replaces_the_recipients_of_the_earlier_one_and_keeps_quick_order_lines(bulk_order, clerk, shop):
    BulkOrderLine.objects.create(bulk_order=bulk_order, variant=shop.tea, quantity=10)
    import_recipients(bulk_order, csv_file([HEADER, *good_lines(shop, 3)]), by=clerk)
    import_recipients(bulk_order, csv_file([HEADER, *good_lines(shop, 2, start=10)]), by=clerk)
    assert sorted(BulkRecipient.objects.values_list("name", flat=True)) == ["会员10", "会员11"]
    assert BulkOrderLine.objects.filter(recipient__isnull=True).count() == 1
    assert BulkOrderLine.objects.count() == 3


def run_counted(bulk_order, clerk, shop, count: int) -> int:
    upload = csv_file([HEADER, *good_lines(shop, count)])
    clerk = get_user_model().objects.get(pk=clerk.pk)  # permissions not yet cached, as in a new request
    with CaptureQueriesContext(connection) as queries:
        result = import_recipients(bulk_order, upload, by=clerk)
    assert result.status == RecipientImport.Status.DONE, result.errors
    assert BulkRecipient.objects.filter(bulk_order=bulk_order).count() == count
    assert BulkOrderLine.objects.filter(bulk_order=bulk_order).count() == count
    return len(queries)


def test_five_thousand_rows_create_the_lines_in_as_many_queries_as_fifty(bulk_order, clerk, shop):
    small = run_counted(bulk_order, clerk, shop, 50)
    large = run_counted(bulk_order, clerk, shop, 5000)
    assert large == small
    result = RecipientImport.objects.latest("created_at")
    assert (result.total_rows, result.processed_rows, result.errors) == (5000, 5000, [])


# --- Who and when --------------------------------------------------------------------------
def test_a_clerk_of_another_branch_is_refused(bulk_order, branches, shop):
    stranger = get_user_model().objects.create_user("other@example.com", PASSWORD)
    assign_role(user=stranger, branch=branches.other, role="CLERK")
    with pytest.raises(PermissionDenied):
        import_recipients(bulk_order, csv_file([HEADER, *good_lines(shop, 1)]), by=stranger)
    assert RecipientImport.objects.count() == 0


def test_a_clerk_of_a_branch_above_may_import(bulk_order, branches, shop):
    upper = get_user_model().objects.create_user("city@example.com", PASSWORD)
    assign_role(user=upper, branch=branches.city, role="APPROVER")
    result = import_recipients(bulk_order, csv_file([HEADER, *good_lines(shop, 1)]), by=upper)
    assert result.status == RecipientImport.Status.DONE


def test_only_a_draft_takes_a_recipient_list(bulk_order, clerk, shop):
    bulk_order.status = "SUBMITTED"
    bulk_order.save()
    with pytest.raises(DomainError) as error:
        import_recipients(bulk_order, csv_file([HEADER, *good_lines(shop, 1)]), by=clerk)
    assert error.value.code == "INVALID_STATUS"


# --- GraphQL (multipart request) ------------------------------------------------------------
IMPORT = """
mutation Import($id: ID!, $file: Upload!, $drop: Boolean) {
  bulkOrderRecipientsImport(id: $id, file: $file, dropBadRows: $drop) {
    recipientImport { id status totalRows processedRows errors { row column code message } }
    errors { field message code row column }
  }
}
"""


def post_upload(client, bulk_order, upload, *, drop=None):
    operations = {
        "query": IMPORT,
        "variables": {"id": to_global_id("BulkOrder", str(bulk_order.pk)), "file": None, "drop": drop},
    }
    return client.post(
        "/graphql/",
        {"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]}), "0": upload},
    )


@pytest.fixture
def clerk_client(clerk):
    client = Client()
    client.force_login(clerk)
    return client


def test_a_recipient_list_is_imported_through_a_graphql_multipart_request(clerk_client, bulk_order, shop):
    response = post_upload(clerk_client, bulk_order, csv_file([HEADER, *good_lines(shop, 3)]))
    assert response.status_code == 200, response.content
    assert "errors" not in response.json(), response.json()
    payload = response.json()["data"]["bulkOrderRecipientsImport"]
    assert payload["errors"] == []
    assert payload["recipientImport"]["status"] == "DONE"
    assert (payload["recipientImport"]["totalRows"], payload["recipientImport"]["processedRows"]) == (3, 3)
    assert BulkOrderLine.objects.filter(bulk_order=bulk_order).count() == 3


def test_bad_rows_come_back_as_errors_with_row_and_column_over_graphql(clerk_client, bulk_order, shop):
    response = post_upload(clerk_client, bulk_order, xlsx_file([r.split(",") for r in bad_file(shop)]))
    payload = response.json()["data"]["bulkOrderRecipientsImport"]
    assert [(e["row"], e["column"], e["code"]) for e in payload["errors"]] == EXPECTED_BAD_ROWS
    assert {e["field"] for e in payload["errors"]} == {"file"}
    assert payload["recipientImport"]["status"] == "FAILED"
    assert len(payload["recipientImport"]["errors"]) == len(EXPECTED_BAD_ROWS)
    assert BulkRecipient.objects.count() == 0


def test_drop_bad_rows_over_graphql_imports_the_good_rows(clerk_client, bulk_order, shop):
    response = post_upload(clerk_client, bulk_order, csv_file(bad_file(shop)), drop=True)
    payload = response.json()["data"]["bulkOrderRecipientsImport"]
    assert payload["errors"] == []
    assert payload["recipientImport"]["status"] == "DONE"
    assert BulkOrderLine.objects.filter(bulk_order=bulk_order).count() == 2


def test_a_clerk_of_another_branch_gets_a_permission_error_over_graphql(bulk_order, branches, shop):
    stranger = get_user_model().objects.create_user("other@example.com", PASSWORD)
    assign_role(user=stranger, branch=branches.other, role="CLERK")
    client = Client()
    client.force_login(stranger)
    body = post_upload(client, bulk_order, csv_file([HEADER, *good_lines(shop, 1)])).json()
    assert body["data"]["bulkOrderRecipientsImport"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert RecipientImport.objects.count() == 0


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"operations": "{not json", "map": "{}"}, "The `operations` part is not valid JSON."),
        ({"operations": "[]", "map": "{}"}, "Batched requests"),
        ({"operations": '{"query": "{ shop { name } }"}', "map": "[1]"}, "The `map` part must be a JSON object"),
        (
            {"operations": '{"query": "{ __typename }", "variables": {"f": null}}', "map": '{"0": ["variables.f"]}'},
            "The file part '0' named in `map` is missing",
        ),
        (
            {"operations": '{"query": "{ __typename }", "variables": {}}', "map": '{"0": ["variables.a.b"]}', "0": "x"},
            "does not name a null",
        ),
        ({"operations": '{"query": "{ __typename }"}', "map": '{"0": ["query"]}', "0": "x"}, "must point into"),
    ],
)
def test_a_malformed_multipart_request_is_refused_with_400(client, db, parts, message):
    if "0" in parts:
        parts = {**parts, "0": SimpleUploadedFile("a.csv", b"x")}
    response = client.post("/graphql/", parts)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_file_variable_sent_as_text_is_refused(clerk_client, bulk_order):
    operations = {"query": IMPORT, "variables": {"id": to_global_id("BulkOrder", str(bulk_order.pk)), "file": "x"}}
    response = clerk_client.post("/graphql/", {"operations": json.dumps(operations), "map": "{}"})
    assert response.status_code == 400
    assert "file part" in response.json()["errors"][0]["message"]


# --- The template ------------------------------------------------------------------------
def test_the_xlsx_template_has_the_chinese_header_and_an_example_row_that_imports(client, bulk_order, clerk, shop):
    response = client.get("/branch/bulk/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True) if any(row)]
    assert rows[0] == HEADER.split(",")
    assert rows[1][:2] == ["张三", "13800138000"]
    parsed = parse_recipient_file(response.content, channel=shop.channel)
    assert [(e.row, e.column, e.code) for e in parsed.errors] == []
    assert parsed.rows[0].gift_pack_id == shop.pack.pk


def test_the_csv_template_is_utf8_with_a_bom_for_excel(client, db):
    response = client.get("/branch/bulk/template.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    assert "attachment" in response["Content-Disposition"]


def test_the_celery_task_runs_a_pending_import_once(bulk_order, clerk, shop):
    from bulk_orders.services import start_recipient_import
    from bulk_orders.tasks import import_recipients as import_task

    started = start_recipient_import(bulk_order, csv_file([HEADER, *good_lines(shop, 2)]), by=clerk)
    assert import_task.delay(str(started.pk)).get() == "DONE"
    assert import_task.delay(str(started.pk)).get() is None
    assert BulkRecipient.objects.filter(bulk_order=bulk_order).count() == 2


def test_progress_is_reported_four_times_as_rows_are_checked(shop):
    calls = []
    content = "\n".join([HEADER, *good_lines(shop, 10)]).encode()
    parse_recipient_file(content, channel=shop.channel, on_progress=lambda total, done: calls.append((total, done)))
    assert calls == [(10, 2), (10, 5), (10, 7), (10, 10)]
    calls.clear()
    parse_recipient_file(content[: content.index(b"\n")], channel=shop.channel, on_progress=lambda *a: calls.append(a))
    assert calls == [(0, 0)] * 4


PROGRESS = "query ($id: ID!) { recipientImport(id: $id) { status totalRows processedRows } }"


def test_branch_staff_follow_an_import_and_others_see_nothing(clerk_client, client, bulk_order, clerk, shop):
    result = import_recipients(bulk_order, csv_file([HEADER, *good_lines(shop, 3)]), by=clerk)
    variables = {"id": to_global_id("RecipientImport", str(result.pk))}
    body = clerk_client.post("/graphql/", {"query": PROGRESS, "variables": variables}, content_type="application/json")
    assert body.json()["data"]["recipientImport"] == {"status": "DONE", "totalRows": 3, "processedRows": 3}
    body = client.post("/graphql/", {"query": PROGRESS, "variables": variables}, content_type="application/json")
    assert body.json()["data"]["recipientImport"] is None


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(bulk_order, clerk, monkeypatch):
    monkeypatch.setattr("bulk_orders.services.recipients.MAX_FILE_BYTES", 100)
    with pytest.raises(DomainError) as error:
        import_recipients(bulk_order, csv_file([HEADER, "x" * 200]), by=clerk)
    assert (error.value.code, error.value.field) == ("INVALID_FILE", "file")
    assert RecipientImport.objects.count() == 0
