from django.conf import settings
from django.db import models


class ReliefSupplier(models.Model):
    """帮扶供应商 (relief supplier): a merchant registered in a partner county, admitted by operators."""

    class EntityType(models.TextChoices):
        ENTERPRISE = "ENTERPRISE", "企业"
        COOPERATIVE = "COOPERATIVE", "农民专业合作社"
        FAMILY_FARM = "FAMILY_FARM", "家庭农场"

    class AdmissionStatus(models.TextChoices):
        APPLIED = "APPLIED", "已申请"
        APPROVED = "APPROVED", "已准入"
        SUSPENDED = "SUSPENDED", "已暂停"

    merchant = models.OneToOneField(
        "catalog.Merchant", on_delete=models.PROTECT, related_name="relief_supplier", verbose_name="商户"
    )
    region = models.ForeignKey(
        "relief_sourcing.PartnerRegion", on_delete=models.PROTECT, related_name="suppliers", verbose_name="注册地"
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    entity_type = models.CharField("主体类型", max_length=16, choices=EntityType.choices)
    farmer_linkage = models.TextField("联农带农情况", blank=True)
    households_linked = models.PositiveIntegerField("带动农户数", null=True, blank=True)
    story = models.TextField("供应商故事", blank=True)
    recommended_by = models.CharField("推荐单位", max_length=200, blank=True, help_text="如 巫山县乡村振兴局")
    admission_status = models.CharField(
        "准入状态", max_length=16, choices=AdmissionStatus.choices, default=AdmissionStatus.APPLIED
    )
    status_reason = models.CharField("状态说明", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region__code", "pk"]
        verbose_name = "帮扶供应商"
        verbose_name_plural = "帮扶供应商"
        indexes = [models.Index(fields=["admission_status", "region"], name="supplier_status_region_idx")]

    def __str__(self):
        return str(self.merchant)


class SupplierEvidence(models.Model):
    """A file that shows how the supplier brings farmers along (联农带农): contracts, payment lists, photos."""

    supplier = models.ForeignKey(ReliefSupplier, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField("名称", max_length=200)
    file = models.FileField("文件", upload_to="relief-evidence")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "联农带农材料"
        verbose_name_plural = "联农带农材料"
