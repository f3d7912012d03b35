"""Refunds by staff: card money back through a Stripe Refund, allowance back to the member's ledger,
and money paid by bank transfer given back offline (the operator transfers it and records it here).

A refund staff grant on an order (Saleor's orderGrantRefundCreate) is carried out at once: the
grant is split into a card part and an allowance part, the card part is refunded on the order's
charged transactions and the allowance part is written back to the ledger, never paid out as
cash. The order row stays locked from the amounts' check to the last write, so two refunds at the
same moment can never together give back more than was paid.

Only Stripe's transactions (app identifier STRIPE_GATEWAY) are refunded at Stripe. A bulk order paid
by bank transfer (BANK_TRANSFER_GATEWAY) is refunded by the federation's bank: the operator records
that refund with its bank reference (record_transfer_refund), which writes REFUND_SUCCESS on the
transfer's transaction, as a granted refund (goods or an amount given back; the order stays paid) or
as an overpayment given back (the order owes what it owed).
"""

import logging
from decimal import Decimal, InvalidOperation

import stripe
from django.db import transaction
from django.db.models import Sum

from allowances import services as allowance_services
from allowances.selectors import spent_on_order
from mall.errors import DomainError
from mall.money import quantize
from mall.permissions import PermissionEnum, require_permissions
from orders.charge import refresh_charge_status
from orders.models import (
    GrantedRefundStatus,
    Order,
    OrderEvent,
    OrderEventType,
    OrderGrantedRefund,
    OrderGrantedRefundLine,
    OrderLine,
)
from payments import recording, stripe_client
from payments.models import (
    BANK_TRANSFER_GATEWAY,
    STRIPE_GATEWAY,
    TransactionEvent,
    TransactionEventType,
    TransactionItem,
)
from payments.selectors import granted_card_refunds, refundable_amount
from relief_sourcing.ledger import record_granted_refund

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1e10")  # the amount columns hold 12 digits, 2 after the point
REFUND_STAFF = (PermissionEnum.MANAGE_ORDERS,)
TRANSACTION_ACTION_STAFF = (PermissionEnum.HANDLE_PAYMENTS, PermissionEnum.MANAGE_ORDERS)


