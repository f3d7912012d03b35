import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from mall.money import default_currency


class BulkOrderStatus(models.TextChoices):
    DRAFT = "DRAFT", "草稿"
    SUBMITTED = "SUBMITTED", "待审批"
    APPROVED = "APPROVED", "已批准"
    REJECTED = "REJECTED", "已驳回"
    PLACED = "PLACED", "已下单"
    PAID = "PAID", "已付款"
    FULFILLED = "FULFILLED", "已发货"
    CANCELED = "CANCELED", "已取消"


class BulkOrder(models.Model):
    """采购单 (bulk order) of a branch union: built by a clerk, approved by the branch's approver, placed as
    an order (orders.Order, origin BULK) and paid by card or bank transfer."""

    class PaymentMethod(models.TextChoices):
        TRANSFER = "TRANSFER", "对公转账"
        CARD = "CARD", "银行卡"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.BigIntegerField(
        "采购单号",
        unique=True,
        editable=False,
        db_default=models.Func(models.Value("bulk_orders_number_seq"), function="nextval"),
    )
    branch = models.ForeignKey("branches.UnionBranch", on_delete=models.PROTECT, related_name="bulk_orders")
    channel = models.ForeignKey("catalog.Channel", on_delete=models.PROTECT, related_name="bulk_orders")
    name = models.CharField("名称", max_length=200)
    note = models.TextField("备注", blank=True)
    status = models.CharField("状态", max_length=16, choices=BulkOrderStatus.choices, default=BulkOrderStatus.DRAFT)
    currency = models.CharField(max_length=3, default=default_currency)
    # Paid by bank transfer, the transfer's remark must carry this code so the operator can match it.
    payment_reference = models.CharField("付款识别码", max_length=32, unique=True)
    payment_method = models.CharField(
        "付款方式", max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    rejection_reason = models.CharField("驳回原因", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The order placing made (origin BULK): its lines hold the prices, allocations and fulfilments.
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="bulk_order"
    )
    total_amount = models.DecimalField("合计", max_digits=14, decimal_places=2, default=Decimal("0"))
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    # 采购计划 (purchase plan) as approved: items, suppliers, frozen prices, branch and people, written once by
    # approve() (bulk_orders.purchase_plan.snapshot); the XLSX and the public notice are drawn from it alone.
    purchase_plan = models.JSONField("采购计划", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = "采购单"
        verbose_name_plural = "采购单"
        indexes = [
            models.Index(fields=["branch", "status", "-number"], name="bulk_order_branch_status_idx"),
            # The public notices (公示), newest approval first.
            models.Index(
                fields=["-approved_at", "-number"],
                name="bulk_order_approved_idx",
                condition=Q(approved_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"CG{self.number}"


class BulkRecipient(models.Model):
    """A member (or other person) who receives goods of a bulk order, as a recipient list row named them."""

    bulk_order = models.ForeignKey(BulkOrder, on_delete=models.CASCADE, related_name="recipients")
    name = models.CharField("姓名", max_length=64)
    phone = models.CharField("手机号", max_length=32)
    province = models.CharField("省", max_length=64)
    city = models.CharField("市", max_length=64)
    district = models.CharField("区", max_length=64)
    street_address = models.CharField("详细地址", max_length=256)
    # The member this phone number belongs to, when there is one: their gift shows in their orders.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="bulk_gifts"
    )
    row_number = models.PositiveIntegerField("表格行号", null=True, blank=True)

    class Meta:
        ordering = ["row_number", "pk"]
        verbose_name = "收件人"
        verbose_name_plural = "收件人"
        indexes = [models.Index(fields=["bulk_order", "phone"], name="bulk_recipient_phone_idx")]


class BulkOrderLine(models.Model):
    """A variant or a gift pack and how many: for one recipient (from a recipient list) or for the branch
    itself (a quick order, delivered to the branch)."""

    bulk_order = models.ForeignKey(BulkOrder, on_delete=models.CASCADE, related_name="lines")
    recipient = models.ForeignKey(BulkRecipient, on_delete=models.CASCADE, null=True, blank=True, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gift_pack = models.ForeignKey(
        "bulk_orders.GiftPack", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField("数量")
    row_number = models.PositiveIntegerField("表格行号", null=True, blank=True)
    # Prices frozen at approval (null before): what the approver signed is what placing charges, whatever
    # list prices or volume tiers do later. bulk_orders.pricing reads them when set.
    undiscounted_unit_price_amount = models.DecimalField(
        "审批时单价", max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    unit_price_amount = models.DecimalField(
        "审批时折后单价", max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    discount_percent = models.DecimalField(
        "审批时批量折扣（%）", max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["row_number", "pk"]
        verbose_name = "采购明细"
        verbose_name_plural = "采购明细"
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="bulk_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(variant__isnull=False, gift_pack__isnull=True)
                | Q(variant__isnull=True, gift_pack__isnull=False),
                name="bulk_line_variant_or_pack",
            ),
        ]


class BulkOrderTransition(models.Model):
    """One step of a bulk order's workflow: who moved it from which status to which, when and why."""

    bulk_order = models.ForeignKey(BulkOrder, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=BulkOrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=BulkOrderStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "采购单流转记录"
        verbose_name_plural = "采购单流转记录"


class BulkOrderAttachment(models.Model):
    """Paperwork a procurement threshold asks for: three quotes or the committee's minutes."""

    class Kind(models.TextChoices):
        QUOTE = "QUOTE", "报价单"
        MINUTES = "MINUTES", "会议纪要"
        OTHER = "OTHER", "其他"

    bulk_order = models.ForeignKey(BulkOrder, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    file = models.FileField("文件", upload_to="bulk-order-attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "采购附件"
        verbose_name_plural = "采购附件"


class RecipientImport(models.Model):
    """An uploaded recipient list being checked and imported: its progress and every bad row found."""

    class Status(models.TextChoices):
        PENDING = "PENDING", "排队中"
        RUNNING = "RUNNING", "校验中"
        FAILED = "FAILED", "有错误"
        DONE = "DONE", "已导入"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bulk_order = models.ForeignKey(BulkOrder, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(upload_to="bulk-order-imports")
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    drop_bad_rows = models.BooleanField("忽略错误行", default=False)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "手机号", "code": "INVALID_PHONE", "message": "..."}]
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
