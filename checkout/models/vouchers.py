from django.db import models
from django.db.models import F, Q

from mall.money import default_currency


class Voucher(models.Model):
    """优惠券 (voucher): a code that takes a fixed amount or a percentage off the subtotal."""

    class DiscountValueType(models.TextChoices):
        FIXED = "FIXED", "满减"
        PERCENTAGE = "PERCENTAGE", "折扣"

    code = models.CharField("优惠码", max_length=255, unique=True)
    name = models.CharField("名称", max_length=255, blank=True)
    discount_value_type = models.CharField(
        "优惠类型", max_length=10, choices=DiscountValueType.choices, default=DiscountValueType.FIXED
    )
    discount_value = models.DecimalField("优惠额度", max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default=default_currency)
    min_spent_amount = models.DecimalField("最低消费", max_digits=12, decimal_places=2, null=True, blank=True)
    start_date = models.DateTimeField("开始时间")
    end_date = models.DateTimeField("结束时间", null=True, blank=True)
    usage_limit = models.PositiveIntegerField("可用次数", null=True, blank=True)
    # Counted when an order is placed with the code and given back when that order is canceled.
    used = models.PositiveIntegerField("已用次数", default=0, editable=False)
    channels = models.ManyToManyField("catalog.Channel", related_name="vouchers", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "优惠券"
        verbose_name_plural = "优惠券"
        constraints = [
            models.CheckConstraint(condition=Q(discount_value__gt=0), name="voucher_value_positive"),
            models.CheckConstraint(
                condition=~Q(discount_value_type="PERCENTAGE") | Q(discount_value__lte=100),
                name="voucher_percentage_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(used__lte=F("usage_limit")),
                name="voucher_used_within_limit",
            ),
        ]

    def __str__(self):
        return self.code
