import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from mall.money import default_currency


class Checkout(models.Model):
    """购物车 (checkout): what a shopper is about to buy, as Saleor's Checkout.

    Its prices are never stored: they are worked out for whoever the checkout belongs to each
    time it is read (checkout.calculations), so a member verified or a customer attached after
    the lines were added pays the right price. The order snapshots them at completion.
    """

    # Saleor identifies a checkout by its token: the Relay ID is "Checkout:<token>".
    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.ForeignKey("catalog.Channel", on_delete=models.PROTECT, related_name="checkouts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="checkouts"
    )
    email = models.EmailField("电子邮箱", blank=True)
    currency = models.CharField(max_length=3, default=default_currency)
    shipping_address = models.ForeignKey(
        "accounts.Address", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    billing_address = models.ForeignKey(
        "accounts.Address", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shipping_method = models.ForeignKey(
        "checkout.ShippingMethod", on_delete=models.SET_NULL, null=True, blank=True, related_name="checkouts"
    )
    voucher = models.ForeignKey(
        "checkout.Voucher", on_delete=models.SET_NULL, null=True, blank=True, related_name="checkouts"
    )
    voucher_code = models.CharField("优惠码", max_length=255, blank=True)
    # The most welfare allowance the shopper wants to spend here; null when none is applied.
    # What is actually spent is capped by the balance and the eligible lines at each calculation.
    allowance_requested = models.DecimalField(
        "使用福利额度",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    customer_note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_change = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-last_change", "pk"]
        verbose_name = "购物车"
        verbose_name_plural = "购物车"
        indexes = [models.Index(fields=["user", "-last_change"], name="checkout_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(allowance_requested__isnull=True) | Q(allowance_requested__gte=0),
                name="checkout_allowance_not_negative",
            )
        ]

    def __str__(self):
        return str(self.token)


class CheckoutLine(models.Model):
    """One variant and how many of it are in a checkout."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField("数量")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "购物车商品"
        verbose_name_plural = "购物车商品"
        constraints = [
            models.UniqueConstraint(fields=["checkout", "variant"], name="unique_checkout_line_variant"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="checkout_line_quantity_positive"),
        ]
