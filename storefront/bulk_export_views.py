"""Downloading a bulk order's recipient list with delivery statuses (/branch/<code>/bulk/<number>/recipients.csv
or .xlsx): for the staff of the branch and of the branches above it, and operators."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from branches.models import UnionBranch
from branches.selectors import can_see_branch
from bulk_orders.models import BulkOrder
from bulk_orders.recipient_export import export_csv, export_xlsx
from storefront.relief_views import _forbidden
from storefront.views import not_found

FORMATS = {
    "csv": (export_csv, "text/csv; charset=utf-8"),
    "xlsx": (export_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@require_safe
@login_required
def bulk_recipients_export(request, code: str, number: int, fmt: str):
    if fmt not in FORMATS:
        return not_found(request, "只能导出 CSV 或 XLSX 文件。")
    branch = UnionBranch.objects.filter(code=code).first()
    if branch is None:
        return not_found(request, "找不到这个工会组织。")
    if not can_see_branch(request.user, branch):
        return _forbidden(request, "只有本单位及上级工会的工作人员可以导出收件人名单。")
    bulk_order = BulkOrder.objects.filter(branch=branch, number=number).first()
    if bulk_order is None:
        return not_found(request, "找不到这张采购单。")
    build, content_type = FORMATS[fmt]
    response = HttpResponse(build(bulk_order), content_type=content_type)
    file_name = f"收件人发货明细-{bulk_order}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    response["Cache-Control"] = "private, no-store"
    return response
