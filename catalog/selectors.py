"""Every read of the catalogue: the API and the storefront build their pages from these querysets."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils import timezone

from catalog.models import (
    AssignedProductAttributeValue,
    Category,
    Channel,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    Merchant,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    Stock,
    Warehouse,
)
from search import service as search_service

# --- Channels ---------------------------------------------------------------------------
ACTIVE_CHANNELS_CACHE_KEY = "active-channels"


def channel_by_slug(slug: str | None) -> Channel | None:
    """The active channel named by `slug`, or the default channel when no slug is given.

    Every API request and page names a channel and there are only a few: the active ones are kept
    in the cache, which catalog.signals clears whenever a channel is saved or deleted (services,
    admin or shell alike).
    """
    channels = cache.get(ACTIVE_CHANNELS_CACHE_KEY)
    if channels is None:
        channels = {channel.slug: channel for channel in Channel.objects.filter(is_active=True)}
        cache.set(ACTIVE_CHANNELS_CACHE_KEY, channels, timeout=settings.CHANNELS_CACHE_SECONDS)
    return channels.get(slug or settings.DEFAULT_CHANNEL_SLUG)


def forget_channels() -> None:
    cache.delete(ACTIVE_CHANNELS_CACHE_KEY)


def channel_countries(channel: Channel) -> list[str]:
    """Country codes a channel ships to: the mall delivers within its default country (中国)."""
    return [channel.default_country]


# --- Visibility -------------------------------------------------------------------------
def can_see_unpublished(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def visible_products(channel: Channel, *, user=None, in_listings: bool = True) -> QuerySet[Product]:
    """Products a person may see in a channel; operators also see unpublished ones."""
    if can_see_unpublished(user):
        return Product.objects.all()
    now = timezone.now()
    if in_listings:
        # Checked in the product row (listed_channel_ids, kept by the database from the listings) rather than
        # by joining every listing; only publications still to come are looked up.
        scheduled = ProductChannelListing.objects.filter(product=OuterRef("pk"), channel=channel, published_at__gt=now)
        return Product.objects.filter(listed_channel_ids__contains=[channel.pk]).filter(~Exists(scheduled))
    listing = ProductChannelListing.objects.filter(
        product=OuterRef("pk"), channel=channel, is_published=True, published_at__lte=now
    )
    return Product.objects.filter(Exists(listing))


def published_listing(channel: Channel, *, relations=(), **product_lookup) -> ProductChannelListing | None:
    """The listing in `channel` of the published product matching `product_lookup` (pk=… or slug=…), with
    the product (and its `relations`) joined: what a non-operator may see of one product, listed or not,
    in one query. Operators also see products without a listing, so they go through visible_products."""
    lookup = {f"product__{name}": value for name, value in product_lookup.items()}
    rows = (
        ProductChannelListing.objects.filter(
            channel_id=channel.pk, is_published=True, published_at__lte=timezone.now(), **lookup
        )
        .select_related("product", *(f"product__{relation}" for relation in relations))
        .defer(*(f"product__{column}" for column in SEARCH_COLUMNS))
    )
    # At most one row (a unique product, one listing per channel): no ORDER BY for .first() to compile.
    found = list(rows[:1])
    return found[0] if found else None


def visible_collections(channel: Channel, *, user=None) -> QuerySet[Collection]:
    if can_see_unpublished(user):
        return Collection.objects.all()
    listing = CollectionChannelListing.objects.filter(
        collection=OuterRef("pk"), channel=channel, is_published=True, published_at__lte=timezone.now()
    )
    return Collection.objects.filter(Exists(listing))


def visible_variant(channel: Channel, *, user=None, pk: int | None = None, sku: str | None = None):
    """The variant with this id or SKU when its product may be seen in the channel (listed or not), else None."""
    lookup = {"pk": pk} if pk is not None else {"sku": sku}
    products = visible_products(channel, user=user, in_listings=False)
    return ProductVariant.objects.filter(product__in=products, **lookup).first()


# --- Filters and sorting ----------------------------------------------------------------
@dataclass
class ProductFilter:
    search: str = ""
    category_ids: list[int] = field(default_factory=list)
    collection_ids: list[int] = field(default_factory=list)
    merchant_ids: list[int] = field(default_factory=list)
    product_ids: list[int] = field(default_factory=list)
    price_gte: Decimal | None = None
    price_lte: Decimal | None = None
    is_available: bool | None = None
    # Union Mall extras (facets of a search): origin counties of valid relief certifications (PartnerRegion
    # codes), a valid relief certification today, some stock in the channel, a fixed price bucket ("50-100").
    region_codes: list[str] = field(default_factory=list)
    relief_certified: bool | None = None
    in_stock: bool | None = None
    price_bucket: str = ""


def category_branch(category_ids) -> QuerySet[Category]:
    """The given categories and everything below them."""
    paths = Category.objects.filter(pk__in=category_ids).values_list("tree_path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(tree_path__startswith=path)
    return Category.objects.filter(condition)


def available_condition(channel: Channel) -> Q:
    """Can be bought now: on sale in the channel and some variant has stock (or needs none)."""
    now = timezone.now()
    on_sale = ProductChannelListing.objects.filter(
        product=OuterRef("pk"), channel=channel, is_published=True, available_for_purchase_at__lte=now
    )
    in_stock = ProductVariant.objects.filter(product=OuterRef("pk")).filter(
        Q(track_inventory=False)
        | Exists(
            Stock.objects.filter(
                product_variant=OuterRef("pk"), warehouse__channels=channel, quantity__gt=F("quantity_allocated")
            )
        )
    )
    return Q(Exists(on_sale)) & Q(Exists(in_stock))


def valid_certifications(on=None):
    """Relief certifications in force on a day (today by default): not revoked and within their dates."""
    from relief_sourcing.models import ReliefCertification

    day = on or timezone.localdate()
    return ReliefCertification.objects.filter(
        status=ReliefCertification.Status.VALID, valid_from__lte=day, valid_to__gte=day
    )


def relief_certified_condition() -> Q:
    """The product has a relief certification in force today.

    An uncorrelated IN: PostgreSQL hashes the certified products once (tens of thousands of ids at most)
    instead of looking up each product's certifications, which a facet count over a broad search would
    do ten thousand times."""
    through = valid_certifications().model.products.through
    certified = through.objects.filter(reliefcertification__in=valid_certifications().values("pk"))
    return Q(pk__in=certified.values("product_id"))


def region_condition(region_codes) -> Q:
    """A certification in force today names one of these partner regions (county codes) as the origin."""
    through = valid_certifications().model.products.through
    certifications = valid_certifications().filter(origin__code__in=list(region_codes))
    return Q(pk__in=through.objects.filter(reliefcertification__in=certifications.values("pk")).values("product_id"))


def in_stock_condition(channel: Channel) -> Q:
    """Saleor's IN_STOCK: some variant has stock left in a warehouse of the channel (or tracks none)."""
    stocked = ProductVariant.objects.filter(product=OuterRef("pk")).filter(
        Q(track_inventory=False)
        | Exists(
            Stock.objects.filter(
                product_variant=OuterRef("pk"), warehouse__channels=channel, quantity__gt=F("quantity_allocated")
            )
        )
    )
    return Q(Exists(stocked))


