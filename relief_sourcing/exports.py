"""Relief reports as files: XLSX (openpyxl) and CSV (UTF-8 with a BOM, so Excel reads the Chinese).

Each file is the on-screen report: the same rows, and a totals row holding the figure the screen shows
(the report's own total, not a sum the spreadsheet recomputes). Text cells that a spreadsheet would read
as a formula (starting with =, +, -, @, also after leading blanks, tabs or line breaks) are neutralised
with a leading apostrophe, as OWASP recommends; numbers stay numbers.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from relief_sourcing import reports

FORMULA_STARTS = ("=", "+", "-", "@")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


@dataclass
class Table:
    title: str
    details: list[tuple[str, str]]
    header: list[str]
    rows: list[list]
    totals: list
    money_columns: set[int] = field(default_factory=set)


def neutralise(value):
    """A text cell that cannot run as a formula; other values unchanged."""
    if isinstance(value, str) and value.lstrip(" \t\r\n").startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, str) and value[:1] in ("\t", "\r"):
        return "'" + value
    return value


def _period_text(year, date_from, date_to) -> str:
    parts = []
    if year:
        parts.append(f"{year}年")
    if date_from or date_to:
        parts.append(f"{date_from or '…'} 至 {date_to or '…'}")
    return "，".join(parts) or "全部"


def summary_table(branch, summary: reports.Summary, *, group_by, year=None, date_from=None, date_to=None, channel=None):
    channel_text = {"MEMBER": "会员个人消费", "BRANCH": "工会集中采购"}.get(channel or "", "全部")
    return Table(
        title=f"{branch.name} 消费帮扶汇总（按{reports.GroupBy.LABELS[group_by]}）",
        details=[
            ("工会组织", f"{branch.name}（{branch.code}）"),
            ("期间", _period_text(year, date_from, date_to)),
            ("渠道", channel_text),
            ("受益会员数", str(summary.buyers)),
            ("币种", summary.currency),
        ],
        header=["编码", reports.GroupBy.LABELS[group_by], "金额（元）", "数量"],
        rows=[[group.key, group.label, group.total, group.quantity] for group in summary.groups],
        totals=["合计", "", summary.total, summary.quantity],
        money_columns={2},
    )


def ranking_table(parent, rows: list[reports.RankingRow], *, year: int) -> Table:
    def ratio(value):
        return "" if value is None else f"{value * 100:.2f}%"

    body = [
        [
            row.branch.code,
            row.branch.name,
            row.total,
            row.progress.target_amount if row.progress.target_amount is not None else "",
            ratio(row.progress.amount_ratio),
            ratio(row.progress.share),
            ratio(row.progress.minimum_share),
            "是" if row.progress.on_track else "否",
        ]
        for row in rows
    ]
    return Table(
        title=f"{parent.name} 下级工会消费帮扶排名（{year}年）",
        details=[("工会组织", f"{parent.name}（{parent.code}）"), ("年度", str(year))],
        header=["编码", "下级工会", "金额（元）", "目标金额（元）", "目标完成率", "帮扶占比", "最低占比", "进度正常"],
        rows=body,
        totals=["合计", "", sum((row.total for row in rows), Decimal("0.00")), "", "", "", "", ""],
        money_columns={2, 3},
    )


def _filename(table: Table, extension: str) -> str:
    return f"{table.title}.{extension}"


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    ascii_name = "relief-report." + name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return response


def xlsx_bytes(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "消费帮扶"
    sheet.append([neutralise(table.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in table.details:
        sheet.append([label, neutralise(value)])
    sheet.append([])
    sheet.append(table.header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in [*table.rows, table.totals]:
        sheet.append([neutralise(value) for value in row])
        for column in table.money_columns:
            cell = sheet.cell(row=sheet.max_row, column=column + 1)
            if isinstance(cell.value, (int, float, Decimal)):
                cell.number_format = MONEY_FORMAT
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (22, 28, 16, 16, 12, 12, 12, 10), strict=False):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(table.title)])
    for label, value in table.details:
        writer.writerow([label, neutralise(value)])
    writer.writerow([])
    writer.writerow(table.header)
    for row in [*table.rows, table.totals]:
        writer.writerow([neutralise(value) for value in row])
    return buffer.getvalue()


def xlsx_response(table: Table) -> HttpResponse:
    return _attachment(HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE), _filename(table, "xlsx"))


def csv_response(table: Table) -> HttpResponse:
    # The BOM tells Excel the file is UTF-8; without it Chinese shows as mojibake.
    body = "\ufeff" + csv_text(table)
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, _filename(table, "csv"))
