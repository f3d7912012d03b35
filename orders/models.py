"""Orders, as Saleor's: a snapshot of a completed checkout that is paid, allocated and fulfilled."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mall.money import default_currency


class OrderStatus(models.TextChoices):
    UNCONFIRMED = "UNCONFIRMED", "待确认"
    UNFULFILLED = "UNFULFILLED", "待发货"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED", "部分发货"
    FULFILLED = "FULFILLED", "已发货"
    CANCELED = "CANCELED", "已取消"
    EXPIRED = "EXPIRED", "已过期"


class OrderChargeStatus(models.TextChoices):
    """How much of what is due has been charged, as Saleor's OrderChargeStatusEnum."""

    NONE = "NONE", "未支付"
    PARTIAL = "PARTIAL", "部分支付"
    FULL = "FULL", "已支付"
    OVERCHARGED = "OVERCHARGED", "多付"


class OrderOrigin(models.TextChoices):
    CHECKOUT = "CHECKOUT", "购物车"
    DRAFT = "DRAFT", "草稿"
    BULK = "BULK", "工会采购"


class Order(models.Model):
    """订单 (order). Amounts: total = subtotal − discount + shipping − allowance, the part paid by card
    or transfer; the allowance part is paid from the member's welfare allowance ledger."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A plain increasing number people read out on the phone; from its own sequence, never reused.
    number = models.BigIntegerField(
        "订单号",
        unique=True,
        editable=False,
        db_default=models.Func(models.Value("orders_order_number_seq"), function="nextval"),
    )
    status = models.CharField("状态", max_length=32, choices=OrderStatus.choices, default=OrderStatus.UNCONFIRMED)
    charge_status = models.CharField(
        "支付状态", max_length=32, choices=OrderChargeStatus.choices, default=OrderChargeStatus.NONE
    )
    origin = models.CharField("来源", max_length=32, choices=OrderOrigin.choices, default=OrderOrigin.CHECKOUT)
    channel = models.ForeignKey("catalog.Channel", on_delete=models.PROTECT, related_name="orders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    user_email = models.EmailField("电子邮箱", blank=True)
    # The checkout this order was completed from, so completing it twice finds this order again.
    checkout_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Whether the lines were priced at member prices (the buyer was a verified member then).
    priced_as_member = models.BooleanField("会员价", default=False)
    currency = models.CharField(max_length=3, default=default_currency)
    shipping_address = models.ForeignKey(
        "accounts.Address", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    billing_address = models.ForeignKey(
        "accounts.Address", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shipping_method = models.ForeignKey(
        "checkout.ShippingMethod", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    shipping_method_name = models.CharField("配送方式", max_length=255, blank=True)
    voucher = models.ForeignKey(
        "checkout.Voucher", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    voucher_code = models.CharField("优惠码", max_length=255, blank=True)
    undiscounted_subtotal_amount = models.DecimalField("商品原价合计", max_digits=12, decimal_places=2)
    subtotal_amount = models.DecimalField("商品小计", max_digits=12, decimal_places=2)
    shipping_price_amount = models.DecimalField("运费", max_digits=12, decimal_places=2, default=Decimal("0"))
    discount_amount = models.DecimalField("优惠", max_digits=12, decimal_places=2, default=Decimal("0"))
    allowance_amount = models.DecimalField("福利额度抵扣", max_digits=12, decimal_places=2, default=Decimal("0"))
    total_amount = models.DecimalField("应付金额", max_digits=12, decimal_places=2)
    # Kept by the payments app from the order's transactions: charged minus refunded.
    total_charged_amount = models.DecimalField("已付金额", max_digits=12, decimal_places=2, default=Decimal("0"))
    customer_note = models.TextField("备注", blank=True)
    # Unpaid orders hold their stock until then; a beat task cancels them afterwards.
    payment_due_at = models.DateTimeField("支付截止", null=True, blank=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    canceled_at = models.DateTimeField("取消时间", null=True, blank=True)
    created_at = models.DateTimeField("下单时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = "订单"
        verbose_name_plural = "订单"
        indexes = [
            models.Index(fields=["user", "-number"], name="order_user_idx"),
            models.Index(fields=["status", "-number"], name="order_status_idx"),
            models.Index(
                fields=["payment_due_at"],
                name="order_unpaid_due_idx",
                condition=Q(charge_status="NONE", status="UNCONFIRMED"),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_amount__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(condition=Q(allowance_amount__gte=0), name="order_allowance_not_negative"),
        ]

    def __str__(self):
        return f"#{self.number}"

    @property
    def is_paid(self) -> bool:
        return self.charge_status in (OrderChargeStatus.FULL, OrderChargeStatus.OVERCHARGED)


class OrderLine(models.Model):
    """One variant of an order, with a snapshot of what it was and cost when it was bought."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.SET_NULL, null=True, blank=True, related_name="order_lines"
    )
    product_name = models.CharField("商品名称", max_length=386)
    variant_name = models.CharField("规格", max_length=255, blank=True)
    product_sku = models.CharField("SKU", max_length=255, blank=True)
    product_id = models.IntegerField(null=True, blank=True, editable=False)
    merchant_name = models.CharField("商户", max_length=250, blank=True)
    is_shipping_required = models.BooleanField(default=True)
    quantity = models.PositiveIntegerField("数量")
    quantity_fulfilled = models.PositiveIntegerField("已发货数量", default=0)
    currency = models.CharField(max_length=3, default=default_currency)
    undiscounted_unit_price_amount = models.DecimalField("售价", max_digits=12, decimal_places=2)
    member_price_amount = models.DecimalField("会员价", max_digits=12, decimal_places=2, null=True, blank=True)
    unit_price_amount = models.DecimalField("成交单价", max_digits=12, decimal_places=2)
    total_price_amount = models.DecimalField("小计", max_digits=12, decimal_places=2)
    # The part of this line paid from welfare allowances (given back to the ledger on refund).
    allowance_amount = models.DecimalField("福利额度抵扣", max_digits=12, decimal_places=2, default=Decimal("0"))
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "订单商品"
        verbose_name_plural = "订单商品"
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(quantity_fulfilled__lte=F("quantity")), name="order_line_fulfilled_within_quantity"
            ),
        ]

    def __str__(self):
        return f"{self.product_name} {self.variant_name}".strip()

    @property
    def quantity_unfulfilled(self) -> int:
        return self.quantity - self.quantity_fulfilled


