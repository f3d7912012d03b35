"""Writing down what Stripe reported: transaction events and the amounts they move, each once.

Every function here runs inside the caller's database transaction with the transaction row
(and its order, when it has one) locked by `lock_transaction`. The transactionProcess mutation
and the webhook both learn of the same payment; they record it under the same idempotency key,
so whichever comes second finds the event there and changes nothing.
"""

from decimal import Decimal

from django.db.models import Q

from mall.money import quantize
from orders.models import GrantedRefundStatus, Order, OrderEvent, OrderEventType
from payments.models import TransactionEvent, TransactionEventType, TransactionItem
from payments.selectors import requested_amount
from payments.stripe_client import from_minor_units
from relief_sourcing.ledger import record_granted_refund

ZERO = Decimal("0.00")
DEFAULT_FAILURE_MESSAGE = "支付未成功，请换一种方式或稍后再试。"


def lock_transaction(pk) -> tuple[TransactionItem, Order | None]:
    """The transaction and its order, both locked, the order first (the order every writer takes).

    The transaction may move from its checkout to a new order while we wait for its lock; then
    the new order is locked too, so the order's charge status is recomputed with the new amounts.
    """
    order_id = TransactionItem.objects.filter(pk=pk).values_list("order_id", flat=True).get()
    order = Order.objects.select_for_update().get(pk=order_id) if order_id else None
    transaction = TransactionItem.objects.select_for_update().get(pk=pk)
    if transaction.order_id and (order is None or order.pk != transaction.order_id):
        order = Order.objects.select_for_update().get(pk=transaction.order_id)
    return transaction, order


def record_event(
    transaction: TransactionItem,
    *,
    type: str,
    amount: Decimal = ZERO,
    psp_reference: str = "",
    message: str = "",
    idempotency_key: str = "",
    by=None,
    granted_refund=None,
    external_url: str = "",
) -> tuple[TransactionEvent, bool]:
    """The event with this idempotency key if the transaction has it, else a new one; and whether
    it is new. The caller holds the transaction's lock, so looking first and then inserting is safe
    (the unique constraint stands behind it)."""
    if idempotency_key:
        existing = transaction.events.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    event = TransactionEvent.objects.create(
        transaction=transaction,
        type=type,
        amount_value=quantize(amount),
        currency=transaction.currency,
        psp_reference=psp_reference,
        message=message[:512],
        idempotency_key=idempotency_key,
        created_by=by if by is not None and by.is_authenticated else None,
        granted_refund=granted_refund,
        external_url=external_url,
    )
    return event, True


def _save(transaction: TransactionItem, *fields: str) -> None:
    transaction.save(update_fields=[*fields, "modified_at"])


# --- PaymentIntents ------------------------------------------------------------------
def apply_payment_intent(transaction: TransactionItem, order: Order | None, payment_intent: dict) -> TransactionEvent:
    """Record the PaymentIntent's state on its transaction; returns the event that says it."""
    status = payment_intent["status"]
    intent_id = payment_intent["id"]
    if status == "succeeded":
        return _record_charge(transaction, payment_intent)
    if status == "processing":
        return _record_charge_pending(transaction, payment_intent)
    if status == "canceled":
        return _record_cancel(transaction, payment_intent)
    if status == "requires_payment_method" and payment_intent.get("last_payment_error"):
        return _record_charge_failure(transaction, order, payment_intent)
    if status == "requires_capture":
        # The mall asks for automatic capture only; an authorization means the intent was changed elsewhere.
        event, _ = record_event(
            transaction,
            type=TransactionEventType.INFO,
            psp_reference=intent_id,
            message="支付已授权但未扣款（本商城只使用自动扣款），请在 Stripe 中处理。",
            idempotency_key=f"requires-capture:{intent_id}",
        )
        return event
    event, _ = record_event(
        transaction,
        type=TransactionEventType.CHARGE_ACTION_REQUIRED,
        amount=requested_amount(transaction) or ZERO,
        psp_reference=intent_id,
        message="等待付款人完成支付。",
        idempotency_key=f"action-required:{intent_id}",
    )
    return event


def amount_received(payment_intent: dict) -> int:
    """What Stripe collected, in minor units. Stripe states `amount_received`; localstripe leaves it
    out, and there it is the captured amount of the intent's latest charge."""
    if payment_intent.get("amount_received") is not None:
        return int(payment_intent["amount_received"])
    charge = payment_intent.get("latest_charge")
    if isinstance(charge, dict) and charge.get("status") == "succeeded" and charge.get("captured"):
        return int(charge.get("amount") or 0)
    return 0


