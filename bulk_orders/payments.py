"""Paying bulk orders: bank transfers operators record, and the one place a bulk order becomes PAID.

A bank transfer is written twice, on purpose: as a BankTransfer (what the operator saw on the statement)
and as a payments TransactionItem with a CHARGE_SUCCESS event, so that orders.charge.refresh_charge_status
decides "paid" for a transfer exactly as for a card, and the relief ledger is written in that same step.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum

from bulk_orders.models import BankTransfer, BulkOrder, BulkOrderStatus, BulkOrderTransition
from mall.errors import DomainError
from mall.money import quantize
from mall.permissions import PermissionEnum, require_permissions
from orders.charge import refresh_charge_status
from orders.models import Order, OrderChargeStatus
from payments import recording
from payments.models import BANK_TRANSFER_GATEWAY, TransactionEventType, TransactionItem

BANK_TRANSFER_NAME = "对公转账"
ZERO = Decimal("0.00")
# Transfers are recorded while the order is placed and not fully paid yet.
PAYABLE_STATUSES = (BulkOrderStatus.PLACED,)


@dataclass(frozen=True)
class PaymentSummary:
    """Where a bulk order's payment stands: what it owes, what came in, and how to pay the rest."""

    reference: str
    account_name: str
    bank_name: str
    account_number: str
    currency: str
    total: Decimal
    paid: Decimal
    due: Decimal
    overpaid_amount: Decimal

    @property
    def overpaid(self) -> bool:
        return self.overpaid_amount > 0


def payment_summary(bulk_order: BulkOrder) -> PaymentSummary:
    """The federation's account, the bulk order's payment reference, and its amounts (order total when
    placed, the bulk order's total before). Overpaid: charged more than the order's total (Saleor's
    OVERCHARGED)."""
    order = bulk_order.order
    total = order.total_amount if order is not None else bulk_order.total_amount
    paid = order.total_charged_amount if order is not None else ZERO
    return PaymentSummary(
        reference=bulk_order.payment_reference,
        account_name=settings.FEDERATION_ACCOUNT_NAME,
        bank_name=settings.FEDERATION_BANK_NAME,
        account_number=settings.FEDERATION_BANK_ACCOUNT,
        currency=bulk_order.currency,
        total=quantize(total),
        paid=quantize(paid),
        due=max(quantize(total - paid), ZERO),
        overpaid_amount=max(quantize(paid - total), ZERO),
    )


def is_overpaid(bulk_order: BulkOrder) -> bool:
    return bulk_order.order is not None and bulk_order.order.charge_status == OrderChargeStatus.OVERCHARGED


def transferred_amount(bulk_order: BulkOrder) -> Decimal:
    return quantize(bulk_order.transfers.aggregate(total=Sum("amount"))["total"] or ZERO)


def _amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, TypeError, ValueError) as error:
        raise DomainError("金额格式不正确。", field="amount", code="INVALID") from error
    if not value.is_finite() or value <= 0:
        raise DomainError("到账金额必须大于 0。", field="amount", code="INVALID")
    if value != quantize(value):
        raise DomainError("到账金额最多两位小数（分）。", field="amount", code="INVALID")
    return quantize(value)


def _clean_text(value, *, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"请填写{label}。", field=field, code="REQUIRED")
    if len(value) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 个字符。", field=field, code="INVALID")
    return value