# The price facet's buckets on Product.min_price (yuan): lower bound included, upper bound excluded.
PRICE_BUCKETS = (
    ("0-50", Decimal("0"), Decimal("50")),
    ("50-100", Decimal("50"), Decimal("100")),
    ("100-200", Decimal("100"), Decimal("200")),
    ("200-500", Decimal("200"), Decimal("500")),
    ("500-", Decimal("500"), None),
)


def price_bucket_condition(value: str) -> Q | None:
    """The condition of a price bucket by its value ("50-100"), or None for an unknown value."""
    for bucket, low, high in PRICE_BUCKETS:
        if bucket == value:
            condition = Q(min_price__gte=low)
            return condition & Q(min_price__lt=high) if high is not None else condition
    return None


def filter_products(queryset: QuerySet[Product], channel: Channel, product_filter: ProductFilter) -> QuerySet[Product]:
    f = product_filter
    if f.category_ids:
        queryset = queryset.filter(category__in=category_branch(f.category_ids))
    if f.collection_ids:
        queryset = queryset.filter(
            Exists(CollectionProduct.objects.filter(product=OuterRef("pk"), collection_id__in=f.collection_ids))
        )
    if f.merchant_ids:
        queryset = queryset.filter(merchant_id__in=f.merchant_ids)
    if f.product_ids:
        queryset = queryset.filter(pk__in=f.product_ids)
    if f.price_gte is not None:
        queryset = queryset.filter(max_price__gte=f.price_gte)
    if f.price_lte is not None:
        queryset = queryset.filter(min_price__lte=f.price_lte)
    if f.is_available is True:
        queryset = queryset.filter(available_condition(channel))
    elif f.is_available is False:
        queryset = queryset.exclude(available_condition(channel))
    queryset = filter_facets(queryset, channel, f)
    if f.search:
        # Last: the search picks its tier (name, any field, pinyin) among the products the other filters keep.
        queryset = search_service.match(queryset, f.search)
    return queryset


