from django.db import models
from django.db.models import Q

from mall.money import default_currency


class GiftPack(models.Model):
    """礼包 (gift pack): variants sold together as one item, e.g. a ¥200 relief pack of six products.
    Its stock is its components' stock: placing a pack allocates each component."""

    sku = models.CharField("礼包编码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    currency = models.CharField(max_length=3, default=default_currency)
    price_amount = models.DecimalField("价格", max_digits=12, decimal_places=2)
    is_active = models.BooleanField("上架", default=True)
    # Cash-like items (shopping cards, open vouchers) may never be bought with union funds.
    is_cash_like = models.BooleanField("类现金", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["price_amount", "sku"]
        verbose_name = "礼包"
        verbose_name_plural = "礼包"
        constraints = [models.CheckConstraint(condition=Q(price_amount__gte=0), name="gift_pack_price_not_negative")]

    def __str__(self):
        return self.name


class GiftPackItem(models.Model):
    pack = models.ForeignKey(GiftPack, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.PROTECT, related_name="gift_pack_items")
    quantity = models.PositiveIntegerField("数量", default=1)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "variant"], name="unique_gift_pack_item"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="gift_pack_item_quantity_positive"),
        ]


class VolumePriceTier(models.Model):
    """批量价 (volume price tier): from `min_quantity` units of a variant in one bulk order, this much off."""

    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE, related_name="volume_tiers")
    min_quantity = models.PositiveIntegerField("起购数量")
    discount_percent = models.DecimalField("折扣（%）", max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["variant", "min_quantity"]
        verbose_name = "批量价"
        verbose_name_plural = "批量价"
        constraints = [
            models.UniqueConstraint(fields=["variant", "min_quantity"], name="unique_volume_tier"),
            models.CheckConstraint(
                condition=Q(discount_percent__gt=0, discount_percent__lt=100), name="volume_tier_discount_range"
            ),
            models.CheckConstraint(condition=Q(min_quantity__gt=1), name="volume_tier_min_quantity"),
        ]
