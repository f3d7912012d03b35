"""Invoice requests (发票申请) of bulk orders: a branch's clerk or approver asks for a VAT invoice, operators
issue it, send it, or void it.

Taxpayer numbers: only the 18-character unified social credit code (统一社会信用代码, GB 32100-2015) is
accepted, with its check character verified (stdnum.cn.uscc). The legacy 15-, 17- and 20-character tax
registration numbers stopped being issued in 2015 and every union branch (a legal person) has had a
unified code since the 2017 deadline; a legacy number is refused with a message that says which number
to use, rather than risk an invoice the tax system rejects.
"""

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from branches.models import BranchRole
from bulk_orders.models import BulkOrder, BulkOrderStatus, InvoiceRequest
from mall.errors import DomainError, PermissionDenied
from mall.permissions import PermissionEnum, require_authenticated, require_permissions

LEGACY_LENGTHS = (15, 17, 20)
# An invoice can be asked for once the order is placed (units often need it to pay), not before.
INVOICEABLE_STATUSES = (BulkOrderStatus.PLACED, BulkOrderStatus.PAID, BulkOrderStatus.FULFILLED)
REQUESTING_ROLES = (BranchRole.Role.CLERK, BranchRole.Role.APPROVER)
Status = InvoiceRequest.Status


def clean_taxpayer_number(value) -> str:
    """The unified social credit code in its compact form (upper case, no spaces or dashes), or a
    DomainError saying in Chinese what is wrong with it."""
    number = uscc.compact(value or "")
    if not number:
        raise DomainError("请填写纳税人识别号（统一社会信用代码）。", field="taxpayer_number", code="REQUIRED")
    if len(number) in LEGACY_LENGTHS:
        raise DomainError(
            f"这是旧版{len(number)}位税号，已停止使用，请填写18位统一社会信用代码（见营业执照或登记证书）。",
            field="taxpayer_number",
            code="INVALID_TAXPAYER_NUMBER",
        )
    try:
        return uscc.validate(number)
    except InvalidLength as error:
        message = f"纳税人识别号应为18位统一社会信用代码，您填写了{len(number)}位。"
        raise _taxpayer_error(message) from error
    except (InvalidFormat, InvalidComponent) as error:
        message = "纳税人识别号含有无效字符：统一社会信用代码只用数字和大写字母（不含 I、O、Z、S、V）。"
        raise _taxpayer_error(message) from error
    except InvalidChecksum as error:
        raise _taxpayer_error("纳税人识别号校验位不正确，请核对是否抄错。") from error
    except ValidationError as error:
        raise _taxpayer_error("纳税人识别号不是有效的统一社会信用代码。") from error


def _taxpayer_error(message: str) -> DomainError:
    return DomainError(message, field="taxpayer_number", code="INVALID_TAXPAYER_NUMBER")


def may_request_invoice(user, bulk_order: BulkOrder) -> bool:
    """A clerk or approver of the bulk order's branch, or of a branch above it (a role reaches down)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    paths = BranchRole.objects.filter(user=user, role__in=REQUESTING_ROLES).values_list("branch__path", flat=True)
    return any(bulk_order.branch.path.startswith(path) for path in paths)


def _required(value, *, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"请填写{label}。", field=field, code="REQUIRED")
    if len(value) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 个字符。", field=field, code="INVALID")
    return value


def request_invoice(
    bulk_order: BulkOrder,
    *,
    title: str,
    taxpayer_number: str,
    email: str,
    address: str = "",
    phone: str = "",
    bank_name: str = "",
    bank_account: str = "",
    by,
) -> InvoiceRequest:
    """Ask for (or, while it is still REQUESTED, correct) the invoice of `bulk_order`. One request per
    bulk order; a voided (CANCELED) one may be asked for again, an issued or sent one no longer changes."""
    require_authenticated(by)
    if not may_request_invoice(by, bulk_order):
        raise PermissionDenied(message="只有本工会的经办人或审批人可以申请发票。")
    fields = {
        "title": _required(title, field="title", label="发票抬头", max_length=200),
        "taxpayer_number": clean_taxpayer_number(taxpayer_number),
        "email": _required(email, field="email", label="接收邮箱", max_length=254),
        "address": (address or "").strip(),
        "phone": (phone or "").strip(),
        "bank_name": (bank_name or "").strip(),
        "bank_account": (bank_account or "").strip(),
    }
    with transaction.atomic():
        bulk_order = BulkOrder.objects.select_for_update().get(pk=bulk_order.pk)
        if bulk_order.status not in INVOICEABLE_STATUSES:
            raise DomainError(
                f"采购单当前状态为「{bulk_order.get_status_display()}」，下单后才能申请发票。",
                field="id",
                code="INVALID_STATUS",
            )
        invoice = InvoiceRequest.objects.filter(bulk_order=bulk_order).first()
        if invoice is not None and invoice.status in (Status.ISSUED, Status.SENT):
            raise DomainError("发票已开具，不能再修改申请；如需重开请联系运营作废后再申请。", code="INVALID_STATUS")
        if invoice is None:
            invoice = InvoiceRequest(bulk_order=bulk_order)
        for name, value in fields.items():
            setattr(invoice, name, value)
        invoice.status = Status.REQUESTED
        invoice.invoice_number = ""
        invoice.issued_at = None
        invoice.requested_by = by
        invoice.full_clean()
        invoice.save()
    return invoice


def _locked(invoice: InvoiceRequest) -> InvoiceRequest:
    return InvoiceRequest.objects.select_for_update().get(pk=invoice.pk)


def _refuse(invoice: InvoiceRequest, action: str) -> DomainError:
    return DomainError(
        f"发票申请当前为「{invoice.get_status_display()}」，不能{action}。", field="status", code="INVALID_STATUS"
    )


def mark_issued(invoice: InvoiceRequest, *, invoice_number: str, by) -> InvoiceRequest:
    """An operator issued the invoice: record its number (REQUESTED → ISSUED)."""
    require_permissions(by, PermissionEnum.MANAGE_ORDERS)
    number = _required(invoice_number, field="invoice_number", label="发票号码", max_length=64)
    with transaction.atomic():
        invoice = _locked(invoice)
        if invoice.status != Status.REQUESTED:
            raise _refuse(invoice, "开具")
        invoice.status = Status.ISSUED
        invoice.invoice_number = number
        invoice.issued_at = timezone.now()
        invoice.save(update_fields=["status", "invoice_number", "issued_at", "updated_at"])
    return invoice


def mark_sent(invoice: InvoiceRequest, *, by) -> InvoiceRequest:
    """The issued invoice went to the branch's e-mail (ISSUED → SENT)."""
    require_permissions(by, PermissionEnum.MANAGE_ORDERS)
    with transaction.atomic():
        invoice = _locked(invoice)
        if invoice.status != Status.ISSUED:
            raise _refuse(invoice, "标记为已发送")
        invoice.status = Status.SENT
        invoice.save(update_fields=["status", "updated_at"])
    return invoice


def cancel(invoice: InvoiceRequest, *, by) -> InvoiceRequest:
    """Void the request or the invoice (作废 / 红冲); the branch may then ask again."""
    require_permissions(by, PermissionEnum.MANAGE_ORDERS)
    with transaction.atomic():
        invoice = _locked(invoice)
        if invoice.status == Status.CANCELED:
            raise _refuse(invoice, "再次作废")
        invoice.status = Status.CANCELED
        invoice.save(update_fields=["status", "updated_at"])
    return invoice
