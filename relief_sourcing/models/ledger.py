from django.conf import settings
from django.db import models
from django.db.models import Q


class ReliefChannel(models.TextChoices):
    MEMBER = "MEMBER", "会员个人消费"
    BRANCH = "BRANCH", "工会集中采购"


class ReliefLedgerEvent(models.TextChoices):
    PAID = "PAID", "支付"
    REFUNDED = "REFUNDED", "退款"
    CANCELED = "CANCELED", "支付后取消"


class ReliefLedgerEntry(models.Model):
    """消费帮扶台账 (relief purchase ledger): one paid order line of a product certified at the time of purchase,
    credited to a branch; refunds and cancellations after payment are negative entries. Append-only: the
    model refuses updates and deletes and a database trigger refuses them too.

    `branch_path` is the credited branch's tree path when the entry was written, so a subtree's total is
    one indexed prefix scan of this table (a branch moved later keeps its history where it was).
    """

    branch = models.ForeignKey("branches.UnionBranch", on_delete=models.PROTECT, related_name="relief_entries")
    branch_path = models.CharField(max_length=255, editable=False)
    channel = models.CharField("渠道", max_length=8, choices=ReliefChannel.choices)
    event = models.CharField("事件", max_length=16, choices=ReliefLedgerEvent.choices)
    # What makes the event unique for its line: the payment for PAID, the refund or cancellation otherwise.
    event_key = models.CharField(max_length=128)
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    quantity = models.IntegerField("数量")
    region = models.ForeignKey("relief_sourcing.PartnerRegion", on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey("relief_sourcing.ReliefSupplier", on_delete=models.PROTECT, related_name="+")
    certification = models.ForeignKey(
        "relief_sourcing.ReliefCertification", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="relief_entries")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="relief_entries")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField("发生时间")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = "消费帮扶台账"
        verbose_name_plural = "消费帮扶台账"
        constraints = [
            models.UniqueConstraint(fields=["order_line", "event", "event_key"], name="relief_entry_once"),
            models.CheckConstraint(
                condition=Q(event="PAID", amount__gte=0, quantity__gte=0)
                | Q(event__in=["REFUNDED", "CANCELED"], amount__lte=0, quantity__lte=0),
                name="relief_entry_sign_matches_event",
            ),
        ]
        indexes = [
            models.Index(
                fields=["branch_path", "occurred_at"],
                name="relief_entry_subtree_idx",
                opclasses=["varchar_pattern_ops", ""],
            ),
            models.Index(fields=["branch", "occurred_at"], name="relief_entry_branch_idx"),
            models.Index(fields=["occurred_at"], name="relief_entry_time_idx"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Relief ledger entries are append-only; write a correcting entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Relief ledger entries are append-only and are never deleted.")


class ReliefTarget(models.Model):
    """年度帮扶目标 (target) of a branch for a year: an amount, a minimum relief share of its festival-gift
    spending, or both."""

    branch = models.ForeignKey("branches.UnionBranch", on_delete=models.CASCADE, related_name="relief_targets")
    year = models.PositiveIntegerField("年度")
    amount = models.DecimalField("目标金额", max_digits=14, decimal_places=2, null=True, blank=True)
    minimum_share = models.DecimalField(
        "最低帮扶占比", max_digits=5, decimal_places=4, null=True, blank=True, help_text="如 0.30 表示 30%"
    )

    class Meta:
        ordering = ["-year", "branch__path"]
        verbose_name = "年度帮扶目标"
        verbose_name_plural = "年度帮扶目标"
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="unique_relief_target"),
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(minimum_share__isnull=False), name="relief_target_has_a_goal"
            ),
            models.CheckConstraint(
                condition=Q(minimum_share__isnull=True) | Q(minimum_share__gte=0, minimum_share__lte=1),
                name="relief_target_share_is_a_fraction",
            ),
        ]


class ReconciliationMismatch(models.Model):
    """A day on which the ledger and the paid and refunded orders disagree, as the reconciliation found it."""

    date = models.DateField("日期")
    expected_amount = models.DecimalField("按订单应计", max_digits=14, decimal_places=2)
    ledger_amount = models.DecimalField("台账金额", max_digits=14, decimal_places=2)
    details = models.JSONField("明细", default=dict, blank=True)
    detected_at = models.DateTimeField("发现时间", auto_now_add=True)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.CharField("处理说明", max_length=500, blank=True)

    class Meta:
        ordering = ["-date", "-detected_at"]
        verbose_name = "对账差异"
        verbose_name_plural = "对账差异"
        indexes = [models.Index(fields=["resolved_at", "-date"], name="mismatch_open_idx")]