def _mismatch(transaction: TransactionItem, payment_intent: dict) -> str | None:
    """Why the money Stripe received cannot be counted for this transaction, or None when it can."""
    currency = str(payment_intent.get("currency") or "").upper()
    if currency != transaction.currency:
        return f"币种不符：Stripe 收到 {currency or '未知币种'}，支付记录为 {transaction.currency}，未计入已付金额。"
    received = from_minor_units(amount_received(payment_intent), currency)
    expected = requested_amount(transaction)
    if expected is None or received != expected:
        return f"金额不符：Stripe 实收 ¥{received}，支付记录应收 ¥{expected}，未计入已付金额。"
    return None


def _record_charge(transaction: TransactionItem, payment_intent: dict) -> TransactionEvent:
    intent_id = payment_intent["id"]
    done = transaction.events.filter(idempotency_key=f"charge-success:{intent_id}").first()
    if done is not None:
        return done
    reason = _mismatch(transaction, payment_intent)
    if reason:
        event, created = record_event(
            transaction,
            type=TransactionEventType.INFO,
            amount=from_minor_units(amount_received(payment_intent), transaction.currency),
            psp_reference=intent_id,
            message=reason,
            idempotency_key=f"mismatch:{intent_id}",
        )
        if created:
            transaction.message = reason[:512]
            transaction.amount_charge_pending = ZERO
            _save(transaction, "message", "amount_charge_pending")
        return event
    received = from_minor_units(amount_received(payment_intent), transaction.currency)
    event, _ = record_event(
        transaction,
        type=TransactionEventType.CHARGE_SUCCESS,
        amount=received,
        psp_reference=intent_id,
        message="支付成功",
        idempotency_key=f"charge-success:{intent_id}",
    )
    transaction.amount_charged += received
    transaction.amount_charge_pending = ZERO
    transaction.message = ""
    transaction.payment_method_type = _payment_method_type(payment_intent) or transaction.payment_method_type
    _save(transaction, "amount_charged", "amount_charge_pending", "message", "payment_method_type")
    return event


def _payment_method_type(payment_intent: dict) -> str:
    charge = payment_intent.get("latest_charge")
    if isinstance(charge, dict):
        details = charge.get("payment_method_details") or {}
        if details.get("type"):
            return details["type"]
    types = payment_intent.get("payment_method_types") or []
    return types[0] if len(types) == 1 else ""


def _record_charge_pending(transaction: TransactionItem, payment_intent: dict) -> TransactionEvent:
    intent_id = payment_intent["id"]
    amount = from_minor_units(payment_intent.get("amount") or 0, transaction.currency)
    event, created = record_event(
        transaction,
        type=TransactionEventType.CHARGE_REQUEST,
        amount=amount,
        psp_reference=intent_id,
        message="支付处理中",
        idempotency_key=f"charge-pending:{intent_id}",
    )
    if created and not transaction.events.filter(idempotency_key=f"charge-success:{intent_id}").exists():
        transaction.amount_charge_pending = amount
        _save(transaction, "amount_charge_pending")
    return event


def _record_cancel(transaction: TransactionItem, payment_intent: dict) -> TransactionEvent:
    intent_id = payment_intent["id"]
    amount = from_minor_units(payment_intent.get("amount") or 0, transaction.currency)
    event, created = record_event(
        transaction,
        type=TransactionEventType.CANCEL_SUCCESS,
        amount=amount,
        psp_reference=intent_id,
        message="支付已取消",
        idempotency_key=f"cancel:{intent_id}",
    )
    if created:
        transaction.amount_canceled += amount
        transaction.amount_charge_pending = ZERO
        _save(transaction, "amount_canceled", "amount_charge_pending")
    return event


