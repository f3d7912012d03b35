from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from mall.money import default_currency


class ShippingZone(models.Model):
    """配送区域 (shipping zone): the provinces a set of shipping methods delivers to.

    A zone lists provinces by name as addresses spell them (新疆维吾尔自治区, 西藏自治区 ...);
    the zone marked `is_default` serves every province no other zone names.
    """

    name = models.CharField("名称", max_length=100)
    provinces = ArrayField(models.CharField(max_length=64), default=list, blank=True, verbose_name="省份")
    is_default = models.BooleanField("默认区域", default=False, help_text="其他区域未列出的省份都由它配送")
    channels = models.ManyToManyField("catalog.Channel", related_name="shipping_zones", blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "配送区域"
        verbose_name_plural = "配送区域"
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_zone")
        ]

    def __str__(self):
        return self.name


class ShippingMethod(models.Model):
    """配送方式 (shipping method) of a zone, priced per channel, as Saleor's ShippingMethod."""

    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="shipping_methods")
    name = models.CharField("名称", max_length=100)
    description = models.CharField("说明", max_length=250, blank=True)
    minimum_delivery_days = models.PositiveIntegerField("最短送达天数", null=True, blank=True)
    maximum_delivery_days = models.PositiveIntegerField("最长送达天数", null=True, blank=True)

    class Meta:
        ordering = ["zone", "pk"]
        verbose_name = "配送方式"
        verbose_name_plural = "配送方式"

    def __str__(self):
        return f"{self.zone.name} · {self.name}"


class ShippingMethodChannelListing(models.Model):
    """A shipping method's price in a channel, and the order subtotal from which it is free (包邮)."""

    shipping_method = models.ForeignKey(ShippingMethod, on_delete=models.CASCADE, related_name="channel_listings")
    channel = models.ForeignKey("catalog.Channel", on_delete=models.CASCADE, related_name="shipping_listings")
    currency = models.CharField(max_length=3, default=default_currency)
    price_amount = models.DecimalField("运费", max_digits=12, decimal_places=2)
    free_above_amount = models.DecimalField(
        "满额包邮", max_digits=12, decimal_places=2, null=True, blank=True, help_text="商品小计达到此金额免运费"
    )
    minimum_order_price_amount = models.DecimalField(
        "最低订单金额", max_digits=12, decimal_places=2, null=True, blank=True
    )
    maximum_order_price_amount = models.DecimalField(
        "最高订单金额", max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "配送方式定价"
        verbose_name_plural = "配送方式定价"
        constraints = [
            models.UniqueConstraint(fields=["shipping_method", "channel"], name="unique_shipping_listing"),
            models.CheckConstraint(condition=Q(price_amount__gte=0), name="shipping_price_not_negative"),
        ]
