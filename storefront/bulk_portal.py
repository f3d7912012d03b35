"""What the branch portal's bulk order pages (采购单) show, read in a fixed number of queries whatever the
number of lines, recipients or bulk orders: who may see and do what, the priced items, the compliance
findings, the timeline, the latest recipient import, payment and invoice. Reads only; changes go through
bulk_orders.services, bulk_orders.payments and bulk_orders.invoices."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.urls import reverse

from branches.models import BranchRole, UnionBranch
from branches.selectors import can_see_branch
from bulk_orders import compliance
from bulk_orders.delivery import (
    BRANCH_DESTINATION_NAME,
    DeliveryProgress,
    RecipientDelivery,
    deliveries,
    delivery_progress,
    mask_mobile,
)
from bulk_orders.delivery import items_of as recipient_items
from bulk_orders.models import (
    BulkOrder,
    BulkOrderStatus,
    BulkOrderTransition,
    BulkRecipient,
    InvoiceRequest,
    RecipientImport,
)
from bulk_orders.payments import payment_summary
from bulk_orders.pricing import price_bulk_order
from bulk_orders.services.workflow import CANCELABLE, is_bulk_operator, roles_over
from payments.gateway import stripe_enabled
from storefront import buying

Role = BranchRole.Role
PER_PAGE = 20
DELIVERY_PER_PAGE = 20
# The delivery panel shows from placing on: stock is held and parcels are (or will be) on their way.
DELIVERY_SHOWN = (BulkOrderStatus.PLACED, BulkOrderStatus.PAID, BulkOrderStatus.FULFILLED)
MAX_NUMBER = 2**63 - 1
ACTIVE_IMPORT = (RecipientImport.Status.PENDING, RecipientImport.Status.RUNNING)
# What the payment panel says, by how much has come in.
PAYMENT_UNPAID, PAYMENT_PARTIAL, PAYMENT_PAID, PAYMENT_OVERPAID = "待付款", "部分到账", "已支付", "已支付（多付）"


def branch_by_code(code: str) -> UnionBranch | None:
    return UnionBranch.objects.filter(code=code).first()


def may_see(user, branch: UnionBranch) -> bool:
    """The branch's staff, staff of a branch above it, and operators read its bulk orders."""
    return can_see_branch(user, branch)


def may_create(user, branch: UnionBranch) -> bool:
    """Clerks and approvers of the branch (or above it) and operators: what create_bulk_order allows."""
    return bool(roles_over(user, branch) & {Role.CLERK, Role.APPROVER}) or is_bulk_operator(user)


