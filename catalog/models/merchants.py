from django.db import models


class Merchant(models.Model):
    """商户 (merchant): the seller of a product. A relief supplier (帮扶供应商) is a merchant too."""

    class Kind(models.TextChoices):
        MEMBER_GOODS = "member_goods", "会员商品商户"
        RELIEF_SUPPLIER = "relief_supplier", "帮扶供应商"

    name = models.CharField("名称", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True)
    kind = models.CharField("类型", max_length=32, choices=Kind.choices, default=Kind.MEMBER_GOODS)
    description = models.TextField("简介", blank=True)
    region = models.CharField(
        "所在地区", max_length=250, blank=True, help_text="省、市、县，如 云南省怒江傈僳族自治州泸水市"
    )
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "商户"
        verbose_name_plural = "商户"

    def __str__(self):
        return self.name