def filter_facets(queryset: QuerySet[Product], channel: Channel, f: ProductFilter) -> QuerySet[Product]:
    """The Union Mall extras of a filter: partner regions, relief certified, in stock, price bucket."""
    if f.region_codes:
        queryset = queryset.filter(region_condition(f.region_codes))
    if f.relief_certified is not None:
        condition = relief_certified_condition()
        queryset = queryset.filter(condition) if f.relief_certified else queryset.exclude(condition)
    if f.in_stock is not None:
        condition = in_stock_condition(channel)
        queryset = queryset.filter(condition) if f.in_stock else queryset.exclude(condition)
    if f.price_bucket:
        condition = price_bucket_condition(f.price_bucket)
        queryset = queryset.filter(condition) if condition is not None else queryset.none()
    return queryset


# Saleor's ProductOrderField values → the columns they sort by (the primary key breaks ties).
PRODUCT_SORT_FIELDS = {
    "NAME": ["name", "slug"],
    "PRICE": ["min_price", "name"],
    "MINIMAL_PRICE": ["min_price", "name"],
    "CREATED_AT": ["created_at"],
    "LAST_MODIFIED_AT": ["updated_at"],
    # Only on a search (search.service.match annotates it): the best match first when descending.
    "RANK": ["search_rank"],
}


def product_ordering(sort_field: str = "NAME", descending: bool = False) -> list[str]:
    columns = PRODUCT_SORT_FIELDS[sort_field] + ["pk"]
    return [f"-{column}" if descending else column for column in columns]


# --- Loading what a page shows ----------------------------------------------------------
def channel_stocks(channel: Channel) -> QuerySet[Stock]:
    return Stock.objects.filter(warehouse__in=channel.warehouses.all())


# Columns no page or API field shows; reading them costs more than the rest of a product row.
SEARCH_COLUMNS = ("search_document", "search_vector", "search_name_vector")
DESCRIPTION_COLUMNS = ("description", "description_plaintext")
PRODUCT_RELATIONS = ("category", "merchant", "product_type")


