"""The bulk order workflow: draft → submitted → approved or rejected → placed → paid → fulfilled, or
canceled before it is paid. Every step is a BulkOrderTransition (who, when, from, to, comment).

Who may do what (a role reaches its branch and everything below it, as branches.models says):
- create, add or delete lines, update, submit, place, cancel: a CLERK or APPROVER of the branch, or an
  operator (MANAGE_BRANCHES);
- approve and reject: an APPROVER of the branch only — never an operator, never the submitter.

Approving freezes the lines' prices and writes the purchase plan (bulk_orders.purchase_plan), so
what was approved is what is placed and what the plan and the public notice show.

Approving locks the bulk order's row (SELECT ... FOR UPDATE): of two approvers at the same moment
the second waits, then finds it no longer SUBMITTED and gets INVALID_STATUS (“已被审批”); it is
approved once, with one transition.
"""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from branches.models import BranchRole
from branches.selectors import ancestor_paths
from bulk_orders import compliance, purchase_plan
from bulk_orders.models import BulkOrder, BulkOrderLine, BulkOrderStatus, BulkOrderTransition, GiftPack
from bulk_orders.pricing import freeze_prices, refresh_total
from bulk_orders.services.errors import BulkOrderError, status_error
from catalog.models import Channel, ProductChannelListing, ProductVariant
from mall.errors import AuthenticationRequired, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions

Role = BranchRole.Role
EDITOR_ROLES = (Role.CLERK, Role.APPROVER)
# No ambiguous characters (0/O, 1/I/L): the reference is typed into a bank transfer's remark.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_PREFIX = "GH"
REFERENCE_LENGTH = 8
CANCELABLE = (
    BulkOrderStatus.DRAFT,
    BulkOrderStatus.SUBMITTED,
    BulkOrderStatus.APPROVED,
    BulkOrderStatus.REJECTED,
    BulkOrderStatus.PLACED,
)
MAX_LINE_QUANTITY = 100_000


