"""The recipient list template (收件人名单模板) clerks download: the Chinese header and one example row,
as XLSX or as CSV (UTF-8 with a BOM, so that Excel in China opens it with the right characters)."""

import csv
import io
from urllib.parse import quote

from django.http import HttpResponse
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from bulk_orders.recipients import TEMPLATE_EXAMPLE, TEMPLATE_HEADER

FILE_NAME = "收件人名单模板"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_WIDTHS = (10, 16, 10, 10, 10, 32, 16, 8)


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "收件人"
    sheet.append(TEMPLATE_HEADER)
    sheet.append(TEMPLATE_EXAMPLE)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    # The mobile column as text: Excel shows a typed 13800138000 as 1.38E+10 otherwise.
    for row in sheet.iter_rows(min_row=2, max_row=1000, min_col=2, max_col=2):
        row[0].number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(TEMPLATE_EXAMPLE)
    return buffer.getvalue().encode("utf-8-sig")


def _download(content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(FILE_NAME)}.{extension}"
    return response


@require_GET
def recipient_template_xlsx(request):
    return _download(template_xlsx(), XLSX_TYPE, "xlsx")


@require_GET
def recipient_template_csv(request):
    return _download(template_csv(), "text/csv; charset=utf-8", "csv")