def _amount(value, *, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise DomainError("金额格式不正确。", field=field, code="INVALID") from error
    if not amount.is_finite() or amount <= 0:
        raise DomainError("退款金额必须大于 0。", field=field, code="INVALID")
    if amount >= MAX_AMOUNT:
        raise DomainError("退款金额过大。", field=field, code="INVALID")
    if amount != quantize(amount):
        raise DomainError("退款金额最多两位小数（分）。", field=field, code="INVALID")
    return quantize(amount)


def _share(part: Decimal, whole: Decimal, amount: Decimal) -> Decimal:
    return quantize(amount * part / whole) if whole > 0 else ZERO


# --- Granting ------------------------------------------------------------------------------
def _granted_quantities(order) -> dict:
    rows = (
        OrderGrantedRefundLine.objects.filter(granted_refund__order=order)
        .exclude(granted_refund__status=GrantedRefundStatus.FAILURE)
        .values("order_line_id")
        .annotate(quantity=Sum("quantity"))
    )
    return {row["order_line_id"]: row["quantity"] for row in rows}


def _clean_lines(order, lines) -> list[tuple[OrderLine, int, str]]:
    """[(order line, quantity, reason)] from [{"line": OrderLine or id, "quantity", "reason"}]."""
    if not lines:
        return []
    by_id = {line.pk: line for line in order.lines.all()}
    already = _granted_quantities(order)
    cleaned, errors, seen = [], [], set()
    for entry in lines:
        line = entry["line"]
        line_id = getattr(line, "pk", line)
        quantity = entry.get("quantity")
        found = by_id.get(line_id)
        if found is None or line_id in seen:
            errors.append({"field": "id", "message": "订单中没有这件商品。", "code": "NOT_FOUND", "line_id": line_id})
            continue
        seen.add(line_id)
        left = found.quantity - already.get(line_id, 0)
        if not isinstance(quantity, int) or quantity <= 0 or quantity > left:
            errors.append(
                {
                    "field": "quantity",
                    "message": f"可退数量为 {left}。",
                    "code": "QUANTITY_GREATER_THAN_AVAILABLE",
                    "line_id": line_id,
                }
            )
            continue
        cleaned.append((found, quantity, entry.get("reason") or ""))
    if errors:
        raise DomainError("退款商品有误。", field="lines", code="INVALID", lines=errors)
    return cleaned


def _card_transactions(order, chosen: TransactionItem | None) -> list[TransactionItem]:
    """The order's Stripe payments (or the one chosen), oldest first: what a Stripe Refund can give back."""
    if chosen is not None:
        return [chosen] if chosen.app_identifier == STRIPE_GATEWAY else []
    return list(
        TransactionItem.objects.filter(order=order, amount_charged__gt=0, app_identifier=STRIPE_GATEWAY).order_by(
            "created_at", "pk"
        )
    )


def _transfer_transactions(order) -> list[TransactionItem]:
    return list(
        TransactionItem.objects.filter(order=order, amount_charged__gt=0, app_identifier=BANK_TRANSFER_GATEWAY)
        .select_for_update()
        .order_by("created_at", "pk")
    )


def _offline_refund_required() -> DomainError:
    return DomainError(
        "该订单以对公转账付款，不能退回到银行卡：请通过银行退款后登记退款（orderTransferRefundRecord）。",
        field="transactionId",
        code="OFFLINE_REFUND_REQUIRED",
    )


def _split(order, amount: Decimal, lines, shipping: Decimal, *, card_cap: Decimal, allowance_cap: Decimal):
    """(card part, allowance part) of `amount`.

    Goods refunded by line carry the allowance their lines were paid with; a bare amount is split
    in the proportion the whole order was paid. Each part is then kept within what is left to give
    back that way, the excess moving to the other part; `amount` is at most both caps together,
    so the card never gets back more than it paid and the allowance is never paid out as cash.
    """
    if lines or shipping:
        value = sum((quantize(line.total_price_amount * quantity / line.quantity) for line, quantity, _ in lines), ZERO)
        allowance = sum(
            (quantize(line.allowance_amount * quantity / line.quantity) for line, quantity, _ in lines), ZERO
        )
        value += shipping
    else:
        value, allowance = order.total_amount + order.allowance_amount, order.allowance_amount
    allowance_part = min(_share(allowance, value, amount), allowance_cap, amount)
    card_part = amount - allowance_part
    if card_part > card_cap:
        allowance_part += card_part - card_cap
        card_part = card_cap
    return card_part, allowance_part


def _grant(order, *, amount, by, reason, lines, grant_shipping, chosen, idempotency_key) -> OrderGrantedRefund:
    if chosen is not None and chosen.order_id != order.pk:
        raise DomainError("这笔支付不属于该订单。", field="transactionId", code="NOT_FOUND")
    if chosen is not None and chosen.app_identifier != STRIPE_GATEWAY:
        raise _offline_refund_required()
    cleaned = _clean_lines(order, lines)
    shipping = ZERO
    if grant_shipping:
        granted_before = order.granted_refunds.filter(shipping_costs_included=True).exclude(
            status=GrantedRefundStatus.FAILURE
        )
        if granted_before.exists():
            raise DomainError("运费已退过。", field="grantRefundForShipping", code="SHIPPING_COSTS_ALREADY_GRANTED")
        shipping = order.shipping_price_amount
    card_cap = sum((refundable_amount(item) for item in _card_transactions(order, chosen)), ZERO)
    allowance_cap = sum(spent_on_order(order).values(), ZERO)
    available = card_cap + allowance_cap
    if available <= 0 and any(refundable_amount(item) > 0 for item in _transfer_transactions(order)):
        raise _offline_refund_required()
    if amount is None:
        if not cleaned and not grant_shipping:
            raise DomainError("请填写退款金额或选择退款商品。", field="amount", code="REQUIRED")
        computed = sum((quantize(line.total_price_amount * q / line.quantity) for line, q, _ in cleaned), ZERO)
        amount = min(computed + shipping, available)  # as Saleor: a worked-out amount is capped at what is left
        if amount <= 0:
            raise DomainError("该订单已没有可退的金额。", field="amount", code="AMOUNT_GREATER_THAN_AVAILABLE")
    else:
        amount = _amount(amount)
        if amount > available:
            raise DomainError(
                f"退款金额超过可退金额 ¥{available}。", field="amount", code="AMOUNT_GREATER_THAN_AVAILABLE"
            )
    card_part, allowance_part = _split(order, amount, cleaned, shipping, card_cap=card_cap, allowance_cap=allowance_cap)
    granted = OrderGrantedRefund.objects.create(
        order=order,
        amount=amount,
        currency=order.currency,
        reason=reason,
        status=GrantedRefundStatus.NONE,
        shipping_costs_included=grant_shipping,
        transaction_item=chosen or next(iter(_card_transactions(order, None)), None),
        user=by,
    )
    OrderGrantedRefundLine.objects.bulk_create(
        [
            OrderGrantedRefundLine(granted_refund=granted, order_line=line, quantity=quantity, reason=line_reason)
            for line, quantity, line_reason in cleaned
        ]
    )
    OrderEvent.objects.create(
        order=order,
        type=OrderEventType.ORDER_GRANTED_REFUND,
        user=by,
        parameters={
            "granted_refund_id": granted.pk,
            "amount": str(amount),
            "card_amount": str(card_part),
            "allowance_amount": str(allowance_part),
            "reason": reason,
            "transaction": str(chosen.token) if chosen else "",
            "idempotency_key": idempotency_key or "",
            "lines": [{"line_pk": str(line.pk), "quantity": quantity} for line, quantity, _ in cleaned],
        },
    )
    return granted


def _plan_of(granted: OrderGrantedRefund) -> dict:
    event = OrderEvent.objects.filter(
        order_id=granted.order_id, type=OrderEventType.ORDER_GRANTED_REFUND, parameters__granted_refund_id=granted.pk
    ).first()
    return event.parameters


def refund(
    order,
    *,
    amount=None,
    by,
    reason: str = "",
    lines=None,
    grant_shipping: bool = False,
    transaction_item: TransactionItem | None = None,
    idempotency_key: str | None = None,
) -> OrderGrantedRefund:
    """Grant a refund on `order` and carry it out; returns the OrderGrantedRefund (its status says
    how the card part went: SUCCESS, PENDING at Stripe, or FAILURE to be retried).

    `amount` defaults to the value of `lines` ([{"line", "quantity", "reason"}]) plus shipping when
    `grant_shipping`. `transaction_item` limits the card part to one payment. A second call with
    the same `idempotency_key` returns the first grant instead of refunding again.
    """
    require_permissions(by, *REFUND_STAFF)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if idempotency_key:
            earlier = OrderEvent.objects.filter(
                order=order, type=OrderEventType.ORDER_GRANTED_REFUND, parameters__idempotency_key=idempotency_key
            ).first()
            if earlier is not None:
                return OrderGrantedRefund.objects.get(pk=earlier.parameters["granted_refund_id"])
        granted = _grant(
            order,
            amount=amount,
            by=by,
            reason=reason,
            lines=lines,
            grant_shipping=grant_shipping,
            chosen=transaction_item,
            idempotency_key=idempotency_key,
        )
        return execute_granted_refund(granted, by=by)


# --- Carrying a grant out ---------------------------------------------------------------------
def _card_refunded_for(granted: OrderGrantedRefund) -> Decimal:
    """Card money this grant already gave back or has pending at Stripe."""
    events = list(granted.transaction_events.values_list("type", "psp_reference", "amount_value"))
    resolved = {psp: kind for kind, psp, _ in events if kind != TransactionEventType.REFUND_REQUEST}
    total = ZERO
    for kind, psp, amount in events:
        if (
            kind == TransactionEventType.REFUND_SUCCESS
            or kind == TransactionEventType.REFUND_REQUEST
            and psp not in resolved
        ):
            total += amount
    return total


def _refund_on_stripe(item: TransactionItem, amount: Decimal, *, key: str, metadata: dict, by, granted_refund=None):
    """One Stripe Refund on `item` and its events; returns the outcome event (None while pending at Stripe)."""
    try:
        refund_object = stripe_client.create_refund(
            payment_intent_id=item.psp_reference,
            amount=amount,
            currency=item.currency,
            metadata=metadata,
            idempotency_key=key,
        ).to_dict()
    except stripe.StripeError as error:
        logger.warning("Stripe refused a refund on %s: %s", item.psp_reference, error)
        message = f"退款失败：{error.user_message or '支付网关拒绝了退款'}"
        event, _ = recording.record_event(
            item,
            type=TransactionEventType.REFUND_FAILURE,
            amount=amount,
            psp_reference=item.psp_reference,
            message=message,
            idempotency_key=f"{key}:failure",
            by=by,
            granted_refund=granted_refund,
        )
        item.message = message[:512]
        item.save(update_fields=["message", "modified_at"])
        return event
    recording.record_refund_request(item, refund_object, amount=amount, by=by, granted_refund=granted_refund)
    return recording.apply_refund(item, refund_object)


def execute_granted_refund(granted: OrderGrantedRefund, *, by) -> OrderGrantedRefund:
    """Carry out a granted refund, or what is left of it after a failure (Saleor's
    transactionRequestRefundForGrantedRefund); one already done or pending is returned as it is."""
    require_permissions(by, *REFUND_STAFF)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=granted.order_id)
        granted = OrderGrantedRefund.objects.select_for_update().get(pk=granted.pk)
        if granted.status in (GrantedRefundStatus.SUCCESS, GrantedRefundStatus.PENDING):
            return granted
        plan = _plan_of(granted)
        chosen = granted.transaction_item if plan.get("transaction") else None
        card_left = Decimal(plan["card_amount"]) - _card_refunded_for(granted)
        failed = pending = False
        card_refunded = ZERO
        for candidate in _card_transactions(order, chosen):
            if card_left <= 0:
                break
            item = TransactionItem.objects.select_for_update().get(pk=candidate.pk)
            take = min(card_left, refundable_amount(item))
            if take <= 0 or not item.psp_reference:
                continue
            attempt = item.events.filter(type=TransactionEventType.REFUND_FAILURE, granted_refund=granted).count()
            outcome = _refund_on_stripe(
                item,
                take,
                key=f"granted-refund-{granted.pk}-{item.token}-{attempt}",
                metadata={"order_id": order.pk, "order_number": order.number, "granted_refund_id": granted.pk},
                by=by,
                granted_refund=granted,
            )
            if outcome is not None and outcome.type == TransactionEventType.REFUND_FAILURE:
                failed = True
                break
            pending = pending or outcome is None
            card_left -= take
            card_refunded += take
        if card_left > 0:
            failed = True
        _refund_allowance_part(order, granted, Decimal(plan["allowance_amount"]), by=by)
        if card_refunded > 0:
            OrderEvent.objects.create(
                order=order,
                type=OrderEventType.PAYMENT_REFUNDED,
                user=by,
                parameters={"granted_refund_id": granted.pk, "amount": str(card_refunded), "pending": pending},
            )
        if failed:
            granted.status = GrantedRefundStatus.FAILURE
        else:
            granted.status = GrantedRefundStatus.PENDING if pending else GrantedRefundStatus.SUCCESS
        granted.save(update_fields=["status", "updated_at"])
        record_granted_refund(granted)  # only once it succeeded; a refund pending at Stripe is recorded when settled
        refresh_charge_status(order, by=by)
    # Read again, so the caller sees the transaction as the refund left it.
    return OrderGrantedRefund.objects.select_related("transaction_item").get(pk=granted.pk)


