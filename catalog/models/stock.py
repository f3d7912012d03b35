from django.db import models
from django.db.models import F, Q


class Warehouse(models.Model):
    """仓库 (warehouse): where stock is kept; a channel sells from the warehouses linked to it."""

    name = models.CharField("名称", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True)
    email = models.EmailField(blank=True)
    company_name = models.CharField("公司", max_length=250, blank=True)
    city = models.CharField("城市", max_length=100, blank=True)
    street_address = models.CharField("地址", max_length=250, blank=True)
    channels = models.ManyToManyField("catalog.Channel", related_name="warehouses", blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "仓库"
        verbose_name_plural = "仓库"

    def __str__(self):
        return self.name


class Stock(models.Model):
    """库存 (stock): one variant in one warehouse. The database refuses to allocate more than is there."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stocks")
    product_variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE, related_name="stocks")
    quantity = models.PositiveIntegerField("数量", default=0)
    quantity_allocated = models.PositiveIntegerField("已占用", default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = "库存"
        verbose_name_plural = "库存"
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "product_variant"], name="unique_stock_per_warehouse"),
            models.CheckConstraint(
                condition=Q(quantity_allocated__lte=F("quantity")), name="stock_allocated_within_quantity"
            ),
        ]

    @property
    def quantity_available(self) -> int:
        return max(self.quantity - self.quantity_allocated, 0)