def with_listing_data(
    queryset: QuerySet[Product],
    channel: Channel,
    *,
    attributes: bool = False,
    collections: bool = False,
    descriptions: bool = True,
    relations=PRODUCT_RELATIONS,
) -> QuerySet[Product]:
    """Attach everything a product card or row needs in a fixed number of queries.

    After this, use product.listed_variants (each with `channel_stocks`), product.listed_media,
    product.channel_listing_list (this channel's listing, or empty) and the `relations` (category,
    merchant, product type) without further queries. Prefetches go to plain lists (to_attr): a
    related manager would clone a queryset for every product and every access. A caller that
    shows no rich description passes descriptions=False and their JSON is not read.
    """
    prefetches = [
        Prefetch(
            "variants",
            queryset=ProductVariant.objects.prefetch_related(
                Prefetch("stocks", queryset=channel_stocks(channel), to_attr="channel_stocks")
            ),
            to_attr="listed_variants",
        ),
        Prefetch("media", queryset=ProductMedia.objects.all(), to_attr="listed_media"),
        Prefetch(
            "channel_listings",
            queryset=ProductChannelListing.objects.filter(channel=channel),
            to_attr="channel_listing_list",
        ),
    ]
    if attributes:
        prefetches.append(
            Prefetch(
                "attribute_values",
                queryset=AssignedProductAttributeValue.objects.select_related("value__attribute"),
            )
        )
    if collections:
        prefetches.append(Prefetch("collections", queryset=Collection.objects.all()))
    return product_rows(queryset, descriptions=descriptions, relations=relations).prefetch_related(*prefetches)


STOCK_COLUMNS = ("id", "warehouse_id", "product_variant_id", "quantity", "quantity_allocated")


def _channel_stock_rows_sql() -> str:
    """A variant's stock rows in the warehouses of a channel (the parameter), as an array of rows of
    STOCK_COLUMNS. Written as SQL: the same subquery built from querysets took Django longer to
    compile (about 2 ms) than a second query takes to run."""
    stock, variant = Stock._meta.db_table, ProductVariant._meta.db_table
    through = Warehouse.channels.through._meta.db_table
    columns = ", ".join(f'stock."{column}"' for column in STOCK_COLUMNS)
    return (
        f'ARRAY(SELECT ARRAY[{columns}] FROM "{stock}" stock '
        f'JOIN "{through}" link ON link."warehouse_id" = stock."warehouse_id" '
        f'WHERE stock."product_variant_id" = "{variant}"."id" AND link."channel_id" = %s ORDER BY stock."id")'
    )


CHANNEL_STOCK_ROWS_SQL = _channel_stock_rows_sql()
STOCK_ROWS_FIELD = ArrayField(ArrayField(BigIntegerField()))


def variants_with_channel_stocks(product_ids, channel_id: int) -> list[ProductVariant]:
    """The variants of the products, in their order, each with `channel_stocks`: its stock rows in the
    channel's warehouses, read in the same query as the variants."""
    variants = (
        ProductVariant.objects.filter(product_id__in=product_ids)
        .annotate(stock_rows=RawSQL(CHANNEL_STOCK_ROWS_SQL, [channel_id], output_field=STOCK_ROWS_FIELD))
        .order_by("sort_order", "pk")
    )
    result = []
    for variant in variants:
        variant.channel_stocks = [Stock.from_db(None, STOCK_COLUMNS, row) for row in variant.stock_rows]
        del variant.stock_rows
        result.append(variant)
    return result


def product_rows(queryset: QuerySet[Product], *, descriptions: bool = True, relations=()) -> QuerySet[Product]:
    """Product rows without the search columns (and without descriptions when none is shown),
    with the `relations` joined."""
    deferred = list(SEARCH_COLUMNS)
    if not descriptions:
        deferred += DESCRIPTION_COLUMNS
        deferred += ["category__description"] if "category" in relations else []
    return queryset.select_related(*relations).defer(*deferred)


def product_listing(
    channel: Channel,
    *,
    user=None,
    product_filter: ProductFilter | None = None,
    sort_field: str = "NAME",
    descending: bool = False,
) -> QuerySet[Product]:
    """The products of a listing page or a `products` query, filtered and sorted (not yet loaded)."""
    queryset = visible_products(channel, user=user)
    if product_filter:
        queryset = filter_products(queryset, channel, product_filter)
    if sort_field == "RANK" and "search_rank" not in queryset.query.annotations:
        sort_field, descending = "NAME", False  # nothing searched: no rank to sort by
    return queryset.order_by(*product_ordering(sort_field, descending))


