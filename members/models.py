"""Members (职工会员): a user's union membership and its real-name verification."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class MemberProfile(models.Model):
    """会员档案 (member profile): membership number, grassroots union and real-name verification.

    The ID card number is never stored: only a keyed hash (to find the same person twice) and a
    masked form for people to recognise it (4403**********1234).
    """

    class VerificationStatus(models.TextChoices):
        UNVERIFIED = "unverified", "未认证"
        PENDING = "pending", "审核中"
        VERIFIED = "verified", "已认证"
        REJECTED = "rejected", "未通过"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profile")
    number = models.CharField("会员号", max_length=32, unique=True)
    branch = models.ForeignKey(
        "branches.UnionBranch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="所属基层工会",
    )
    real_name = models.CharField("真实姓名", max_length=64, blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True, editable=False)
    verification_status = models.CharField(
        "认证状态", max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.UNVERIFIED
    )
    verification_requested_at = models.DateTimeField("提交时间", null=True, blank=True)
    verification_decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    verification_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    rejection_reason = models.CharField("未通过原因", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "会员档案"
        verbose_name_plural = "会员档案"
        constraints = [
            # One person (one ID card) is verified on one account only.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(verification_status="verified"),
                name="member_verified_id_number_unique",
            )
        ]
        indexes = [models.Index(fields=["verification_status", "verification_requested_at"])]

    def __str__(self):
        return self.number

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.VerificationStatus.VERIFIED