class Allocation(models.Model):
    """Units of a stock row held for an order line: taken at checkoutComplete, released on cancel,
    turned into a stock decrease when fulfilled."""

    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="allocations")
    stock = models.ForeignKey("catalog.Stock", on_delete=models.CASCADE, related_name="allocations")
    quantity_allocated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["order_line", "stock"], name="unique_allocation")]


class FulfillmentStatus(models.TextChoices):
    FULFILLED = "FULFILLED", "已发货"
    CANCELED = "CANCELED", "已取消"
    REFUNDED = "REFUNDED", "已退款"
    RETURNED = "RETURNED", "已退货"


class Fulfillment(models.Model):
    """发货 (fulfillment): one parcel of an order, as Saleor's Fulfillment."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    fulfillment_order = models.PositiveIntegerField(editable=False)
    status = models.CharField(max_length=32, choices=FulfillmentStatus.choices, default=FulfillmentStatus.FULFILLED)
    tracking_number = models.CharField("运单号", max_length=255, blank=True)
    # A parcel of a bulk order (origin BULK) goes to one recipient (none: to the branch itself) from one
    # merchant; both stay empty for a member's order.
    bulk_recipient = models.ForeignKey(
        "bulk_orders.BulkRecipient",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfillments",
        verbose_name="收件人",
    )
    merchant = models.ForeignKey(
        "catalog.Merchant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="商户"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "发货"
        verbose_name_plural = "发货"

    def __str__(self):
        return f"{self.order}-{self.fulfillment_order}"


class FulfillmentLine(models.Model):
    fulfillment = models.ForeignKey(Fulfillment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="fulfillment_lines")
    quantity = models.PositiveIntegerField()
    stock = models.ForeignKey("catalog.Stock", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")


class OrderEventType(models.TextChoices):
    """Saleor's OrderEventsEnum (the ones this mall writes), plus ALLOCATION_RELEASED."""

    PLACED = "PLACED", "已下单"
    CONFIRMED = "CONFIRMED", "已确认"
    ORDER_FULLY_PAID = "ORDER_FULLY_PAID", "已支付"
    ORDER_MARKED_AS_PAID = "ORDER_MARKED_AS_PAID", "标记为已支付"
    PAYMENT_FAILED = "PAYMENT_FAILED", "支付失败"
    TRANSACTION_EVENT = "TRANSACTION_EVENT", "支付记录"
    TRANSACTION_REFUND_REQUESTED = "TRANSACTION_REFUND_REQUESTED", "已申请退款"
    ORDER_GRANTED_REFUND = "ORDER_GRANTED_REFUND", "已批准退款"
    PAYMENT_REFUNDED = "PAYMENT_REFUNDED", "已退款"
    ALLOCATION_RELEASED = "ALLOCATION_RELEASED", "已释放库存"
    CANCELED = "CANCELED", "已取消"
    EXPIRED = "EXPIRED", "已过期"
    FULFILLMENT_FULFILLED_ITEMS = "FULFILLMENT_FULFILLED_ITEMS", "已发货"
    FULFILLMENT_CANCELED = "FULFILLMENT_CANCELED", "取消发货"
    TRACKING_UPDATED = "TRACKING_UPDATED", "更新运单号"
    EMAIL_SENT = "EMAIL_SENT", "已发送邮件"
    NOTE_ADDED = "NOTE_ADDED", "备注"
    UPDATED_ADDRESS = "UPDATED_ADDRESS", "修改地址"
    OTHER = "OTHER", "其他"


class OrderEvent(models.Model):
    """A line of an order's timeline: what happened, when and who did it. Never edited."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=64, choices=OrderEventType.choices)
    date = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Saleor's event parameters: message, amount, email, email_type, lines, reason, transaction ...
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = "订单记录"
        verbose_name_plural = "订单记录"


class GrantedRefundStatus(models.TextChoices):
    NONE = "NONE", "待处理"
    PENDING = "PENDING", "处理中"
    SUCCESS = "SUCCESS", "已退款"
    FAILURE = "FAILURE", "退款失败"


class OrderGrantedRefund(models.Model):
    """A refund staff granted on an order (Saleor's orderGrantRefundCreate), carried out by
    refunding the order's transactions and giving the allowance part back to the ledger."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="granted_refunds")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default=default_currency)
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=GrantedRefundStatus.choices, default=GrantedRefundStatus.NONE)
    shipping_costs_included = models.BooleanField(default=False)
    transaction_item = models.ForeignKey(
        "payments.TransactionItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="granted_refunds"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="granted_refund_positive")]


class OrderGrantedRefundLine(models.Model):
    granted_refund = models.ForeignKey(OrderGrantedRefund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="granted_refund_lines")
    quantity = models.PositiveIntegerField()
    reason = models.TextField(blank=True)
