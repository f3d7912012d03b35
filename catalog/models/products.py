from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.query import ModelIterable

from mall.money import default_currency


class ProductType(models.Model):
    """商品类型 (product type): groups products that share attributes, as in Saleor."""

    name = models.CharField("名称", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True)
    has_variants = models.BooleanField("多规格", default=True)
    is_shipping_required = models.BooleanField("需要配送", default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "商品类型"
        verbose_name_plural = "商品类型"

    def __str__(self):
        return self.name


class ProductQuerySet(models.QuerySet):
    """Products. A search counts its matches to choose where to look (search.ranking); the queryset it returns
    remembers that count, so that the page and `totalCount` do not count the same rows again. The count is
    forgotten as soon as the rows change: another filter, a slice, DISTINCT or a set operation."""

    _known_count: tuple[int, tuple] | None = None  # (count, the shape of the query's conditions then)

    def with_known_count(self, count: int) -> "ProductQuerySet":
        clone = self._chain()
        clone._known_count = (count, clone._conditions_shape())
        return clone

    def _conditions_shape(self) -> tuple:
        # Another filter adds a condition; `|` or `^` with another queryset changes the connector.
        where = self.query.where
        return (len(where.children), where.connector, where.negated)

    def _clone(self):
        clone = super()._clone()
        clone._known_count = self._known_count
        return clone

    def count(self) -> int:
        if self._known_count is not None:
            count, shape = self._known_count
            query = self.query
            unchanged = self._conditions_shape() == shape and not query.is_empty()
            if unchanged and not (query.is_sliced or query.distinct or query.combinator or query.extra):
                return count
        return super().count()

    # A page of a search in the order of its rank. PostgreSQL computes the rank of every match to find the page,
    # and carrying each match's whole row and joined relations through that sort cost a third more than the ids
    # alone (家庭, 14,539 matches: 32 → 24 ms); so the page's ids are found first, then their rows are read.
    def _fetch_all(self):
        if self._result_cache is None and self._is_ranked_page():
            self._result_cache = self._ranked_page()
        super()._fetch_all()  # the prefetches, once for the page

    def _is_ranked_page(self) -> bool:
        query = self.query
        return (
            self._iterable_class is ModelIterable
            and query.high_mark is not None
            and not (query.distinct or query.combinator or query.select_for_update)
            and any(isinstance(term, str) and term.lstrip("-") == "search_rank" for term in query.order_by)
        )

    def _ranked_page(self) -> list:
        ids = list(self.values_list("pk", flat=True))
        if not ids:
            return []
        rows = self._chain()
        rows.query.clear_limits()
        # The same conditions, annotations (search_rank) and relations, for these ids only.
        rows = rows.filter(pk__in=ids).order_by().prefetch_related(None)
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]


class Product(models.Model):
    """商品 (product): what a merchant sells; bought as one of its variants."""

    product_type = models.ForeignKey(ProductType, on_delete=models.PROTECT, related_name="products")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="products"
    )
    name = models.CharField("名称", max_length=250)
    slug = models.SlugField("标识", max_length=255, unique=True, allow_unicode=True)
    description = models.JSONField("描述", blank=True, null=True, help_text="EditorJS JSON, as in Saleor")
    description_plaintext = models.TextField(blank=True, editable=False)
    seo_title = models.CharField(max_length=70, blank=True)
    seo_description = models.CharField(max_length=300, blank=True)
    weight = models.DecimalField("重量(克)", max_digits=10, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Denormalised from the variants by catalog.services so that price filters and sorting
    # use an index instead of aggregating variants per request (Saleor does the same).
    min_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, editable=False)
    max_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, editable=False)
    # Full-text search: the jieba-segmented text and its tsvector, refreshed by a Celery task.
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    # The name, category and region sections alone (search.documents): what most searches match and rank.
    search_name_vector = SearchVectorField(null=True, blank=True, editable=False)
    # Whether the document is out of date is kept apart, in search.StaleProduct.
    # Units sold over the last days (search.popularity refreshes it): the "popular" half of the 综合 order.
    popularity = models.PositiveIntegerField(default=0, editable=False)
    # The channels whose listing of the product is published, shown in listings and given a publication
    # time. The database keeps it from the listings (triggers, migration 0006; what the application writes
    # here is replaced), so that listing pages and searches check visibility in the row instead of joining
    # every listing: that join cost as much as the rest of a broad search. visible_products still excludes
    # publications to come.
    listed_channel_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "商品"
        verbose_name_plural = "商品"
        indexes = [
            # With the listed channels beside the words, the index alone tells which products a search finds
            # in a channel: the rows it finds are not filtered again, a cost that grows with the matches.
            GinIndex(fields=["search_vector", "listed_channel_ids"], name="product_search_listed_idx"),
            GinIndex(fields=["search_name_vector", "listed_channel_ids"], name="product_name_listed_idx"),
            models.Index(fields=["name", "id"], name="product_name_idx"),
            models.Index(fields=["min_price", "id"], name="product_min_price_idx"),
            models.Index(fields=["created_at", "id"], name="product_created_idx"),
            models.Index(fields=["updated_at", "id"], name="product_updated_idx"),
            models.Index(fields=["-popularity", "id"], name="product_popularity_idx"),
        ]

    def __str__(self):
        return self.name


