from django.db import models


class Category(models.Model):
    """商品分类 (category): a node of a tree of any depth.

    The tree is kept as a materialised path ("/3/17/42/") so that a whole branch is one
    indexed prefix match and the ancestors are known without a query per level.
    """

    name = models.CharField("名称", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True, allow_unicode=True)
    description = models.JSONField("描述", blank=True, null=True, help_text="EditorJS JSON, as in Saleor")
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.CASCADE, verbose_name="上级分类"
    )
    level = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    tree_path = models.CharField(max_length=1000, editable=False, default="")
    sort_order = models.IntegerField("排序", default=0)
    background_image = models.ImageField("背景图", upload_to="category-backgrounds", blank=True)
    background_image_alt = models.CharField("背景图说明", max_length=128, blank=True)
    seo_title = models.CharField(max_length=70, blank=True)
    seo_description = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tree_path"]
        verbose_name = "商品分类"
        verbose_name_plural = "商品分类"
        indexes = [
            models.Index(fields=["tree_path"], name="category_tree_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "sort_order"], name="category_level_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path."""
        return [int(part) for part in self.tree_path.strip("/").split("/")[:-1] if part]


class Collection(models.Model):
    """商品专区 (collection): a curated set of products, e.g. 帮扶专区, 会员特惠, 节日礼包."""

    name = models.CharField("名称", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True, allow_unicode=True)
    description = models.JSONField("描述", blank=True, null=True, help_text="EditorJS JSON, as in Saleor")
    background_image = models.ImageField("背景图", upload_to="collection-backgrounds", blank=True)
    background_image_alt = models.CharField("背景图说明", max_length=128, blank=True)
    sort_order = models.IntegerField("排序", default=0)
    seo_title = models.CharField(max_length=70, blank=True)
    seo_description = models.CharField(max_length=300, blank=True)
    products = models.ManyToManyField(
        "catalog.Product", through="CollectionProduct", related_name="collections", blank=True
    )

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = "商品专区"
        verbose_name_plural = "商品专区"

    def __str__(self):
        return self.name


class CollectionProduct(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="collection_products")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="collection_products")
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["collection", "product"], name="unique_collection_product")]


class CollectionChannelListing(models.Model):
    """Whether a collection is shown in a channel, and from when."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="channel_listings")
    channel = models.ForeignKey("catalog.Channel", on_delete=models.CASCADE, related_name="collection_listings")
    is_published = models.BooleanField("已发布", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "channel"], name="unique_collection_channel_listing")
        ]