def record_transfer(
    bulk_order: BulkOrder, *, amount, received_on: date, payer_name: str, bank_reference: str, by
) -> BankTransfer:
    """Record a bank transfer an operator saw arrive for `bulk_order` (MANAGE_ORDERS).

    Transfers add up; when they cover the order it becomes paid (and the bulk order PAID, the relief
    ledger credited to its branch) through refresh_charge_status. A transfer that takes the total past
    what is owed is kept and the order is flagged overpaid (OVERCHARGED), for the operator to give the
    difference back. A bank reference is recorded once: a second time is refused and writes nothing.
    """
    require_permissions(by, PermissionEnum.MANAGE_ORDERS)
    amount = _amount(amount)
    payer_name = _clean_text(payer_name, field="payer_name", label="付款单位", max_length=200)
    bank_reference = _clean_text(bank_reference, field="bank_reference", label="银行流水号", max_length=64)
    if received_on is None:
        raise DomainError("请填写到账日期。", field="received_on", code="REQUIRED")
    with transaction.atomic():
        order, bulk_order = _lock(bulk_order)
        if bulk_order.status not in PAYABLE_STATUSES or order is None:
            raise DomainError(
                f"采购单当前状态为「{bulk_order.get_status_display()}」，只有已下单、未付清的采购单可以登记转账。",
                field="id",
                code="INVALID_STATUS",
            )
        if _reference_taken(bank_reference):
            raise _duplicate(bank_reference)
        transfer = BankTransfer(
            bulk_order=bulk_order,
            amount=amount,
            currency=bulk_order.currency,
            received_on=received_on,
            payer_name=payer_name,
            bank_reference=bank_reference,
            recorded_by=by,
        )
        transfer.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                transfer.save()
                _record_charge(order, transfer, by=by)
        except IntegrityError as error:
            # The same reference recorded at this moment for another bulk order.
            raise _duplicate(bank_reference) from error
        refresh_charge_status(order, by=by)
    return transfer


def _lock(bulk_order: BulkOrder) -> tuple[Order | None, BulkOrder]:
    """The bulk order's order and the bulk order, both locked, the order first: the order every payment
    writer takes (payments.recording.lock_transaction, then mark_paid), so a card payment and a transfer
    arriving together wait for each other instead of deadlocking."""
    order_id = BulkOrder.objects.filter(pk=bulk_order.pk).values_list("order_id", flat=True).get()
    order = Order.objects.select_for_update().get(pk=order_id) if order_id else None
    return order, BulkOrder.objects.select_for_update().get(pk=bulk_order.pk)


def _duplicate(bank_reference: str) -> DomainError:
    message = f"银行流水号 {bank_reference} 已登记过，不能重复登记。"
    return DomainError(message, field="bank_reference", code="UNIQUE")


def _reference_taken(bank_reference: str) -> bool:
    return (
        BankTransfer.objects.filter(bank_reference=bank_reference).exists()
        or TransactionItem.objects.filter(app_identifier=BANK_TRANSFER_GATEWAY, psp_reference=bank_reference).exists()
    )


def _record_charge(order: Order, transfer: BankTransfer, *, by) -> TransactionItem:
    item = TransactionItem.objects.create(
        name=BANK_TRANSFER_NAME,
        app_identifier=BANK_TRANSFER_GATEWAY,
        psp_reference=transfer.bank_reference,
        order=order,
        user=by,
        currency=transfer.currency,
        payment_method_type="bank_transfer",
    )
    recording.record_event(
        item,
        type=TransactionEventType.CHARGE_SUCCESS,
        amount=transfer.amount,
        psp_reference=transfer.bank_reference,
        message=f"对公转账到账：{transfer.payer_name}，{transfer.received_on:%Y-%m-%d}",
        idempotency_key=f"bank-transfer:{transfer.bank_reference}",
        by=by,
    )
    item.amount_charged = transfer.amount
    item.save(update_fields=["amount_charged", "modified_at"])
    return item


def mark_paid(order: Order, *, by=None) -> BulkOrder | None:
    """The bulk order `order` was placed for is PAID now that the order is: called by
    orders.charge.refresh_charge_status the moment an order of origin BULK becomes paid, whether by
    transfer or by card, inside its transaction. The transition names who recorded the payment (the
    operator), or for a card payment the person who paid (the order's user)."""
    bulk_order = BulkOrder.objects.select_for_update().filter(order=order).first()
    if bulk_order is None or bulk_order.status != BulkOrderStatus.PLACED:
        return bulk_order
    user = by if by is not None and by.is_authenticated else None
    user = user or order.user or bulk_order.created_by
    previous = bulk_order.status
    bulk_order.status = BulkOrderStatus.PAID
    bulk_order.save(update_fields=["status", "updated_at"])
    overpaid = order.charge_status == OrderChargeStatus.OVERCHARGED
    comment = f"已付清 ¥{order.total_charged_amount}" + (
        f"（多付 ¥{quantize(order.total_charged_amount - order.total_amount)}，需退还）" if overpaid else ""
    )
    BulkOrderTransition.objects.create(
        bulk_order=bulk_order, from_status=previous, to_status=BulkOrderStatus.PAID, user=user, comment=comment
    )
    return bulk_order
