"""Payments through Saleor's transaction API with Stripe: start a payment, learn its outcome (from the
shopper's transactionProcess or Stripe's webhook), hand a checkout's payments to its order, refund.

Stripe is called outside any row lock where possible: the state it returns is then written under
the locks of the transaction and its order (payments.recording), once, whoever reports it first.
"""

import logging
from decimal import Decimal, InvalidOperation

import stripe
from django.conf import settings
from django.db import connection, transaction

from checkout.selectors import price_checkout
from mall.errors import DomainError
from mall.money import quantize
from orders.charge import refresh_charge_status
from orders.models import Order, OrderStatus
from payments import recording, stripe_client
from payments.gateway import stripe_enabled
from payments.models import STRIPE_GATEWAY, StripeWebhookEvent, TransactionEvent, TransactionEventType, TransactionItem
from payments.refunds import cancel_transaction, execute_granted_refund, refund, refund_transaction
from payments.selectors import (
    covered_amount,
    order_amount_due,
    require_payment_access,
    transaction_by_psp_reference,
    transaction_of_refund,
)

__all__ = [
    "cancel_transaction",
    "execute_granted_refund",
    "handle_stripe_event",
    "initialize_transaction",
    "move_checkout_transactions",
    "process_transaction",
    "refund",
    "refund_transaction",
]

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
# Saleor's limit of transaction items per checkout or order.
MAX_TRANSACTIONS = 100
GATEWAY_NAME = "Stripe"

# The Stripe app's public error codes, returned in `data` (the mutation itself succeeds).
PARSE_ERROR = "ParseError"
UNSUPPORTED_PAYMENT_METHOD = "UnsupportedPaymentMethodError"
STRIPE_CARD_ERROR = "StripeCardError"
STRIPE_API_ERROR = "StripeApiError"


class PaymentDataError(Exception):
    """The storefront's `data` is not what the Stripe app accepts; reported in the response's data."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- Starting a payment ----------------------------------------------------------------
def payment_method_from_data(data, payment_method: str | None = None) -> str | None:
    """The payment method type the storefront chose: `payment_method`, or the Stripe app's
    `data: {paymentIntent: {paymentMethod}}`; None (all enabled types) when neither is given."""
    if data is not None:
        intent = data.get("paymentIntent") if isinstance(data, dict) else None
        if not isinstance(data, dict) or set(data) != {"paymentIntent"} or not isinstance(intent, dict):
            raise PaymentDataError(PARSE_ERROR, "支付数据格式不正确，应为 {paymentIntent: {paymentMethod}}。")
        chosen = intent.get("paymentMethod")
        if not isinstance(chosen, str) or not chosen:
            raise PaymentDataError(PARSE_ERROR, "支付数据缺少 paymentIntent.paymentMethod。")
        payment_method = chosen
    if payment_method is None:
        return None
    if payment_method not in stripe_client.enabled_payment_method_types():
        raise PaymentDataError(UNSUPPORTED_PAYMENT_METHOD, f"不支持的支付方式：{payment_method}。")
    return payment_method


def _checkout_amount_due(checkout) -> Decimal:
    lines, prices = price_checkout(checkout)
    if not lines:
        raise DomainError("购物车是空的，无法支付。", field="id", code="INVALID")
    return max(quantize(prices.total - covered_amount(checkout.transactions.all())), ZERO)


def _order_amount_due(order) -> Decimal:
    if order.status in (OrderStatus.CANCELED, OrderStatus.EXPIRED):
        raise DomainError("订单已取消，不能再支付。", field="id", code="INVALID")
    if order.is_paid:
        raise DomainError("订单已支付。", field="id", code="INVALID")
    return order_amount_due(order)


def _amount_to_charge(amount, due: Decimal) -> Decimal:
    if due <= 0:
        raise DomainError("无需再支付：应付金额已付清。", field="id", code="INVALID")
    if amount is None:
        return due
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise DomainError("金额格式不正确。", field="amount", code="INVALID") from error
    if not amount.is_finite() or amount <= 0:
        raise DomainError("支付金额必须大于 0。", field="amount", code="INVALID")
    if amount != quantize(amount):
        raise DomainError("支付金额最多两位小数（分）。", field="amount", code="INVALID")
    if amount > due:
        raise DomainError(f"支付金额不能超过应付金额 ¥{due}。", field="amount", code="INVALID")
    return quantize(amount)


def _client_secret_data(payment_intent) -> dict:
    """The Stripe app's success `data`, which Saleor's Stripe drop-in reads."""
    return {"paymentIntent": {"stripeClientSecret": payment_intent["client_secret"]}}


def _error_data(code: str, message: str) -> dict:
    """The Stripe app's failure `data`."""
    return {"paymentIntent": {"errors": [{"code": code, "message": message}]}}


def _data_of_existing(transaction_item: TransactionItem) -> dict | None:
    if transaction_item.psp_reference:
        return _client_secret_data(stripe_client.retrieve_payment_intent(transaction_item.psp_reference))
    failure = transaction_item.events.filter(type=TransactionEventType.CHARGE_FAILURE).last()
    return _error_data(STRIPE_API_ERROR, failure.message) if failure else None


