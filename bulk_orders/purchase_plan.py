"""采购计划 (purchase plan) of an approved bulk order: its data, frozen at approval, and its XLSX file.

Approval (services.workflow.approve) freezes each line's prices (pricing.freeze_prices) and stores
`snapshot()` in BulkOrder.purchase_plan: one row per item (a variant, or a gift pack) as placing will
order it, with its supplier, quantity, prices and total; the branch; the submitter, the approver and
the time. The XLSX is drawn from that snapshot alone, on each download: nothing read later (list
prices, tiers, product or merchant names, people's names) changes it, and the same snapshot gives the
same bytes (the workbook's own timestamps are the approval time). No file is kept: there is nothing
to lose or to get out of step with the database, and the snapshot also feeds the public notice (公示).

Text written into cells (names, SKUs, the order's name) is neutralised as relief_sourcing.exports does:
a value a spreadsheet would run as a formula gets a leading apostrophe and is stored as a string.
"""

import io
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from bulk_orders.models import BulkOrder, GiftPackItem
from bulk_orders.pricing import BulkPrices
from catalog.models import ProductVariant
from relief_sourcing.exports import neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
KIND_VARIANT = "商品"
KIND_PACK = "礼包"
HEADER = [
    *("序号", "类型", "SKU", "名称", "供应商", "数量"),
    *("单价（元）", "批量折扣（%）", "成交单价（元）", "金额（元）"),
]
MONEY_COLUMNS = (7, 9, 10)  # 1-based: 单价, 成交单价, 金额


def person(user) -> str:
    """How the plan names a person: 姓名（email）, or the email alone."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip()
    return f"{name}（{user.email}）" if name else user.email


def _suppliers(lines) -> tuple[dict, dict]:
    """Merchant names by variant pk and, for each gift pack, its components' merchants (two queries)."""
    variant_ids = {line.variant_id for line in lines if line.variant_id}
    pack_ids = {line.gift_pack_id for line in lines if line.gift_pack_id}
    by_variant = dict(ProductVariant.objects.filter(pk__in=variant_ids).values_list("pk", "product__merchant__name"))
    by_pack = defaultdict(list)
    items = GiftPackItem.objects.filter(pack_id__in=pack_ids).order_by("pk")
    for pack_id, merchant in items.values_list("pack_id", "variant__product__merchant__name"):
        if merchant not in by_pack[pack_id]:
            by_pack[pack_id].append(merchant)
    return by_variant, by_pack


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def snapshot(bulk_order: BulkOrder, lines, prices: BulkPrices, *, approved_by, approved_at: datetime) -> dict:
    """The purchase plan's data, as JSON: amounts as strings of yuan, items in the order of their first
    line (as placing orders them)."""
    lines = list(lines)
    by_variant, by_pack = _suppliers(lines)
    items = {}
    for line in lines:
        key = ("variant", line.variant_id) if line.variant_id else ("pack", line.gift_pack_id)
        price = prices.lines[line.pk]
        item = items.get(key)
        if item is None:
            if line.variant_id:
                variant = line.variant
                kind, sku = KIND_VARIANT, variant.sku
                name = f"{variant.product.name} {variant.name}".strip()
                supplier = by_variant.get(line.variant_id) or ""
            else:
                kind, sku, name = KIND_PACK, line.gift_pack.sku, line.gift_pack.name
                supplier = "、".join(by_pack.get(line.gift_pack_id, []))
            item = items[key] = {
                "kind": kind,
                "sku": sku,
                "name": name,
                "supplier": supplier,
                "quantity": 0,
                "undiscounted_unit_price": price.undiscounted_unit_price,
                "discount_percent": price.discount_percent,
                "unit_price": price.unit_price,
                "total": Decimal("0"),
            }
        item["quantity"] += line.quantity
        item["total"] += price.total
    recipients = {line.recipient_id for line in lines if line.recipient_id}
    branch = bulk_order.branch
    return {
        "version": 1,
        "number": str(bulk_order),
        "name": bulk_order.name,
        "branch": {"name": branch.name, "code": branch.code},
        "currency": bulk_order.currency,
        "submitted_by": person(bulk_order.submitted_by),
        "approved_by": person(approved_by),
        "approved_at": approved_at.isoformat(),
        "recipients": len(recipients),
        "items": [
            {
                **item,
                "undiscounted_unit_price": _money(item["undiscounted_unit_price"]),
                "discount_percent": f"{item['discount_percent'].normalize():f}",
                "unit_price": _money(item["unit_price"]),
                "total": _money(item["total"]),
            }
            for item in items.values()
        ],
        "undiscounted_total": _money(prices.undiscounted_total),
        "total": _money(prices.total),
    }


