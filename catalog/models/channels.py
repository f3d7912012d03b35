from django.db import models

from mall.money import default_currency


class Channel(models.Model):
    """销售渠道 (channel): a storefront with its own currency and product visibility, as in Saleor."""

    name = models.CharField("名称", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True)
    currency_code = models.CharField("币种", max_length=3, default=default_currency)
    default_country = models.CharField("默认国家", max_length=2, default="CN")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "销售渠道"
        verbose_name_plural = "销售渠道"

    def __str__(self):
        return self.name
