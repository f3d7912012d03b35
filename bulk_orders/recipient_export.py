"""The recipient list with delivery statuses (收件人发货明细), as CSV (UTF-8 with a BOM, for Excel in China)
or XLSX, for the clerk who has to tell members where their gift is.

Every text cell is made safe for spreadsheets: a value a spreadsheet would read as a formula (starting
with = + - @, or a tab or carriage return that some programs skip before one) gets a leading apostrophe,
so a recipient named =HYPERLINK(...) is shown, never run (OWASP's advice on CSV injection).
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from bulk_orders.delivery import mask_mobile, recipients_with_status
from bulk_orders.models import BulkOrder

HEADER = ("行号", "姓名", "手机号", "省", "市", "区", "详细地址", "商品", "发货状态", "运单号")
COLUMN_WIDTHS = (6, 12, 14, 10, 10, 10, 32, 32, 10, 28)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """`value` as text a spreadsheet shows as it is: formula-like text gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _mobile(phone: str) -> str:
    """The national number (13800000001): the clerk phones it; "+86..." would be read as a formula."""
    return phone[3:] if phone.startswith("+86") else phone


def export_rows(bulk_order: BulkOrder, *, mask_phones: bool = False) -> list[tuple[str, ...]]:
    rows = []
    for recipient, delivery, items in recipients_with_status(bulk_order):
        row = (
            recipient.row_number or "",
            recipient.name,
            mask_mobile(recipient.phone) if mask_phones else _mobile(recipient.phone),
            recipient.province,
            recipient.city,
            recipient.district,
            recipient.street_address,
            "；".join(items),
            delivery.status_label,
            " ".join(delivery.tracking_numbers),
        )
        rows.append(tuple(spreadsheet_safe(value) for value in row))
    return rows


def export_csv(bulk_order: BulkOrder) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(export_rows(bulk_order))
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(bulk_order: BulkOrder) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "收件人"
    sheet.append(HEADER)
    for row in export_rows(bulk_order):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    # Every cell is text: no formulas, and a mobile number stays 13800000001, not 1.38E+10.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
