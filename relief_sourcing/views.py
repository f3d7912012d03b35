"""Report downloads: /relief/reports/export.xlsx and .csv, for a signed-in user allowed to read the branch."""

from datetime import date

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from graphql_relay import from_global_id

from branches.models import UnionBranch
from mall.errors import PermissionDenied
from relief_sourcing import exports, reports
from relief_sourcing.access import require_report_access

RENDERERS = {"xlsx": exports.xlsx_response, "csv": exports.csv_response}


class BadRequest(Exception):
    pass


def _plain(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _branch(value: str | None) -> UnionBranch:
    """A branch named by its global ID (as the API gives it) or by its code."""
    if not value:
        raise BadRequest("请指定工会组织（branch）。")
    try:
        type_name, raw_pk = from_global_id(value)
    except (UnicodeDecodeError, ValueError):
        type_name, raw_pk = "", ""
    found = None
    if type_name == "UnionBranch" and raw_pk.isdigit() and len(raw_pk) < 19:
        found = UnionBranch.objects.filter(pk=int(raw_pk)).first()
    found = found or UnionBranch.objects.filter(code=value).first()
    if found is None:
        raise BadRequest("找不到该工会组织。")
    return found


def _year(value: str | None, *, required: bool) -> int | None:
    if not value:
        if required:
            raise BadRequest("请指定年度（year）。")
        return None
    if not value.isdigit() or len(value) > 4:
        raise BadRequest("年度须为四位数字。")
    return reports.check_year(int(value))


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise BadRequest(f"{name} 须为 YYYY-MM-DD 格式的日期。") from error


def _table(request, params):
    report = params.get("report", "summary")
    if report == "summary":
        branch = _branch(params.get("branch"))
        require_report_access(request.user, branch)
        group_by = params.get("groupBy", "")
        if group_by not in reports.GroupBy.ALL:
            raise BadRequest("groupBy 须为 " + " / ".join(reports.GroupBy.ALL) + " 之一。")
        arguments = {
            "year": _year(params.get("year"), required=False),
            "date_from": _date(params.get("dateFrom"), "dateFrom"),
            "date_to": _date(params.get("dateTo"), "dateTo"),
            "channel": params.get("channel") or None,
        }
        summary = reports.purchase_summary(branch, group_by=group_by, **arguments)
        return exports.summary_table(branch, summary, group_by=group_by, **arguments)
    if report == "ranking":
        parent = _branch(params.get("parent") or params.get("branch"))
        require_report_access(request.user, parent)
        year = _year(params.get("year"), required=True)
        return exports.ranking_table(parent, reports.ranking(parent, year), year=year)
    raise BadRequest("report 须为 summary 或 ranking。")


@require_GET
def export(request, extension: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        table = _table(request, request.GET)
    except PermissionDenied as error:
        return _plain(403, error.message)
    except (BadRequest, reports.ReportInputError) as error:
        return _plain(400, str(getattr(error, "message", error)))
    return RENDERERS[extension](table)
