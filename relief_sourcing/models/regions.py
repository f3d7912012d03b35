from django.db import models


class PartnerRegion(models.Model):
    """结对帮扶地区 (partner region): a county-level division the city is paired with.

    Identified by its six-digit administrative division code (GB/T 2260), checked against the official
    list (relief_sourcing.divisions); province and prefecture are stored as the list names them.
    """

    class PairingType(models.TextChoices):
        EAST_WEST = "EAST_WEST", "东西部协作"
        COUNTERPART = "COUNTERPART", "对口支援"
        IN_PROVINCE = "IN_PROVINCE", "省内帮扶"

    code = models.CharField("行政区划代码", max_length=6, unique=True)
    province = models.CharField("省", max_length=64)
    prefecture = models.CharField("市（州）", max_length=64, blank=True)
    county = models.CharField("县（市、区）", max_length=64)
    pairing_type = models.CharField("帮扶类型", max_length=16, choices=PairingType.choices)
    active_from_year = models.PositiveIntegerField("起始年度")
    active_to_year = models.PositiveIntegerField("截止年度", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "结对帮扶地区"
        verbose_name_plural = "结对帮扶地区"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_to_year__isnull=True)
                | models.Q(active_to_year__gte=models.F("active_from_year")),
                name="partner_region_years_ordered",
            )
        ]

    def __str__(self):
        return f"{self.province}{self.prefecture}{self.county}"