def _refund_allowance_part(order, granted: OrderGrantedRefund, amount: Decimal, *, by) -> None:
    """Give the grant's allowance part back to the ledger, once whatever happens to the card part."""
    if amount <= 0:
        return
    done = OrderEvent.objects.filter(
        order=order,
        type=OrderEventType.PAYMENT_REFUNDED,
        parameters__granted_refund_id=granted.pk,
        parameters__has_key="allowance_amount",
    ).exists()
    if done:
        return
    back = allowance_services.refund_for_order(order, amount, by=by, note=f"订单 {order.number} 退款")
    OrderEvent.objects.create(
        order=order,
        type=OrderEventType.PAYMENT_REFUNDED,
        user=by,
        parameters={"granted_refund_id": granted.pk, "allowance_amount": str(back)},
    )


# --- Actions on one transaction (transactionRequestAction) --------------------------------------
def refund_transaction(item: TransactionItem, *, amount=None, by) -> TransactionItem:
    """Give back card money of one payment without granting a refund on its order (Saleor's
    transactionRequestAction REFUND): for a payment made twice, say. The order owes what it owed,
    so refunding a paid order's only payment this way makes it unpaid again."""
    require_permissions(by, *TRANSACTION_ACTION_STAFF)
    with transaction.atomic():
        item, order = recording.lock_transaction(item.pk)
        if item.app_identifier != STRIPE_GATEWAY:
            raise _offline_refund_required()
        refundable = refundable_amount(item)
        if refundable <= 0 or not item.psp_reference:
            raise DomainError("这笔支付没有可退的金额。", field="amount", code="INVALID")
        amount = refundable if amount is None else _amount(amount)
        if amount > refundable:
            raise DomainError(f"退款金额超过可退金额 ¥{refundable}。", field="amount", code="INVALID")
        requests = item.events.filter(
            type__in=[TransactionEventType.REFUND_REQUEST, TransactionEventType.REFUND_FAILURE]
        ).count()
        _refund_on_stripe(
            item,
            amount,
            key=f"transaction-refund-{item.token}-{requests}",
            metadata={"transaction_token": item.token, "order_id": item.order_id or ""},
            by=by,
        )
        if order is not None:
            OrderEvent.objects.create(
                order=order,
                type=OrderEventType.TRANSACTION_REFUND_REQUESTED,
                user=by,
                parameters={"amount": str(amount), "transaction": str(item.token)},
            )
            refresh_charge_status(order, by=by)
        item.refresh_from_db()
    return item