def product_detail(channel: Channel, *, user=None, slug: str | None = None, pk: int | None = None) -> Product | None:
    """One product with everything its page shows, or None when it is unknown or hidden."""
    queryset = visible_products(channel, user=user, in_listings=False)
    queryset = queryset.filter(slug=slug) if slug is not None else queryset.filter(pk=pk)
    return with_listing_data(queryset, channel, attributes=True, collections=True).first()


# --- Categories and collections as pages show them --------------------------------------
def root_categories() -> QuerySet[Category]:
    """The top of the category tree: the entrances of the home page."""
    return Category.objects.filter(parent__isnull=True).order_by("sort_order", "name", "pk")


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def subcategories(category: Category) -> QuerySet[Category]:
    return Category.objects.filter(parent=category).order_by("sort_order", "name", "pk")


def category_ancestors(category: Category) -> list[Category]:
    """The categories from the root down to the parent (for breadcrumbs): one query, none for a root."""
    ids = category.ancestor_ids
    if not ids:
        return []
    return list(Category.objects.filter(pk__in=ids).order_by("level"))


def collection_by_slug(channel: Channel, slug: str, *, user=None) -> Collection | None:
    return visible_collections(channel, user=user).filter(slug=slug).first()


def collection_products(channel: Channel, collections, *, user=None, limit: int = 8) -> dict[int, list[Product]]:
    """The first `limit` visible products of each collection, loaded as with_listing_data does.

    One window query picks the products of all collections at once, so a page with several
    collection rows runs the same queries however many products each holds.
    """
    position = Window(RowNumber(), partition_by=[F("collection_id")], order_by=[F("sort_order"), F("pk")])
    entries = (
        CollectionProduct.objects.filter(collection__in=collections, product__in=visible_products(channel, user=user))
        .annotate(position=position)
        .filter(position__lte=limit)
        .order_by("collection_id", "position")
        .prefetch_related(Prefetch("product", queryset=with_listing_data(Product.objects.all(), channel)))
    )
    rows = {collection.pk: [] for collection in collections}
    for entry in entries:
        rows[entry.collection_id].append(entry.product)
    return rows


def merchants_of(products: QuerySet[Product]) -> QuerySet[Merchant]:
    """The merchants selling any of `products` (a listing's merchant filter), by name."""
    return Merchant.objects.filter(pk__in=products.order_by().values("merchant_id")).order_by("name", "pk")


# --- Attributes as shoppers see them ----------------------------------------------------
def visible_attributes(assignments, *, show_hidden: bool = False) -> list[tuple]:
    """(attribute, [values]) of loaded attribute assignments (with value__attribute), grouped by
    attribute in the order of their first assignment; attributes not visible in the storefront
    only when `show_hidden` (operators)."""
    grouped: dict = {}
    for assignment in assignments:
        value = assignment.value
        if show_hidden or value.attribute.visible_in_storefront:
            grouped.setdefault(value.attribute, []).append(value)
    return list(grouped.items())


# --- Reads shaped for the GraphQL API ---------------------------------------------------
def visible_channels(*, user=None) -> QuerySet[Channel]:
    """Channels a person may browse: active ones; operators also see inactive ones."""
    channels = Channel.objects.all()
    return channels if can_see_unpublished(user) else channels.filter(is_active=True)


def categories_matching(
    *,
    level: int | None = None,
    parent: Category | None = None,
    search: str = "",
    ids: list[int] | None = None,
    slugs: list[str] | None = None,
) -> QuerySet[Category]:
    """Categories narrowed by each given condition (None means "any"), with their parent loaded."""
    queryset = Category.objects.select_related("parent")
    if level is not None:
        queryset = queryset.filter(level=level)
    if parent is not None:
        queryset = queryset.filter(parent=parent)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(slug__icontains=search))
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    if slugs is not None:
        queryset = queryset.filter(slug__in=slugs)
    return queryset


