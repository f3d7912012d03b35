"""Documents of approved bulk orders: the public notice pages (公示, no login) and the purchase plan
download (采购计划, branch staff and operators).

Thin: which orders have a notice and what it shows is bulk_orders.notices', the plan file is
bulk_orders.purchase_plan's, who sees a branch is branches.selectors'.
"""

from decimal import Decimal
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from branches.selectors import can_see_branch
from bulk_orders import notices, purchase_plan
from storefront.views import not_found

NOTICES_PER_PAGE = 20


# --- /bulk/notice/ ---------------------------------------------------------------------------------
@require_safe
def notice_index(request):
    paginator = Paginator(notices.public_notices(), NOTICES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "storefront/bulk/notice_index.html", {"page": page, "paginator": paginator})


# --- /bulk/notice/<number>/ ------------------------------------------------------------------------
@require_safe
def notice(request, number: str):
    bulk_order = notices.public_notice(number)
    if bulk_order is None:
        return not_found(request, "找不到这份采购公示：采购单不存在，或尚未审批通过。")
    plan = bulk_order.purchase_plan
    context = {
        "bulk_order": bulk_order,
        "plan": plan,
        "approved_at": purchase_plan.approved_at(plan),
        "items": notices.notice_items(plan),
        "total": Decimal(plan["total"]),
    }
    return render(request, "storefront/bulk/notice.html", context)


# --- /branch/<code>/bulk/<number>/plan.xlsx -------------------------------------------------------
@require_safe
@login_required
def plan_xlsx(request, code: str, number: str):
    bulk_order = notices.branch_bulk_order(code, number)
    if bulk_order is None:
        return not_found(request, "找不到这张采购单。")
    if not can_see_branch(request.user, bulk_order.branch):
        return render(
            request,
            "storefront/bulk/notice_forbidden.html",
            {"message": "只有本工会及上级工会的工作人员可以下载采购计划。"},
            status=403,
        )
    if bulk_order.purchase_plan is None:
        return not_found(request, "采购单审批通过后才有采购计划。")
    response = HttpResponse(purchase_plan.xlsx_bytes(bulk_order.purchase_plan), content_type=purchase_plan.XLSX_TYPE)
    name = purchase_plan.filename(bulk_order.purchase_plan)
    response["Content-Disposition"] = (
        f"attachment; filename=\"purchase-plan-{bulk_order.number}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def plan_path(bulk_order) -> str:
    return reverse("storefront:bulk_plan_xlsx", kwargs={"code": bulk_order.branch.code, "number": str(bulk_order)})
