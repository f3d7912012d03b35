"""采购单 (bulk orders) in the branch portal: the branch's list with a create form, and one bulk order's page
to build it (quick order, recipient list upload with its progress), follow compliance, move it through the
workflow, pay it and ask for its invoice.

Thin: reading is storefront.bulk_portal, every change is a bulk_orders service, which checks who may do
it. A person who may not see the branch gets a 403 page in Chinese; a refusal by a service is a message
on the page, never a 500.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import File
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from bulk_orders import invoices, services
from bulk_orders.models import BulkOrderStatus, RecipientImport
from mall.errors import DomainError, PermissionDenied
from storefront import bulk_portal
from storefront.bulk_forms import (
    BulkOrderCreateForm,
    CancelForm,
    CommentForm,
    DeleteLineForm,
    InvoiceRequestForm,
    QuickOrderForm,
    RecipientUploadForm,
    RejectForm,
    StatusFilterForm,
)
from storefront.messages import service_message
from storefront.views import not_found

NOT_YOUR_BRANCH = "你没有查看该工会组织采购单的权限：工作人员只能查看本级及下级工会的采购单。"


def _forbidden(request, message: str):
    return render(request, "storefront/relief/forbidden.html", {"message": message}, status=403)


def _branch(request, code):
    """(branch, None), or (None, the 404 or 403 response)."""
    branch = bulk_portal.branch_by_code(code)
    if branch is None:
        return None, not_found(request, "找不到这个工会组织。")
    if not bulk_portal.may_see(request.user, branch):
        return None, _forbidden(request, NOT_YOUR_BRANCH)
    return branch, None


def _bulk_order(request, code, number):
    """(bulk order, None), or (None, the 404 or 403 response)."""
    branch, refused = _branch(request, code)
    if refused:
        return None, refused
    bulk_order = bulk_portal.bulk_order_of(branch, number)
    if bulk_order is None:
        return None, not_found(request, "找不到这张采购单。")
    return bulk_order, None


# --- /branch/<code>/bulk/ -------------------------------------------------------------------------
def _list_page(request, branch, *, create_form=None, status=200):
    filter_form = StatusFilterForm(request.GET or None)
    chosen = ""
    if filter_form.is_bound:
        if filter_form.is_valid():
            chosen = filter_form.cleaned_data["status"]
        else:
            messages.warning(request, "状态筛选无效，已显示全部采购单。")
    page = Paginator(bulk_portal.bulk_orders_of(branch, chosen), bulk_portal.PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({"status": chosen}) if chosen else ""
    context = {
        "branch": branch,
        "page": page,
        "filter_form": filter_form,
        "status": chosen,
        "query": query,
        "create_form": create_form or BulkOrderCreateForm(),
        "may_create": bulk_portal.may_create(request.user, branch),
    }
    return render(request, "storefront/bulk/list.html", context, status=status)


@require_safe
@login_required
def bulk_list(request, code):
    branch, refused = _branch(request, code)
    return refused or _list_page(request, branch)


@require_POST
@login_required
def bulk_create(request, code):
    branch, refused = _branch(request, code)
    if refused:
        return refused
    form = BulkOrderCreateForm(request.POST)
    if not form.is_valid():
        return _list_page(request, branch, create_form=form, status=400)
    try:
        bulk_order = services.create_bulk_order(
            branch=branch, name=form.cleaned_data["name"], note=form.cleaned_data["note"], by=request.user
        )
    except PermissionDenied as error:
        return _forbidden(request, service_message(error))
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, service_message(error))
        return _list_page(request, branch, create_form=form, status=400)
    messages.success(request, f"已创建采购单 {bulk_order}，请添加商品或上传收件人名单。")
    return redirect("storefront:bulk_detail", code=branch.code, number=bulk_order.number)


# --- /branch/<code>/bulk/<number>/ -------------------------------------------------------------------
def _detail_page(request, bulk_order, *, status=200, **forms):
    page = bulk_portal.detail_page(bulk_order, request.user, delivery_page=request.GET.get("delivery_page"))
    invoice = page.invoice
    initial_invoice = (
        {
            name: getattr(invoice, name)
            for name in ("title", "taxpayer_number", "address", "phone", "bank_name", "bank_account", "email")
        }
        if invoice
        else {"title": bulk_order.branch.name}
    )
    context = {
        "page": page,
        "bulk_order": bulk_order,
        "branch": bulk_order.branch,
        "quick_order_form": forms.get("quick_order_form") or QuickOrderForm(),
        "upload_form": forms.get("upload_form") or RecipientUploadForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "invoice_form": forms.get("invoice_form") or InvoiceRequestForm(initial=initial_invoice),
        "edit_form": forms.get("edit_form")
        or BulkOrderCreateForm(prefix="edit", initial={"name": bulk_order.name, "note": bulk_order.note}),
        "Status": BulkOrderStatus,
    }
    return render(request, "storefront/bulk/detail.html", context, status=status)


@require_safe
@login_required
def bulk_detail(request, code, number):
    bulk_order, refused = _bulk_order(request, code, number)
    return refused or _detail_page(request, bulk_order)


def _back(bulk_order, anchor: str = ""):
    return redirect(bulk_portal.detail_url(bulk_order) + (f"#{anchor}" if anchor else ""))


@require_POST
@login_required
def bulk_quick_order(request, code, number):
    bulk_order, refused = _bulk_order(request, code, number)
    if refused:
        return refused
    form = QuickOrderForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, bulk_order, status=400, quick_order_form=form)
    parsed = form.cleaned_data["lines"]
    try:
        services.add_lines(bulk_order, [(sku, quantity) for _number, sku, quantity in parsed], by=request.user)
    except PermissionDenied as error:
        return _forbidden(request, service_message(error))
    except DomainError as error:
        if error.code == "INVALID_STATUS":  # the form is gone from the page: say it at the top
            messages.error(request, service_message(error))
            return _back(bulk_order)
        for message in _line_errors(error, parsed):
            form.add_error("lines", message)
        return _detail_page(request, bulk_order, status=400, quick_order_form=form)
    units = sum(quantity for _number, _sku, quantity in parsed)
    messages.success(request, f"已添加 {len(parsed)} 行、共 {units} 件商品。")
    return _back(bulk_order, "lines")


@require_POST
@login_required
def bulk_lines_delete(request, code, number):
    """删除: remove one quick-order line of a draft (delete_lines checks who and when)."""
    bulk_order, refused = _bulk_order(request, code, number)
    if refused:
        return refused
    form = DeleteLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要删除的商品。")
        return _back(bulk_order, "lines")
    try:
        services.delete_lines(bulk_order, [form.cleaned_data["line"]], by=request.user)
    except PermissionDenied as error:
        return _forbidden(request, service_message(error))
    except DomainError as error:
        messages.error(request, service_message(error))
        return _back(bulk_order, "lines")
    messages.success(request, "已从采购单删除该商品。")
    return _back(bulk_order, "lines")


def _line_errors(error: DomainError, parsed) -> list[str]:
    """The service's refusal, put on each pasted line whose SKU it names: “第 3 行（APPLE）：找不到该 SKU。”"""
    reasons = {
        "UNKNOWN_SKU": "找不到该 SKU 或礼包编码",
        "PRODUCT_NOT_PUBLISHED": "该商品未上架或已停售",
        "INVALID_QUANTITY": "数量超出范围",
    }
    named = set(error.extra.get("skus") or ())
    reason = reasons.get(error.code)
    if not named or reason is None:
        return [service_message(error)]
    return [f"第 {number} 行（{sku}）：{reason}。" for number, sku, _quantity in parsed if sku.strip() in named]


