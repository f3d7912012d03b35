from django.db import models


class Attribute(models.Model):
    """商品属性 (attribute): origin, specification, shelf life, storage… with chosen values, as in Saleor."""

    class InputType(models.TextChoices):
        DROPDOWN = "dropdown", "下拉选择"
        PLAIN_TEXT = "plain-text", "文本"

    class Type(models.TextChoices):
        PRODUCT_TYPE = "product-type", "商品属性"

    name = models.CharField("名称", max_length=255)
    slug = models.SlugField("标识", max_length=250, unique=True)
    input_type = models.CharField(max_length=50, choices=InputType.choices, default=InputType.DROPDOWN)
    type = models.CharField(max_length=50, choices=Type.choices, default=Type.PRODUCT_TYPE)
    visible_in_storefront = models.BooleanField(default=True)
    filterable_in_storefront = models.BooleanField(default=True)
    storefront_search_position = models.IntegerField(default=0)

    class Meta:
        ordering = ["storefront_search_position", "slug"]
        verbose_name = "商品属性"
        verbose_name_plural = "商品属性"

    def __str__(self):
        return self.name


class AttributeValue(models.Model):
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="values")
    name = models.CharField("值", max_length=250)
    slug = models.SlugField(max_length=255, allow_unicode=True)
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["attribute", "slug"], name="unique_attribute_value_slug")]

    def __str__(self):
        return self.name


class AssignedProductAttributeValue(models.Model):
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="attribute_values")
    value = models.ForeignKey(AttributeValue, on_delete=models.CASCADE, related_name="product_assignments")
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["product", "value"], name="unique_product_attribute_value")]


class AssignedVariantAttributeValue(models.Model):
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE, related_name="attribute_values")
    value = models.ForeignKey(AttributeValue, on_delete=models.CASCADE, related_name="variant_assignments")
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["variant", "value"], name="unique_variant_attribute_value")]
