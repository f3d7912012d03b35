"""Payments as Saleor's transactions: one TransactionItem per payment attempt at the gateway (a Stripe
PaymentIntent), its amounts kept from the events the gateway reported."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from mall.money import default_currency

STRIPE_GATEWAY = "saleor.app.payment.stripe"
# A bank transfer (对公转账) an operator recorded (bulk_orders.payments); refunded offline, never at Stripe.
BANK_TRANSFER_GATEWAY = "union-mall.bank-transfer"


class TransactionItem(models.Model):
    """支付记录 (transaction): a payment at the gateway for a checkout or an order.

    Created for a checkout by transactionInitialize; moves to the order when the checkout is
    completed. Amounts are what the gateway confirmed, never what the client claimed.
    """

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=512, blank=True)
    message = models.CharField(max_length=512, blank=True)
    psp_reference = models.CharField("支付单号", max_length=512, blank=True, db_index=True)
    app_identifier = models.CharField(max_length=256, default=STRIPE_GATEWAY)
    checkout = models.ForeignKey(
        "checkout.Checkout", on_delete=models.SET_NULL, null=True, blank=True, related_name="transactions"
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="transactions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    currency = models.CharField(max_length=3, default=default_currency)
    payment_method_type = models.CharField(max_length=32, blank=True)
    amount_authorized = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    amount_charged = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    amount_charge_pending = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    amount_refund_pending = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    amount_canceled = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "支付记录"
        verbose_name_plural = "支付记录"
        constraints = [
            models.CheckConstraint(condition=Q(amount_charged__gte=0), name="transaction_charged_not_negative"),
            models.CheckConstraint(condition=Q(amount_refunded__gte=0), name="transaction_refunded_not_negative"),
            models.UniqueConstraint(
                fields=["app_identifier", "psp_reference"],
                condition=~Q(psp_reference=""),
                name="unique_transaction_psp_reference",
            ),
        ]

    def __str__(self):
        return self.psp_reference or str(self.token)


class TransactionEventType(models.TextChoices):
    """Saleor's TransactionEventTypeEnum."""

    AUTHORIZATION_SUCCESS = "AUTHORIZATION_SUCCESS"
    AUTHORIZATION_FAILURE = "AUTHORIZATION_FAILURE"
    AUTHORIZATION_ADJUSTMENT = "AUTHORIZATION_ADJUSTMENT"
    AUTHORIZATION_REQUEST = "AUTHORIZATION_REQUEST"
    AUTHORIZATION_ACTION_REQUIRED = "AUTHORIZATION_ACTION_REQUIRED"
    CHARGE_ACTION_REQUIRED = "CHARGE_ACTION_REQUIRED"
    CHARGE_SUCCESS = "CHARGE_SUCCESS"
    CHARGE_FAILURE = "CHARGE_FAILURE"
    CHARGE_BACK = "CHARGE_BACK"
    CHARGE_REQUEST = "CHARGE_REQUEST"
    REFUND_SUCCESS = "REFUND_SUCCESS"
    REFUND_FAILURE = "REFUND_FAILURE"
    REFUND_REVERSE = "REFUND_REVERSE"
    REFUND_REQUEST = "REFUND_REQUEST"
    CANCEL_SUCCESS = "CANCEL_SUCCESS"
    CANCEL_FAILURE = "CANCEL_FAILURE"
    CANCEL_REQUEST = "CANCEL_REQUEST"
    INFO = "INFO"


class TransactionEvent(models.Model):
    """Something the gateway or a person did to a transaction. Never edited."""

    transaction = models.ForeignKey(TransactionItem, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=64, choices=TransactionEventType.choices)
    amount_value = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3, default=default_currency)
    psp_reference = models.CharField(max_length=512, blank=True)
    message = models.CharField(max_length=512, blank=True)
    external_url = models.URLField(max_length=1024, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The Stripe event, refund or request this came from: the same one is never recorded twice.
    idempotency_key = models.CharField(max_length=512, blank=True)
    # The refund staff granted on the order that this refund event carries out. Refunds granted this
    # way lower what the order owes; a refund made elsewhere (Stripe's dashboard) does not.
    granted_refund = models.ForeignKey(
        "orders.OrderGrantedRefund",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transaction_events",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transaction", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_transaction_event_idempotency_key",
            )
        ]


class StripeWebhookEvent(models.Model):
    """A Stripe event id already received: each event is processed once, however often it is sent."""

    event_id = models.CharField(max_length=255, primary_key=True)
    type = models.CharField(max_length=128)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at"]