@require_POST
@login_required
def bulk_import_upload(request, code, number):
    bulk_order, refused = _bulk_order(request, code, number)
    if refused:
        return refused
    form = RecipientUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, bulk_order, status=400, upload_form=form)
    try:
        _start_import(bulk_order, form.cleaned_data["file"], request.user, form.cleaned_data["drop_bad_rows"])
    except PermissionDenied as error:
        return _forbidden(request, service_message(error))
    except DomainError as error:
        if error.code == "INVALID_STATUS":
            messages.error(request, service_message(error))
            return _back(bulk_order)
        form.add_error("file", service_message(error))
        return _detail_page(request, bulk_order, status=400, upload_form=form)
    return _back(bulk_order, "recipients")


def _start_import(bulk_order, uploaded_file, user, drop_bad_rows: bool) -> RecipientImport:
    """Keep the file and have the Celery task check and import it once this request commits (in this
    process when no broker is configured); the page then follows its progress."""
    from bulk_orders.tasks import import_recipients

    with transaction.atomic():
        started = services.start_recipient_import(bulk_order, uploaded_file, by=user, drop_bad_rows=drop_bad_rows)
        transaction.on_commit(lambda: import_recipients.delay(str(started.pk)))
    return started


@require_POST
@login_required
def bulk_import_drop_bad_rows(request, code, number, import_id):
    """Import the good rows of a failed upload, from the file already kept: no second upload."""
    bulk_order, refused = _bulk_order(request, code, number)
    if refused:
        return refused
    failed = RecipientImport.objects.filter(
        pk=import_id, bulk_order=bulk_order, status=RecipientImport.Status.FAILED
    ).first()
    if failed is None:
        messages.error(request, "找不到这次未通过校验的上传，请重新上传收件人名单。")
        return _back(bulk_order, "recipients")
    try:
        with failed.file.open("rb") as stored:
            _start_import(bulk_order, File(stored, name=failed.file_name), request.user, drop_bad_rows=True)
    except PermissionDenied as error:
        return _forbidden(request, service_message(error))
    except DomainError as error:
        messages.error(request, service_message(error))
    except OSError:
        messages.error(request, "原文件已无法读取，请重新上传收件人名单。")
    return _back(bulk_order, "recipients")