def cancel_transaction(item: TransactionItem, *, by) -> TransactionItem:
    """Cancel a payment not yet made (Saleor's transactionRequestAction CANCEL)."""
    require_permissions(by, *TRANSACTION_ACTION_STAFF)
    with transaction.atomic():
        item, order = recording.lock_transaction(item.pk)
        if item.app_identifier != STRIPE_GATEWAY:
            raise DomainError("对公转账不能取消，请线下退款后登记退款。", field="actionType", code="INVALID")
        if not item.psp_reference or item.amount_charged > 0:
            raise DomainError("已付款或未创建的支付不能取消；已付款请退款。", field="actionType", code="INVALID")
        try:
            intent = stripe_client.cancel_payment_intent(item.psp_reference, idempotency_key=f"cancel-{item.token}")
        except stripe.StripeError as error:
            raise DomainError("这笔支付的状态已变化，无法取消。", field="actionType", code="INVALID") from error
        recording.apply_payment_intent(item, order, intent.to_dict())
        if order is not None:
            refresh_charge_status(order, by=by)
        item.refresh_from_db()
    return item


# --- Bank transfers, refunded offline -----------------------------------------------------------
MAX_BANK_REFERENCE = 64


def _bank_reference(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("请填写退款的银行流水号。", field="bankReference", code="REQUIRED")
    if len(value) > MAX_BANK_REFERENCE:
        raise DomainError(f"银行流水号不能超过 {MAX_BANK_REFERENCE} 个字符。", field="bankReference", code="INVALID")
    return value


def record_transfer_refund(
    order,
    *,
    amount=None,
    bank_reference: str,
    by,
    reason: str = "",
    lines=None,
    overpayment: bool = False,
) -> OrderGrantedRefund | None:
    """Record money the federation's bank gave back on an order paid by bank transfer (MANAGE_ORDERS).

    By default it is a granted refund of `amount` or of `lines` (as `refund`'s), done at once: the
    order stays paid and the relief ledger takes the refunded goods back. With `overpayment` it gives
    back what was paid beyond the order's total (at most that): no grant, the order owes what it owed.
    A bank reference is recorded once. Returns the granted refund (None for an overpayment)."""
    require_permissions(by, *REFUND_STAFF)
    bank_reference = _bank_reference(bank_reference)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        items = _transfer_transactions(order)
        available = sum((refundable_amount(item) for item in items), ZERO)
        if available <= 0:
            raise DomainError("该订单没有可退的对公转账款项。", field="order", code="INVALID")
        already = TransactionEvent.objects.filter(
            transaction__app_identifier=BANK_TRANSFER_GATEWAY,
            type=TransactionEventType.REFUND_SUCCESS,
            psp_reference=bank_reference,
        )
        if already.exists():
            raise DomainError(f"银行流水号 {bank_reference} 已登记过退款。", field="bankReference", code="UNIQUE")
        if overpayment:
            excess = quantize(order.total_charged_amount - (order.total_amount - granted_card_refunds(order)))
            amount = excess if amount is None else _amount(amount)
            if excess <= 0:
                raise DomainError("该订单没有多付的款项。", field="amount", code="INVALID")
            if amount > excess:
                raise DomainError(
                    f"退还金额超过多付金额 ¥{excess}。", field="amount", code="AMOUNT_GREATER_THAN_AVAILABLE"
                )
            granted = None
        else:
            granted, amount = _grant_transfer_refund(order, amount=amount, available=available, by=by, reason=reason,
                                                     lines=lines, item=items[0])  # fmt: skip
        left = amount
        for item in items:
            take = min(left, refundable_amount(item))
            if take <= 0:
                continue
            recording.record_event(
                item,
                type=TransactionEventType.REFUND_SUCCESS,
                amount=take,
                psp_reference=bank_reference,
                message=f"对公转账线下退款（{'退还多付款' if overpayment else '退款'}）：{reason}"[:512],
                idempotency_key=f"bank-transfer-refund:{bank_reference}",
                by=by,
                granted_refund=granted,
            )
            item.amount_refunded += take
            item.save(update_fields=["amount_refunded", "modified_at"])
            left -= take
        OrderEvent.objects.create(
            order=order,
            type=OrderEventType.PAYMENT_REFUNDED,
            user=by,
            parameters={
                "granted_refund_id": granted.pk if granted else None,
                "amount": str(amount),
                "bank_reference": bank_reference,
                "offline": True,
                "overpayment": overpayment,
            },
        )
        if granted is not None:
            record_granted_refund(granted)
        refresh_charge_status(order, by=by)
    return granted


def _grant_transfer_refund(order, *, amount, available: Decimal, by, reason: str, lines, item) -> tuple:
    """A granted refund (status SUCCESS: the money has left) of `amount` or of `lines`, within `available`."""
    cleaned = _clean_lines(order, lines)
    if amount is None:
        if not cleaned:
            raise DomainError("请填写退款金额或选择退款商品。", field="amount", code="REQUIRED")
        amount = min(sum((quantize(line.total_price_amount * q / line.quantity) for line, q, _ in cleaned), ZERO),
                     available)  # fmt: skip
    else:
        amount = _amount(amount)
    if amount > available:
        raise DomainError(f"退款金额超过可退金额 ¥{available}。", field="amount", code="AMOUNT_GREATER_THAN_AVAILABLE")
    granted = OrderGrantedRefund.objects.create(
        order=order,
        amount=amount,
        currency=order.currency,
        reason=reason,
        status=GrantedRefundStatus.SUCCESS,
        transaction_item=item,
        user=by,
    )
    OrderGrantedRefundLine.objects.bulk_create(
        [
            OrderGrantedRefundLine(granted_refund=granted, order_line=line, quantity=quantity, reason=line_reason)
            for line, quantity, line_reason in cleaned
        ]
    )
    OrderEvent.objects.create(
        order=order,
        type=OrderEventType.ORDER_GRANTED_REFUND,
        user=by,
        parameters={
            "granted_refund_id": granted.pk,
            "amount": str(amount),
            "card_amount": "0.00",
            "transfer_amount": str(amount),
            "allowance_amount": "0.00",
            "reason": reason,
            "lines": [{"line_pk": str(line.pk), "quantity": quantity} for line, quantity, _ in cleaned],
        },
    )
    return granted, amount