def bulk_orders_of(branch: UnionBranch, status: str = ""):
    """The branch's own bulk orders, newest first (one query a page: only the columns the list shows)."""
    queryset = BulkOrder.objects.filter(branch=branch).only(
        "id", "number", "name", "status", "total_amount", "currency", "created_at", "branch_id"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-number")


def bulk_order_of(branch: UnionBranch, number) -> BulkOrder | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    if not 0 < number <= MAX_NUMBER:  # a number past bigint would be a database error, not a missing order
        return None
    return (
        BulkOrder.objects.select_related(
            "branch", "channel", "order__user", "created_by", "submitted_by", "approved_by"
        )
        .filter(branch=branch, number=number)
        .first()
    )


def detail_url(bulk_order: BulkOrder) -> str:
    return reverse("storefront:bulk_detail", kwargs={"code": bulk_order.branch.code, "number": bulk_order.number})


# --- Who may do what ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Abilities:
    """The buttons the page shows. The services check again: a hidden button is a courtesy, not the rule."""

    edit: bool  # clerk or approver of the branch (or above), or an operator
    approve: bool  # an approver of the branch who did not submit it
    submitter_waits: bool  # the approver who submitted it: told another approver must approve

    @classmethod
    def of(cls, user, bulk_order: BulkOrder) -> "Abilities":
        roles = roles_over(user, bulk_order.branch)
        edit = bool(roles & {Role.CLERK, Role.APPROVER}) or is_bulk_operator(user)
        is_approver = Role.APPROVER in roles
        submitted_by_them = bulk_order.submitted_by_id == user.pk
        return cls(
            edit=edit,
            approve=is_approver and not submitted_by_them,
            submitter_waits=is_approver and submitted_by_them,
        )


# --- The detail page -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One row of the lines table: a variant or a gift pack, all its lines (quick order and list) together.
    A variant's volume discount is reached by its total quantity, so its unit price is one figure."""

    sku: str
    name: str
    is_pack: bool
    quantity: int
    list_price: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    total: Decimal
    # The branch's own quick-order line of this item, which a draft's 删除 button removes (add_lines keeps
    # one per item); a recipient list's lines are replaced by uploading the list again.
    quick_line_id: int | None = None
    quick_quantity: int = 0

    @property
    def only_quick_order(self) -> bool:
        return self.quick_quantity == self.quantity

    @property
    def discount_label(self) -> str:
        """5% or 8.5%: no trailing zeros."""
        return f"{self.discount_percent.normalize():f}%" if self.discount_percent else ""


@dataclass(frozen=True)
class ImportView:
    recipient_import: RecipientImport
    percent: int
    good_rows: int
    bad_rows: int

    @property
    def active(self) -> bool:
        return self.recipient_import.status in ACTIVE_IMPORT

    @property
    def failed(self) -> bool:
        return self.recipient_import.status == RecipientImport.Status.FAILED

    @property
    def row_errors(self) -> list[dict]:
        return self.recipient_import.errors or []

    @property
    def may_drop_bad_rows(self) -> bool:
        """Failed for bad rows (not for the file as a whole), and some rows are good."""
        return self.failed and self.good_rows > 0 and all(error.get("row") for error in self.row_errors)


def import_view(recipient_import: RecipientImport | None) -> ImportView | None:
    if recipient_import is None:
        return None
    total, processed = recipient_import.total_rows, recipient_import.processed_rows
    finished = recipient_import.status not in ACTIVE_IMPORT
    percent = 100 if finished else (processed * 100 // total if total else 0)
    bad = len({error["row"] for error in recipient_import.errors or [] if error.get("row")})
    return ImportView(recipient_import, percent, max(total - bad, 0), bad)


def import_status(recipient_import: RecipientImport) -> dict:
    """What the progress bar's script reads (the JSON status endpoint)."""
    view = import_view(recipient_import)
    return {
        "id": str(recipient_import.pk),
        "status": recipient_import.status,
        "statusDisplay": recipient_import.get_status_display(),
        "totalRows": recipient_import.total_rows,
        "processedRows": recipient_import.processed_rows,
        "percent": view.percent,
        "finished": not view.active,
        "badRows": view.bad_rows,
        "errors": recipient_import.errors or [],
    }


@dataclass(frozen=True)
class PaymentView:
    summary: object  # bulk_orders.payments.PaymentSummary
    label: str
    pay_url: str  # 在线支付: the member pay page of the order, for the person it belongs to; else ""
    pay_note: str


def _payment(bulk_order: BulkOrder, user) -> PaymentView | None:
    order = bulk_order.order
    if order is None or bulk_order.status == BulkOrderStatus.CANCELED:
        return None
    summary = payment_summary(bulk_order)
    if summary.overpaid:
        label = PAYMENT_OVERPAID
    elif summary.paid and not summary.due:
        label = PAYMENT_PAID
    elif summary.paid:
        label = PAYMENT_PARTIAL
    else:
        label = PAYMENT_UNPAID
    pay_url, pay_note = "", ""
    if bulk_order.status == BulkOrderStatus.PLACED and buying.awaiting_payment(order) and stripe_enabled():
        if order.user_id == user.pk:
            pay_url = buying.pay_url(order)
        else:
            pay_note = f"在线支付需由下单人（{order.user.get_full_name() if order.user else '创建人'}）登录后操作。"
    return PaymentView(summary, label, pay_url, pay_note)


@dataclass(frozen=True)
class DeliveryRow:
    """One destination of the delivery panel: a recipient (mobile masked) or the branch's own goods."""

    name: str
    mobile: str
    items: list[str]
    delivery: RecipientDelivery


@dataclass(frozen=True)
class DeliveryView:
    progress: DeliveryProgress
    branch_row: DeliveryRow | None  # the branch's quick-order goods, shown above the recipients
    page: Page  # of DeliveryRow: the recipients in row order

    @property
    def percent_shipped(self) -> int:
        return self.progress.shipped * 100 // self.progress.total if self.progress.total else 0


def delivery_view(bulk_order: BulkOrder, items: list[Item], page_number=None) -> DeliveryView | None:
    """Progress and one page of recipients with their status and tracking numbers: seven queries, whatever
    the number of recipients (the statuses of all destinations are summed in SQL, once)."""
    if bulk_order.status not in DELIVERY_SHOWN:
        return None
    found = deliveries(bulk_order_id=bulk_order.pk)
    progress = delivery_progress(bulk_order, found=found)
    recipients = BulkRecipient.objects.filter(bulk_order=bulk_order).only("pk", "name", "phone", "row_number")
    page = Paginator(recipients.order_by("row_number", "pk"), DELIVERY_PER_PAGE).get_page(page_number)
    shown = list(page.object_list)
    things = recipient_items([recipient.pk for recipient in shown])
    page.object_list = [
        DeliveryRow(
            name=recipient.name,
            mobile=mask_mobile(recipient.phone),
            items=things[recipient.pk],
            delivery=found.get(recipient.pk, RecipientDelivery()),
        )
        for recipient in shown
    ]
    branch_row = None
    if None in found:
        own = [f"{item.name} ×{item.quick_quantity}" for item in items if item.quick_quantity]
        branch_row = DeliveryRow(name=BRANCH_DESTINATION_NAME, mobile="", items=own, delivery=found[None])
    return DeliveryView(progress=progress, branch_row=branch_row, page=page)


@dataclass(frozen=True)
class DetailPage:
    bulk_order: BulkOrder
    abilities: Abilities
    items: list[Item]
    total: Decimal
    undiscounted_total: Decimal
    line_count: int
    recipient_count: int
    findings: list
    compliance_ok: bool
    transitions: list[BulkOrderTransition]
    latest_import: ImportView | None
    payment: PaymentView | None
    invoice: InvoiceRequest | None
    delivery: DeliveryView | None = None

    @property
    def is_draft(self) -> bool:
        return self.bulk_order.status == BulkOrderStatus.DRAFT

    @property
    def may_submit(self) -> bool:
        return self.is_draft and self.abilities.edit

    @property
    def may_decide(self) -> bool:
        return self.bulk_order.status == BulkOrderStatus.SUBMITTED and self.abilities.approve

    @property
    def may_place(self) -> bool:
        return self.bulk_order.status == BulkOrderStatus.APPROVED and self.abilities.edit

    @property
    def may_cancel(self) -> bool:
        if not self.abilities.edit or self.bulk_order.status not in CANCELABLE:
            return False
        return self.payment is None or not self.payment.summary.paid

    @property
    def may_request_invoice(self) -> bool:
        invoiceable = (BulkOrderStatus.PLACED, BulkOrderStatus.PAID, BulkOrderStatus.FULFILLED)
        if not self.abilities.edit or self.bulk_order.status not in invoiceable:
            return False
        return self.invoice is None or self.invoice.status in (
            InvoiceRequest.Status.REQUESTED,
            InvoiceRequest.Status.CANCELED,
        )


def items_of(lines, prices) -> list[Item]:
    items: dict[tuple, dict] = {}
    for line in lines:
        price = prices.lines[line.pk]
        if line.variant_id:
            key = ("variant", line.variant_id)
            sku, name, is_pack = line.variant.sku, _variant_name(line.variant), False
        else:
            key = ("pack", line.gift_pack_id)
            sku, name, is_pack = line.gift_pack.sku, line.gift_pack.name, True
        entry = items.setdefault(
            key, {"sku": sku, "name": name, "is_pack": is_pack, "quantity": 0, "total": Decimal("0"), "price": price}
        )
        entry["quantity"] += line.quantity
        entry["total"] += price.total
        if line.recipient_id is None:
            entry["quick_line_id"] = line.pk
            entry["quick_quantity"] = entry.get("quick_quantity", 0) + line.quantity
    return [
        Item(
            sku=entry["sku"],
            name=entry["name"],
            is_pack=entry["is_pack"],
            quantity=entry["quantity"],
            list_price=entry["price"].undiscounted_unit_price,
            unit_price=entry["price"].unit_price,
            discount_percent=entry["price"].discount_percent,
            total=entry["total"],
            quick_line_id=entry.get("quick_line_id"),
            quick_quantity=entry.get("quick_quantity", 0),
        )
        for entry in items.values()
    ]


def _variant_name(variant) -> str:
    product = variant.product.name
    return f"{product}（{variant.name}）" if variant.name and variant.name != product else product


def detail_page(bulk_order: BulkOrder, user, *, delivery_page=None) -> DetailPage:
    # The import is read before the lines: its worker commits status and lines together, and each of these
    # queries sees what was committed before it began. Read the other way round, a page rendered while the
    # worker commits could show the import finished (so the script stops polling) with the lines before it.
    latest = RecipientImport.objects.filter(bulk_order=bulk_order).order_by("-created_at").first()
    lines, prices = price_bulk_order(bulk_order)
    items = items_of(lines, prices)
    findings = compliance.check(bulk_order)
    return DetailPage(
        bulk_order=bulk_order,
        abilities=Abilities.of(user, bulk_order),
        items=items,
        total=prices.total,
        undiscounted_total=prices.undiscounted_total,
        line_count=len(lines),
        recipient_count=BulkRecipient.objects.filter(bulk_order=bulk_order).count(),
        findings=findings,
        compliance_ok=not compliance.failures(findings),
        transitions=list(BulkOrderTransition.objects.filter(bulk_order=bulk_order).select_related("user")),
        latest_import=import_view(latest),
        payment=_payment(bulk_order, user),
        invoice=InvoiceRequest.objects.filter(bulk_order=bulk_order).first(),
        delivery=delivery_view(bulk_order, items, delivery_page),
    )


def compliance_status(bulk_order: BulkOrder) -> dict:
    """What the live compliance panel's script reads (the JSON endpoint)."""
    findings = compliance.check(bulk_order)
    return {
        "ok": not compliance.failures(findings),
        "findings": [{"rule": finding.rule, "ok": finding.ok, "message": finding.message} for finding in findings],
    }