class ProductChannelListing(models.Model):
    """Whether a product is shown in a channel, from when, and from when it can be bought."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="channel_listings")
    channel = models.ForeignKey("catalog.Channel", on_delete=models.CASCADE, related_name="product_listings")
    is_published = models.BooleanField("已发布", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    visible_in_listings = models.BooleanField("在列表中显示", default=True)
    available_for_purchase_at = models.DateTimeField("开售时间", null=True, blank=True)

    class Meta:
        verbose_name = "商品渠道发布"
        verbose_name_plural = "商品渠道发布"
        constraints = [
            # Covering what visible_products asks of a listing: a search that finds a few hundred products
            # checks each one's listing with an index-only probe instead of hashing every listing.
            models.UniqueConstraint(
                fields=["product", "channel"],
                include=["is_published", "visible_in_listings", "published_at"],
                name="unique_product_channel_listing",
            )
        ]
        indexes = [
            models.Index(fields=["channel", "is_published", "product"], name="product_listing_channel_idx"),
            # Publications to come, which visible_products excludes: few, found without reading the others.
            models.Index(fields=["channel", "published_at"], name="product_listing_schedule_idx"),
        ]


class ProductMedia(models.Model):
    """商品图片 (product media): the gallery of a product; the first one is its thumbnail."""

    class Type(models.TextChoices):
        IMAGE = "IMAGE", "图片"
        VIDEO = "VIDEO", "视频"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="media")
    image = models.ImageField(upload_to="products", blank=True)
    external_url = models.URLField(max_length=512, blank=True)
    alt = models.CharField("说明", max_length=250, blank=True)
    type = models.CharField(max_length=32, choices=Type.choices, default=Type.IMAGE)
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "商品图片"
        verbose_name_plural = "商品图片"


class ProductVariant(models.Model):
    """商品规格 (product variant): the thing that is priced, stocked and bought, identified by its SKU."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField("SKU", max_length=255, unique=True)
    name = models.CharField("规格名称", max_length=255, blank=True)
    weight = models.DecimalField("重量(克)", max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default=default_currency)
    price_amount = models.DecimalField(
        "售价", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    member_price_amount = models.DecimalField(
        "会员价",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text="实名认证会员支付的价格，不得高于售价",
    )
    track_inventory = models.BooleanField("跟踪库存", default=True)
    quantity_limit_per_customer = models.PositiveIntegerField("每人限购", null=True, blank=True)
    sort_order = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "商品规格"
        verbose_name_plural = "商品规格"
        constraints = [
            models.CheckConstraint(condition=Q(price_amount__gte=0), name="variant_price_not_negative"),
            models.CheckConstraint(
                condition=Q(member_price_amount__isnull=True) | Q(member_price_amount__lte=F("price_amount")),
                name="variant_member_price_within_price",
            ),
        ]

    def __str__(self):
        return f"{self.product.name} {self.name}".strip() if self.name else self.sku

    def clean(self):
        if (
            self.member_price_amount is not None
            and self.price_amount is not None
            and self.member_price_amount > self.price_amount
        ):
            raise ValidationError({"member_price_amount": "会员价不能高于售价。"}, code="member_price_above_price")
