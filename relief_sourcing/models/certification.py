from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ReliefCertification(models.Model):
    """帮扶产品认定 (relief certification): a certificate that named products of a supplier, from an origin
    county, are relief products between two dates. Revoking keeps the row, with the reason."""

    class Status(models.TextChoices):
        VALID = "VALID", "有效"
        REVOKED = "REVOKED", "已撤销"

    number = models.CharField("证书编号", max_length=64, unique=True)
    certifying_body = models.CharField("认定机构", max_length=200)
    supplier = models.ForeignKey(
        "relief_sourcing.ReliefSupplier", on_delete=models.PROTECT, related_name="certifications"
    )
    origin = models.ForeignKey(
        "relief_sourcing.PartnerRegion",
        on_delete=models.PROTECT,
        related_name="certifications",
        verbose_name="产地",
    )
    products = models.ManyToManyField("catalog.Product", related_name="relief_certifications", blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    # Expiry is read from the dates at the moment in question; only revocation is a stored status.
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.VALID)
    revoked_reason = models.CharField("撤销原因", max_length=500, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_to", "number"]
        verbose_name = "帮扶产品认定"
        verbose_name_plural = "帮扶产品认定"
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="certification_dates_ordered"),
            models.CheckConstraint(
                condition=Q(status="VALID") | ~Q(revoked_reason=""), name="certification_revoked_with_reason"
            ),
        ]

    def __str__(self):
        return self.number


class ProductBatch(models.Model):
    """批次 (batch): a harvest or production lot of a product, with its 承诺达标合格证 data."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="relief_batches")
    batch_number = models.CharField("批次号", max_length=64)
    produced_on = models.DateField("采收/生产日期")
    quantity = models.PositiveIntegerField("数量")
    unit = models.CharField("单位", max_length=16, default="件")
    producer = models.CharField("生产者", max_length=200)
    origin = models.CharField("产地", max_length=200)
    contact = models.CharField("联系方式", max_length=64)
    certificate_issued_on = models.DateField("合格证开具日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-produced_on", "-pk"]
        verbose_name = "产品批次"
        verbose_name_plural = "产品批次"
        constraints = [models.UniqueConstraint(fields=["product", "batch_number"], name="unique_product_batch_number")]
        indexes = [models.Index(fields=["product", "-produced_on"], name="batch_product_latest_idx")]