@require_safe
@login_required
def bulk_import_status(request, code, number, import_id):
    bulk_order, refused = _bulk_order(request, code, number)
    if refused:
        return JsonResponse({"error": "没有权限或采购单不存在。"}, status=refused.status_code)
    recipient_import = RecipientImport.objects.filter(pk=import_id, bulk_order=bulk_order).first()
    if recipient_import is None:
        return JsonResponse({"error": "找不到这次上传。"}, status=404)
    return JsonResponse(bulk_portal.import_status(recipient_import))


@require_safe
@login_required
def bulk_compliance(request, code, number):
    bulk_order, refused = _bulk_order(request, code, number)
    if refused:
        return JsonResponse({"error": "没有权限或采购单不存在。"}, status=refused.status_code)
    return JsonResponse(bulk_portal.compliance_status(bulk_order))


@require_POST
@login_required
def bulk_update(request, code, number):
    """Rename a draft or change its note (update_bulk_order)."""
    bulk_order, refused = _bulk_order(request, code, number)
    if refused:
        return refused
    form = BulkOrderCreateForm(request.POST, prefix="edit")
    if not form.is_valid():
        return _detail_page(request, bulk_order, status=400, edit_form=form)
    try:
        services.update_bulk_order(
            bulk_order, name=form.cleaned_data["name"], note=form.cleaned_data["note"], by=request.user
        )
    except PermissionDenied as error:
        return _forbidden(request, service_message(error))
    except DomainError as error:
        messages.error(request, service_message(error))
        return _back(bulk_order)
    messages.success(request, "已保存名称和备注。")
    return _back(bulk_order)


# --- Workflow buttons -------------------------------------------------------------------------------
DONE_MESSAGES = {
    "submit": "已提交审批。",
    "approve": "已批准，经办人可以下单了。",
    "reject": "已驳回。",
    "place": "已下单，库存已锁定。请按付款说明转账。",
    "cancel": "采购单已取消。",
}


@require_POST
@login_required
def bulk_transition(request, code, number, action):
    bulk_order, refused = _bulk_order(request, code, number)
    if refused:
        return refused
    if action not in DONE_MESSAGES:
        return not_found(request)
    comment_form = CommentForm(request.POST)
    comment = comment_form.cleaned_data["comment"] if comment_form.is_valid() else ""
    if action == "reject":
        reject_form = RejectForm(request.POST)
        if not reject_form.is_valid():
            return _detail_page(request, bulk_order, status=400, reject_form=reject_form)
    if action == "cancel":
        cancel_form = CancelForm(request.POST)
        if not cancel_form.is_valid():
            return _detail_page(request, bulk_order, status=400, cancel_form=cancel_form)
        comment = cancel_form.cleaned_data["reason"] or "经办人在工作台取消"
    try:
        if action == "submit":
            services.submit(bulk_order, by=request.user, comment=comment)
        elif action == "approve":
            services.approve(bulk_order, by=request.user, comment=comment)
        elif action == "reject":
            services.reject(bulk_order, by=request.user, reason=reject_form.cleaned_data["reason"])
        elif action == "place":
            services.place(bulk_order, by=request.user)
        else:
            services.cancel(bulk_order, by=request.user, reason=comment)
    except PermissionDenied as error:
        return _forbidden(request, service_message(error))
    except DomainError as error:
        messages.error(request, service_message(error))
        return _back(bulk_order, "actions")
    messages.success(request, DONE_MESSAGES[action])
    return _back(bulk_order)


@require_POST
@login_required
def bulk_invoice(request, code, number):
    bulk_order, refused = _bulk_order(request, code, number)
    if refused:
        return refused
    form = InvoiceRequestForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, bulk_order, status=400, invoice_form=form)
    try:
        invoices.request_invoice(bulk_order, by=request.user, **form.cleaned_data)
    except PermissionDenied as error:
        return _forbidden(request, service_message(error))
    except DomainError as error:
        if error.code == "INVALID_STATUS":
            messages.error(request, service_message(error))
            return _back(bulk_order, "invoice")
        form.add_error(error.field if error.field in form.fields else None, service_message(error))
        return _detail_page(request, bulk_order, status=400, invoice_form=form)
    messages.success(request, "发票申请已提交，开具后将发送到接收邮箱。")
    return _back(bulk_order, "invoice")