def _record_charge_failure(transaction: TransactionItem, order: Order | None, payment_intent: dict) -> TransactionEvent:
    intent_id = payment_intent["id"]
    error = payment_intent.get("last_payment_error") or {}
    attempt = error.get("charge") or error.get("code") or "unknown"
    message = error.get("message") or DEFAULT_FAILURE_MESSAGE
    event, created = record_event(
        transaction,
        type=TransactionEventType.CHARGE_FAILURE,
        amount=from_minor_units(payment_intent.get("amount") or 0, transaction.currency),
        psp_reference=intent_id,
        message=message,
        idempotency_key=f"charge-failure:{intent_id}:{attempt}",
    )
    if created:
        transaction.message = message[:512]
        transaction.amount_charge_pending = ZERO
        _save(transaction, "message", "amount_charge_pending")
        if order is not None:
            OrderEvent.objects.create(
                order=order,
                type=OrderEventType.PAYMENT_FAILED,
                parameters={"message": message, "transaction": str(transaction.token), "psp_reference": intent_id},
            )
    return event


# --- Refunds -------------------------------------------------------------------------
def _pending_request(transaction: TransactionItem, refund_id: str) -> TransactionEvent | None:
    """Our REFUND_REQUEST for this Stripe refund while no outcome is recorded for it."""
    request = transaction.events.filter(type=TransactionEventType.REFUND_REQUEST, psp_reference=refund_id).first()
    if request is None:
        return None
    resolved = transaction.events.filter(
        Q(type=TransactionEventType.REFUND_SUCCESS) | Q(type=TransactionEventType.REFUND_FAILURE),
        psp_reference=refund_id,
    ).exists()
    return None if resolved else request


def record_refund_request(
    transaction: TransactionItem, refund: dict, *, amount: Decimal, by=None, granted_refund=None
) -> TransactionEvent:
    """Stripe accepted a refund we asked for; it counts as pending until its outcome is recorded."""
    event, created = record_event(
        transaction,
        type=TransactionEventType.REFUND_REQUEST,
        amount=amount,
        psp_reference=refund["id"],
        message="已申请退款",
        idempotency_key=f"refund-request:{refund['id']}",
        by=by,
        granted_refund=granted_refund,
    )
    if created:
        transaction.amount_refund_pending += amount
        _save(transaction, "amount_refund_pending")
    return event


def apply_refund(transaction: TransactionItem, refund: dict) -> TransactionEvent | None:
    """Record a Stripe refund's outcome (ours or one made in Stripe's dashboard); None while pending."""
    refund_id = refund["id"]
    status = refund.get("status")
    amount = from_minor_units(refund.get("amount") or 0, transaction.currency)
    request = _pending_request(transaction, refund_id)
    granted_refund = request.granted_refund if request is not None else None
    if status == "succeeded":
        event, created = record_event(
            transaction,
            type=TransactionEventType.REFUND_SUCCESS,
            amount=amount,
            psp_reference=refund_id,
            message="退款成功",
            idempotency_key=f"refund-success:{refund_id}",
            granted_refund=granted_refund,
        )
        if created:
            transaction.amount_refunded += amount
            if request is not None:
                transaction.amount_refund_pending -= request.amount_value
            _save(transaction, "amount_refunded", "amount_refund_pending")
            _settle_granted_refund(granted_refund)
        return event
    if status in ("failed", "canceled"):
        reason = refund.get("failure_reason") or status
        event, created = record_event(
            transaction,
            type=TransactionEventType.REFUND_FAILURE,
            amount=amount,
            psp_reference=refund_id,
            message=f"退款失败（{reason}）",
            idempotency_key=f"refund-failure:{refund_id}",
            granted_refund=granted_refund,
        )
        if created and request is not None:
            transaction.amount_refund_pending -= request.amount_value
            _save(transaction, "amount_refund_pending")
            _settle_granted_refund(granted_refund)
        return event
    return None


def _settle_granted_refund(granted_refund) -> None:
    """A granted refund is done when none of its Stripe refunds is pending: SUCCESS, or FAILURE if one failed."""
    if granted_refund is None or granted_refund.status not in (GrantedRefundStatus.PENDING,):
        return
    events = list(granted_refund.transaction_events.values_list("type", "psp_reference"))
    outcomes = {
        psp: kind
        for kind, psp in events
        if kind in (TransactionEventType.REFUND_SUCCESS, TransactionEventType.REFUND_FAILURE)
    }
    requests = {psp for kind, psp in events if kind == TransactionEventType.REFUND_REQUEST}
    if requests - set(outcomes):
        return
    failed = TransactionEventType.REFUND_FAILURE in outcomes.values()
    granted_refund.status = GrantedRefundStatus.FAILURE if failed else GrantedRefundStatus.SUCCESS
    granted_refund.save(update_fields=["status", "updated_at"])
    record_granted_refund(granted_refund)