# --- Who may act -------------------------------------------------------------------------
def _authenticated(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise AuthenticationRequired()


def is_bulk_operator(user) -> bool:
    return has_permissions(user, [PermissionEnum.MANAGE_BRANCHES])


def roles_over(user, branch) -> set[str]:
    """The roles `user` holds on `branch` or a branch above it (one query)."""
    if user is None or not user.is_authenticated:
        return set()
    paths = [*ancestor_paths(branch.path), branch.path]
    return set(BranchRole.objects.filter(user=user, branch__path__in=paths).values_list("role", flat=True))


def check_editor(user, branch) -> None:
    _authenticated(user)
    if is_bulk_operator(user) or roles_over(user, branch) & set(EDITOR_ROLES):
        return
    raise PermissionDenied(message=f"只有“{branch.name}”的经办人或审批人可以办理采购单。")


def check_approver(user, bulk_order: BulkOrder) -> None:
    _authenticated(user)
    if Role.APPROVER not in roles_over(user, bulk_order.branch):
        raise PermissionDenied(message=f"只有“{bulk_order.branch.name}”的审批人可以审批采购单。")
    if bulk_order.submitted_by_id == user.pk:
        raise BulkOrderError("提交人不能审批自己提交的采购单，请由其他审批人审批。", field="id", code="SELF_APPROVAL")


# --- Helpers -------------------------------------------------------------------------------
def new_payment_reference() -> str:
    for _ in range(20):
        reference = REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not BulkOrder.objects.filter(payment_reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free payment reference.")  # pragma: no cover: 31^8 codes


def default_channel() -> Channel:
    channel = Channel.objects.filter(slug=settings.DEFAULT_CHANNEL_SLUG, is_active=True).first()
    if channel is None:
        raise BulkOrderError("商城默认销售渠道未启用，暂不能采购。", field="channel", code="INVALID")
    return channel


def record_transition(
    bulk_order: BulkOrder, to_status: str, *, by, comment: str = "", created: bool = False
) -> BulkOrderTransition:
    from_status = "" if created else bulk_order.status
    bulk_order.status = to_status
    return BulkOrderTransition.objects.create(
        bulk_order=bulk_order, from_status=from_status, to_status=to_status, user=by, comment=(comment or "")[:500]
    )


def locked(bulk_order: BulkOrder) -> BulkOrder:
    """The bulk order re-read under a row lock, with its branch (call inside a transaction)."""
    return BulkOrder.objects.select_for_update(of=("self",)).select_related("branch").get(pk=bulk_order.pk)


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise BulkOrderError("请填写采购单名称。", field="name", code="REQUIRED")
    if len(name) > 200:
        raise BulkOrderError("采购单名称不能超过 200 个字。", field="name", code="INVALID")
    return name


# --- Steps ---------------------------------------------------------------------------------
def create_bulk_order(*, branch, name: str, note: str = "", by) -> BulkOrder:
    check_editor(by, branch)
    with transaction.atomic():
        channel = default_channel()
        bulk_order = BulkOrder.objects.create(
            branch=branch,
            channel=channel,
            name=_clean_name(name),
            note=(note or "").strip(),
            currency=channel.currency_code,
            payment_reference=new_payment_reference(),
            created_by=by,
        )
        record_transition(bulk_order, BulkOrderStatus.DRAFT, by=by, comment="创建采购单", created=True)
    return bulk_order


def _check_draft(bulk_order: BulkOrder, action: str) -> None:
    if bulk_order.status != BulkOrderStatus.DRAFT:
        raise status_error(bulk_order, action)


def _resolve_skus(skus, channel) -> tuple[dict, dict]:
    """Variants and gift packs named by `skus` (two queries, three with the listings)."""
    variants = {v.sku: v for v in ProductVariant.objects.filter(sku__in=skus).select_related("product")}
    packs = {p.sku: p for p in GiftPack.objects.filter(sku__in=set(skus) - set(variants)).prefetch_related("items")}
    return variants, packs


def add_lines(bulk_order: BulkOrder, lines, *, by) -> BulkOrder:
    """Quick order: add `lines` [(sku, quantity)] for the branch itself. A SKU already on the order's
    quick-order lines has its quantity increased. Every SKU is checked first; nothing is added when any
    is unknown, unpublished or has a bad quantity, and the error names them all."""
    lines = [((sku or "").strip(), quantity) for sku, quantity in lines]
    with transaction.atomic():
        bulk_order = locked(bulk_order)
        check_editor(by, bulk_order.branch)
        _check_draft(bulk_order, "添加商品")
        if not lines:
            raise BulkOrderError("请至少填写一行 SKU 和数量。", field="lines", code="NO_LINES")
        bad_quantity = [
            sku for sku, quantity in lines if not isinstance(quantity, int) or not 0 < quantity <= MAX_LINE_QUANTITY
        ]
        if bad_quantity:
            raise BulkOrderError(
                f"数量须为 1 至 {MAX_LINE_QUANTITY} 的整数：{'、'.join(bad_quantity)}。",
                field="lines",
                code="INVALID_QUANTITY",
                skus=bad_quantity,
            )
        skus = list(dict.fromkeys(sku for sku, _ in lines))
        variants, packs = _resolve_skus(skus, bulk_order.channel)
        unknown = [sku for sku in skus if sku not in variants and sku not in packs]
        if unknown:
            raise BulkOrderError(
                f"找不到以下 SKU：{'、'.join(unknown)}。", field="lines", code="UNKNOWN_SKU", skus=unknown
            )
        unpublished = _unpublished(variants, packs, bulk_order.channel)
        if unpublished:
            raise BulkOrderError(
                f"以下商品未上架或已停售：{'、'.join(unpublished)}。",
                field="lines",
                code="PRODUCT_NOT_PUBLISHED",
                skus=unpublished,
            )
        wanted = {}
        for sku, quantity in lines:
            wanted[sku] = wanted.get(sku, 0) + quantity
        existing = {
            (line.variant_id, line.gift_pack_id): line
            for line in BulkOrderLine.objects.filter(bulk_order=bulk_order, recipient__isnull=True)
        }
        new, changed = [], []
        for sku, quantity in wanted.items():
            variant, pack = variants.get(sku), packs.get(sku)
            key = (variant.pk if variant else None, pack.pk if pack else None)
            if key in existing:
                existing[key].quantity += quantity
                changed.append(existing[key])
            else:
                new.append(BulkOrderLine(bulk_order=bulk_order, variant=variant, gift_pack=pack, quantity=quantity))
        if any(line.quantity > MAX_LINE_QUANTITY for line in changed):
            raise BulkOrderError(f"单个商品数量不能超过 {MAX_LINE_QUANTITY}。", field="lines", code="INVALID_QUANTITY")
        BulkOrderLine.objects.bulk_create(new)
        BulkOrderLine.objects.bulk_update(changed, ["quantity"])
        refresh_total(bulk_order)
    return bulk_order


def delete_lines(bulk_order: BulkOrder, line_ids, *, by) -> BulkOrder:
    """Remove quick-order lines from a draft (an editor of the branch). Every id must name a quick-order
    line of this bulk order; otherwise nothing is removed. A recipient list's lines are not removed one by
    one: re-uploading the list replaces them, so the list file stays what the order was built from. No
    transition is recorded: a draft's lines are not part of the workflow's history."""
    wanted = list(dict.fromkeys(line_ids or ()))
    with transaction.atomic():
        bulk_order = locked(bulk_order)
        check_editor(by, bulk_order.branch)
        _check_draft(bulk_order, "删除商品")
        if not wanted:
            raise BulkOrderError("请选择要删除的商品。", field="lines_ids", code="REQUIRED")
        found = dict(
            BulkOrderLine.objects.filter(bulk_order=bulk_order, pk__in=wanted).values_list("pk", "recipient_id")
        )
        if len(found) != len(wanted):
            raise BulkOrderError("要删除的商品不在这张采购单上，可能已被删除。", field="lines_ids", code="NOT_FOUND")
        if any(recipient_id is not None for recipient_id in found.values()):
            raise BulkOrderError(
                "收件人名单中的商品不能单独删除，请修改名单后重新上传（会替换之前导入的收件人）。",
                field="lines_ids",
                code="INVALID",
            )
        BulkOrderLine.objects.filter(pk__in=wanted).delete()
        refresh_total(bulk_order)
    return bulk_order


def _unpublished(variants: dict, packs: dict, channel) -> list[str]:
    """SKUs not for sale in `channel`: variants whose product is unpublished, inactive packs, and packs
    holding an unpublished product."""
    component_products = {item.variant.product_id for pack in packs.values() for item in pack.items.all()}
    product_ids = {variant.product_id for variant in variants.values()} | component_products
    published = set(
        ProductChannelListing.objects.filter(
            product_id__in=product_ids, channel=channel, is_published=True
        ).values_list("product_id", flat=True)
    )
    bad = [sku for sku, variant in variants.items() if variant.product_id not in published]
    for sku, pack in packs.items():
        if not pack.is_active or any(item.variant.product_id not in published for item in pack.items.all()):
            bad.append(sku)
    return bad


def update_bulk_order(bulk_order: BulkOrder, *, by, name=None, note=None, payment_method=None) -> BulkOrder:
    with transaction.atomic():
        bulk_order = locked(bulk_order)
        check_editor(by, bulk_order.branch)
        _check_draft(bulk_order, "修改")
        if name is not None:
            bulk_order.name = _clean_name(name)
        if note is not None:
            bulk_order.note = note.strip()
        if payment_method is not None:
            if payment_method not in BulkOrder.PaymentMethod.values:
                raise BulkOrderError("付款方式无效。", field="payment_method", code="INVALID")
            bulk_order.payment_method = payment_method
        bulk_order.save(update_fields=["name", "note", "payment_method", "updated_at"])
    return bulk_order


def submit(bulk_order: BulkOrder, *, by, comment: str = "") -> BulkOrder:
    """Send for approval, when every compliance rule passes; otherwise refuse, explaining each failure."""
    with transaction.atomic():
        bulk_order = locked(bulk_order)
        check_editor(by, bulk_order.branch)
        _check_draft(bulk_order, "提交")
        if not BulkOrderLine.objects.filter(bulk_order=bulk_order).exists():
            raise BulkOrderError("采购单还没有商品，不能提交。", field="lines", code="NO_LINES")
        refresh_total(bulk_order)
        failed = compliance.failures(compliance.check(bulk_order))
        if failed:
            raise BulkOrderError(
                "合规检查未通过：" + "；".join(finding.message for finding in failed),
                field="id",
                code="COMPLIANCE_FAILED",
            )
        bulk_order.submitted_by = by
        record_transition(bulk_order, BulkOrderStatus.SUBMITTED, by=by, comment=comment)
        bulk_order.save(update_fields=["status", "submitted_by", "total_amount", "updated_at"])
    return bulk_order


def approve(bulk_order: BulkOrder, *, by, comment: str = "") -> BulkOrder:
    with transaction.atomic():
        bulk_order = locked(bulk_order)
        check_approver(by, bulk_order)
        if bulk_order.status == BulkOrderStatus.APPROVED:
            raise BulkOrderError("采购单已被审批通过，无需重复审批。", field="id", code="INVALID_STATUS")
        if bulk_order.status != BulkOrderStatus.SUBMITTED:
            raise status_error(bulk_order, "审批")
        bulk_order.approved_by = by
        bulk_order.approved_at = timezone.now()
        # What the approver signs is kept as it is now: line prices frozen, the purchase plan written.
        lines, prices = freeze_prices(bulk_order)
        bulk_order.total_amount = prices.total
        bulk_order.purchase_plan = purchase_plan.snapshot(
            bulk_order, lines, prices, approved_by=by, approved_at=bulk_order.approved_at
        )
        record_transition(bulk_order, BulkOrderStatus.APPROVED, by=by, comment=comment)
        bulk_order.save(
            update_fields=["status", "approved_by", "approved_at", "total_amount", "purchase_plan", "updated_at"]
        )
    return bulk_order


def reject(bulk_order: BulkOrder, *, by, reason: str) -> BulkOrder:
    reason = (reason or "").strip()
    with transaction.atomic():
        bulk_order = locked(bulk_order)
        check_approver(by, bulk_order)
        if not reason:
            raise BulkOrderError("请填写驳回原因。", field="reason", code="REQUIRED")
        if bulk_order.status != BulkOrderStatus.SUBMITTED:
            raise status_error(bulk_order, "驳回")
        bulk_order.rejection_reason = reason[:500]
        record_transition(bulk_order, BulkOrderStatus.REJECTED, by=by, comment=reason)
        bulk_order.save(update_fields=["status", "rejection_reason", "updated_at"])
    return bulk_order


def cancel(bulk_order: BulkOrder, *, by, reason: str = "") -> BulkOrder:
    """Cancel before it is paid. A placed one gives back the stock its order holds and the order is
    canceled with it."""
    from orders.models import Order, OrderEvent, OrderEventType, OrderStatus
    from orders.services.stock import release_allocations

    with transaction.atomic():
        bulk_order = locked(bulk_order)
        check_editor(by, bulk_order.branch)
        if bulk_order.status not in CANCELABLE:
            raise status_error(bulk_order, "取消")
        if bulk_order.order_id:
            order = Order.objects.select_for_update().get(pk=bulk_order.order_id)
            if order.total_charged_amount > 0:
                raise BulkOrderError("采购单已有付款，不能取消。", field="id", code="INVALID_STATUS")
            released = release_allocations(order)
            order.status = OrderStatus.CANCELED
            order.canceled_at = timezone.now()
            order.save(update_fields=["status", "canceled_at", "updated_at"])
            if released:
                OrderEvent.objects.create(
                    order=order, type=OrderEventType.ALLOCATION_RELEASED, user=by, parameters={"lines": released}
                )
            OrderEvent.objects.create(order=order, type=OrderEventType.CANCELED, user=by)
        record_transition(bulk_order, BulkOrderStatus.CANCELED, by=by, comment=reason)
        bulk_order.save(update_fields=["status", "updated_at"])
    return bulk_order