def _metadata(transaction_item: TransactionItem, checkout, order) -> dict:
    metadata = {"transaction_token": transaction_item.token}
    if checkout is not None:
        metadata["checkout_token"] = checkout.token
    if order is not None:
        metadata.update(order_id=order.pk, order_number=order.number)
    return metadata


def initialize_transaction(
    *,
    checkout=None,
    order=None,
    amount=None,
    payment_method: str | None = None,
    data=None,
    user=None,
    idempotency_key: str | None = None,
    action: str | None = None,
    currency: str | None = None,
):
    """Start a Stripe payment for a checkout or an order, as Saleor's transactionInitialize.

    `amount` defaults to what is still owed. Returns (transaction, event, data): data is the Stripe
    app's `{paymentIntent: {stripeClientSecret}}`, or `{paymentIntent: {errors}}` when the choice of
    payment method or Stripe refused (the transaction then carries a CHARGE_FAILURE event).
    `user` is whoever asks (None: the system); someone else's checkout or order is not found.
    The same `idempotency_key` on the same checkout or order returns the first result again.
    """
    if (checkout is None) == (order is None):
        raise ValueError("Pass exactly one of checkout or order.")
    if user is not None:
        require_payment_access(user, checkout=checkout, order=order)
    if not stripe_enabled():
        raise DomainError("在线支付暂不可用。", field="paymentGateway", code="NOT_FOUND")
    if action not in (None, "CHARGE"):
        raise DomainError("本商城只支持直接扣款（CHARGE）。", field="action", code="INVALID")
    if idempotency_key is not None and not idempotency_key.strip():
        raise DomainError("幂等键不能为空字符串。", field="idempotencyKey", code="INVALID")
    owner = checkout if checkout is not None else order
    if currency is not None and currency.upper() != owner.currency:
        raise DomainError(f"币种不符：应为 {owner.currency}。", field="currency", code="INVALID")
    if owner.currency != settings.DEFAULT_CURRENCY:
        raise DomainError(f"不支持以 {owner.currency} 支付。", field="id", code="INVALID")

    with transaction.atomic():
        if order is not None:
            order = Order.objects.get(pk=order.pk)  # its status and amounts as they are now
        if idempotency_key:
            repeated = _repeated_initialization(checkout, order, idempotency_key, amount)
            if repeated is not None:
                return repeated
        due = _checkout_amount_due(checkout) if checkout is not None else _order_amount_due(order)
        amount = _amount_to_charge(amount, due)
        if TransactionItem.objects.filter(checkout=checkout, order=order).count() >= MAX_TRANSACTIONS:
            raise DomainError("支付次数过多，请联系客服。", field="id", code="INVALID")

        item = TransactionItem.objects.create(
            name=GATEWAY_NAME,
            app_identifier=STRIPE_GATEWAY,
            checkout=checkout,
            order=order,
            user=user if user is not None and user.is_authenticated else None,
            currency=owner.currency,
        )
        recording.record_event(
            item,
            type=TransactionEventType.CHARGE_REQUEST,
            amount=amount,
            message="发起支付",
            idempotency_key=idempotency_key or "",
            by=user,
        )
        try:
            chosen = payment_method_from_data(data, payment_method)
        except PaymentDataError as error:
            return _failed(item, amount, error.code, error.message)
        types = [chosen] if chosen else stripe_client.enabled_payment_method_types()
        try:
            intent = stripe_client.create_payment_intent(
                amount=amount,
                currency=owner.currency,
                payment_method_types=types,
                metadata=_metadata(item, checkout, order),
                idempotency_key=str(item.token),
            )
        except stripe.CardError as error:
            return _failed(item, amount, STRIPE_CARD_ERROR, error.user_message or "银行卡被拒绝。")
        except stripe.StripeError as error:
            logger.warning("Stripe refused a PaymentIntent for transaction %s: %s", item.token, error)
            return _failed(item, amount, STRIPE_API_ERROR, "支付网关暂时不可用，请稍后再试。")
        intent = intent.to_dict()
        item.psp_reference = intent["id"]
        item.payment_method_type = chosen or ""
        item.save(update_fields=["psp_reference", "payment_method_type", "modified_at"])
        event = recording.apply_payment_intent(item, order, intent)
    return item, event, _client_secret_data(intent)


def _failed(item: TransactionItem, amount: Decimal, code: str, message: str):
    event, _ = recording.record_event(item, type=TransactionEventType.CHARGE_FAILURE, amount=amount, message=message)
    item.message = message[:512]
    item.save(update_fields=["message", "modified_at"])
    return item, event, _error_data(code, message)


def _repeated_initialization(checkout, order, idempotency_key: str, amount):
    request = (
        TransactionEvent.objects.filter(
            type=TransactionEventType.CHARGE_REQUEST,
            idempotency_key=idempotency_key,
            transaction__checkout=checkout,
            transaction__order=order,
        )
        .select_related("transaction")
        .first()
    )
    if request is None:
        return None
    if amount is not None and quantize(Decimal(amount)) != request.amount_value:
        raise DomainError("这个幂等键已用于另一个金额的支付。", field="idempotencyKey", code="UNIQUE")
    item = request.transaction
    return item, item.events.order_by("created_at", "pk").last(), _data_of_existing(item)


