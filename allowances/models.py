"""Welfare allowances (福利额度): amounts a union gives its members to spend on named goods.

A grant is one decision (中秋慰问, ¥300 each, until 12-31, relief products only); what each member
holds of it is the sum of their ledger entries, never a balance field that is overwritten.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mall.money import default_currency


class AllowanceGrant(models.Model):
    """福利发放 (allowance grant): who issued how much per member, why, until when and for what."""

    reason = models.CharField("发放事由", max_length=200)
    amount = models.DecimalField("每人额度", max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default=default_currency)
    expires_at = models.DateTimeField("有效期至")
    # Only products of this collection (e.g. 帮扶专区) may be paid with it; null means any product.
    collection = models.ForeignKey(
        "catalog.Collection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allowance_grants",
        verbose_name="限用专区",
    )
    branch = models.ForeignKey(
        "branches.UnionBranch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allowance_grants",
        verbose_name="发放单位",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发放人"
    )
    created_at = models.DateTimeField("发放时间", auto_now_add=True)
    # The client's key for one submission: the same issuer sending it again (a double click, a
    # retried request) gets the grant it already made instead of a second one.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "福利发放"
        verbose_name_plural = "福利发放"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allowance_grant_amount_positive"),
            models.UniqueConstraint(
                fields=["issued_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="allowance_grant_idempotency_key_unique",
            ),
        ]

    def __str__(self):
        return self.reason

    @property
    def restriction(self) -> str:
        """What it may pay for, in members' words (read with its collection joined)."""
        return f"仅限{self.collection.name}" if self.collection_id else "全场通用"


class AllowanceEntryType(models.TextChoices):
    ISSUE = "ISSUE", "发放"
    SPEND = "SPEND", "使用"
    REFUND = "REFUND", "退回"
    EXPIRE = "EXPIRE", "过期"


class AllowanceEntry(models.Model):
    """One movement of a member's allowance; append-only. Issue and refund add, spend and expire take."""

    grant = models.ForeignKey(AllowanceGrant, on_delete=models.PROTECT, related_name="entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allowance_entries")
    type = models.CharField("类型", max_length=16, choices=AllowanceEntryType.choices)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2, help_text="发放、退回为正，使用、过期为负")
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="allowance_entries"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "福利额度明细"
        verbose_name_plural = "福利额度明细"
        indexes = [models.Index(fields=["user", "grant"], name="allowance_entry_user_grant_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(type__in=["ISSUE", "REFUND"], amount__gt=0) | Q(type__in=["SPEND", "EXPIRE"], amount__lt=0)
                ),
                name="allowance_entry_sign_matches_type",
            ),
            # A member is issued a grant once.
            models.UniqueConstraint(fields=["grant", "user"], condition=Q(type="ISSUE"), name="allowance_issued_once"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Allowance entries are append-only; write a new entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Allowance entries are append-only and are never deleted.")