def approved_at(plan: dict) -> datetime:
    return datetime.fromisoformat(plan["approved_at"])


def filename(plan: dict) -> str:
    return f"采购计划-{plan['number']}.xlsx"


def _text(cell, value) -> None:
    """A cell holding text that never runs as a formula."""
    cell.value = neutralise(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"


def xlsx_bytes(plan: dict) -> bytes:
    """The purchase plan as an XLSX workbook: details, one row per item, the total and signature lines."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "采购计划"
    when = timezone.localtime(approved_at(plan))
    _text(sheet.cell(row=1, column=1), f"{plan['branch']['name']} 采购计划")
    sheet["A1"].font = Font(bold=True, size=14)
    details = [
        ("采购单号", plan["number"]),
        ("采购单名称", plan["name"]),
        ("工会组织", plan["branch"]["name"]),
        ("组织代码", plan["branch"]["code"]),
        ("提交人", plan["submitted_by"]),
        ("审批人", plan["approved_by"]),
        ("审批时间", when.strftime("%Y-%m-%d %H:%M")),
        ("收件人数", str(plan["recipients"])),
        ("币种", plan["currency"]),
    ]
    for row, (label, value) in enumerate(details, start=2):
        _text(sheet.cell(row=row, column=1), label)
        _text(sheet.cell(row=row, column=2), value)
    header_row = len(details) + 3
    for column, label in enumerate(HEADER, start=1):
        cell = sheet.cell(row=header_row, column=column, value=label)
        cell.font = Font(bold=True)
    row = header_row
    for index, item in enumerate(plan["items"], start=1):
        row += 1
        sheet.cell(row=row, column=1, value=index)
        for column, key in ((2, "kind"), (3, "sku"), (4, "name"), (5, "supplier")):
            _text(sheet.cell(row=row, column=column), item[key])
        sheet.cell(row=row, column=6, value=item["quantity"])
        sheet.cell(row=row, column=7, value=Decimal(item["undiscounted_unit_price"]))
        sheet.cell(row=row, column=8, value=Decimal(item["discount_percent"]))
        sheet.cell(row=row, column=9, value=Decimal(item["unit_price"]))
        sheet.cell(row=row, column=10, value=Decimal(item["total"]))
    row += 1
    sheet.cell(row=row, column=1, value="合计").font = Font(bold=True)
    sheet.cell(row=row, column=6, value=sum(item["quantity"] for item in plan["items"]))
    total = sheet.cell(row=row, column=10, value=Decimal(plan["total"]))
    total.font = Font(bold=True)
    for money_row in range(header_row + 1, row + 1):
        for column in MONEY_COLUMNS:
            sheet.cell(row=money_row, column=column).number_format = MONEY_FORMAT
    row += 2
    sheet.cell(row=row, column=1, value="经办人签字：")
    sheet.cell(row=row, column=6, value="审批人（主席）签字：")
    for column, width in zip("ABCDEFGHIJ", (10, 8, 18, 32, 24, 8, 12, 14, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet["B2"].alignment = Alignment(horizontal="left")
    return _deterministic_bytes(workbook, approved_at(plan))


def _deterministic_bytes(workbook: Workbook, when: datetime) -> bytes:
    """Same snapshot, same bytes: the workbook's and the archive's timestamps are the approval's, not the
    download's (openpyxl's save_workbook stamps `modified` with the clock, its ExcelWriter does not)."""
    utc = when.astimezone(UTC).replace(tzinfo=None)
    workbook.properties.created = utc
    workbook.properties.modified = utc
    workbook.properties.creator = "工会商城"
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return _with_fixed_times(buffer.getvalue(), timezone.localtime(when).replace(tzinfo=None))


def _with_fixed_times(content: bytes, when: datetime) -> bytes:
    """The archive again with every member dated `when`: zipfile dates members with the clock otherwise."""
    stamp = when.timetuple()[:6]
    repacked = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(repacked, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, source.read(member.filename))
    return repacked.getvalue()