def collections_matching(
    channel: Channel, *, user=None, search: str = "", ids: list[int] | None = None, slugs: list[str] | None = None
) -> QuerySet[Collection]:
    """Collections a person may see in a channel, narrowed by each given condition (None means "any")."""
    queryset = visible_collections(channel, user=user)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(slug__icontains=search))
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    if slugs is not None:
        queryset = queryset.filter(slug__in=slugs)
    return queryset


def collections_of_products(channel: Channel, product_ids, *, user=None) -> QuerySet[Collection]:
    """The collections a person may see in a channel holding any of `product_ids`, each row once per
    product, with that product's id as `product_id`."""
    return (
        visible_collections(channel, user=user)
        .filter(collection_products__product_id__in=product_ids)
        .annotate(product_id=F("collection_products__product_id"))
        .order_by("sort_order", "slug", "pk")
    )


# --- Nested lists: the first rows of many parents in one query ---------------------------
CHILD_CATEGORY_ORDERING = ["sort_order", "name", "pk"]


def first_children(parent_ids, *, limit: int) -> dict[int, list[Category]]:
    """The first `limit` children of each category, in the tree's order: one query for all parents."""
    position = Window(RowNumber(), partition_by=[F("parent_id")], order_by=CHILD_CATEGORY_ORDERING)
    children = (
        Category.objects.filter(parent_id__in=parent_ids)
        .annotate(position=position)
        .filter(position__lte=limit)
        .order_by("parent_id", "position")
    )
    rows = {parent_id: [] for parent_id in parent_ids}
    for child in children:
        rows[child.parent_id].append(child)
    return rows


def child_counts(parent_ids) -> dict[int, int]:
    counts = Category.objects.filter(parent_id__in=parent_ids).values("parent_id").annotate(count=Count("pk"))
    return {row["parent_id"]: row["count"] for row in counts.order_by()}


def in_category_branch(category: Category) -> Q:
    """Products of the category and of every category below it."""
    return Q(category__tree_path__startswith=category.tree_path)


def in_collection(collection_id: int) -> Q:
    return Q(Exists(CollectionProduct.objects.filter(product=OuterRef("pk"), collection_id=collection_id)))


def first_products_per_parent(
    products: QuerySet[Product], conditions: dict, *, limit: int, ordering: list[str]
) -> dict[int, list[Product]]:
    """The first `limit` of `products` meeting each parent's condition ({parent_id: Q}), in `ordering`.

    One query (a UNION ALL of one small sorted, limited select per parent) finds the ids and a
    second reads the rows, so a page of categories costs two queries however many it holds.
    """
    if not conditions:
        return {}
    selects = [
        products.filter(condition)
        .annotate(parent_key=Value(parent_id, BigIntegerField()), position=Window(RowNumber(), order_by=ordering))
        .order_by(*ordering)
        .values_list("pk", "parent_key", "position")[:limit]
        for parent_id, condition in conditions.items()
    ]
    first, *others = selects
    found = sorted(first.union(*others, all=True) if others else first, key=lambda row: (row[1], row[2]))
    rows = product_rows(Product.objects.filter(pk__in={pk for pk, _parent, _position in found}))
    by_id = {product.pk: product for product in rows.select_related(*PRODUCT_RELATIONS)}
    result = {parent_id: [] for parent_id in conditions}
    for pk, parent_id, _position in found:
        result[parent_id].append(by_id[pk])
    return result


def product_counts_per_parent(products: QuerySet[Product], conditions: dict) -> dict[int, int]:
    """How many of `products` meet each parent's condition ({parent_id: Q}): one query."""
    if not conditions:
        return {}
    totals = products.aggregate(
        **{f"parent_{parent_id}": Count("pk", filter=condition) for parent_id, condition in conditions.items()}
    )
    return {parent_id: totals[f"parent_{parent_id}"] for parent_id in conditions}