# --- Learning the outcome ------------------------------------------------------------------
def process_transaction(transaction_item: TransactionItem, *, user=None):
    """Ask Stripe how the payment stands and record it, as Saleor's transactionProcess: the
    storefront calls it after Stripe.js confirmed, so the order need not wait for the webhook.
    Returns (transaction, event, data) with the same data as transactionInitialize."""
    if user is not None:
        require_payment_access(user, checkout=transaction_item.checkout, order=transaction_item.order)
    if not transaction_item.psp_reference:
        # Stripe never created a PaymentIntent for it: there is nothing to ask about.
        return (
            transaction_item,
            transaction_item.events.order_by("created_at", "pk").last(),
            _data_of_existing(transaction_item),
        )
    try:
        intent = stripe_client.retrieve_payment_intent(transaction_item.psp_reference)
    except stripe.StripeError as error:
        logger.warning("Could not read PaymentIntent %s: %s", transaction_item.psp_reference, error)
        raise DomainError("暂时无法查询支付结果，请稍后再试。", field="id", code="INVALID") from error
    intent = intent.to_dict()
    with transaction.atomic():
        item, order = recording.lock_transaction(transaction_item.pk)
        event = recording.apply_payment_intent(item, order, intent)
        if order is not None:
            refresh_charge_status(order)
    return item, event, _client_secret_data(intent)


def move_checkout_transactions(checkout, order) -> int:
    """Hand the checkout's payments to the order made from it, then recompute the order's charge
    status; returns how many moved. Called by checkoutComplete inside its transaction."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        tokens = list(
            TransactionItem.objects.select_for_update().filter(checkout=checkout).values_list("pk", flat=True)
        )
        moved = TransactionItem.objects.filter(pk__in=tokens).update(order=order, checkout=None)
        refresh_charge_status(order)
    return moved


# --- Stripe's webhooks -------------------------------------------------------------------------
def _first_time(event_id: str, event_type: str) -> bool:
    """Insert the event id; False when it was there already (the event is a replay)."""
    table = StripeWebhookEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (event_id, type, received_at) VALUES (%s, %s, now()) "  # noqa: S608 - model's table
            "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
            [event_id, event_type[:128]],
        )
        return cursor.fetchone() is not None


def _on_payment_intent(intent: dict) -> None:
    found = transaction_by_psp_reference(intent.get("id", ""))
    if found is None:
        logger.info("Stripe event about PaymentIntent %s, which is not ours", intent.get("id"))
        return
    item, order = recording.lock_transaction(found.pk)
    recording.apply_payment_intent(item, order, intent)
    if order is not None:
        refresh_charge_status(order)


def _on_refunds(payment_intent_id: str, refunds: list[dict], refund_id: str = "") -> None:
    found = transaction_by_psp_reference(payment_intent_id) or transaction_of_refund(refund_id)
    if found is None:
        logger.info("Stripe refund event about %s, which is not ours", payment_intent_id or refund_id)
        return
    item, order = recording.lock_transaction(found.pk)
    for each in refunds:
        recording.apply_refund(item, each)
    if order is not None:
        refresh_charge_status(order)


def _charge_refunds(charge: dict) -> list[dict]:
    """The charge's refunds: in the event on older API versions, asked of Stripe on newer ones."""
    listed = (charge.get("refunds") or {}).get("data")
    if listed is not None:
        return listed
    return [refund.to_dict() for refund in stripe_client.refunds_of_charge(charge["id"])]


PAYMENT_INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.processing",
    "payment_intent.canceled",
}
REFUND_EVENTS = {"charge.refunded", "charge.refund.updated", "refund.updated", "refund.failed"}


def handle_stripe_event(event) -> str:
    """Act on a verified Stripe event once: "processed", "duplicate" (the id was seen before) or
    "ignored" (a type the mall does not use). Recording the id and acting on it share one
    database transaction, so an event that fails half-way is not marked seen and Stripe's retry
    gets a clean second chance."""
    if hasattr(event, "to_dict"):
        event = event.to_dict()
    event_type = event.get("type", "")
    if event_type not in PAYMENT_INTENT_EVENTS | REFUND_EVENTS:
        return "ignored"
    obj = event["data"]["object"]
    refunds = None
    if event_type == "charge.refunded":
        refunds = _charge_refunds(obj)  # may ask Stripe: before any lock is taken
    with transaction.atomic():
        if not _first_time(event["id"], event_type):
            return "duplicate"
        if event_type in PAYMENT_INTENT_EVENTS:
            _on_payment_intent(obj)
        elif refunds is not None:
            _on_refunds(obj.get("payment_intent") or "", refunds)
        else:
            _on_refunds(obj.get("payment_intent") or "", [obj], refund_id=obj.get("id", ""))
    return "processed"
