"""Every change to the catalogue goes through these functions: the API, pages, admin and commands call them."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.postgres.search import SearchVector
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from catalog.errors import CatalogError, InvalidPrice, MemberPriceAboveListPrice
from catalog.models import (
    AssignedProductAttributeValue,
    Attribute,
    AttributeValue,
    Category,
    Channel,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    Merchant,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
    Stock,
    Warehouse,
)
from catalog.richtext import editorjs_to_plaintext
from catalog.slugs import slug_from_name, unique_slug
from mall.money import quantize


# --- Channels, merchants, warehouses ----------------------------------------------------
def create_channel(*, name: str, slug: str, currency_code: str = "CNY") -> Channel:
    channel = Channel(name=name, slug=slug, currency_code=currency_code)
    channel.full_clean()
    channel.save()
    return channel


def create_merchant(*, name: str, slug: str | None = None, kind=Merchant.Kind.MEMBER_GOODS, **fields) -> Merchant:
    merchant = Merchant(name=name, slug=slug or unique_slug(Merchant, name), kind=kind, **fields)
    merchant.full_clean()
    merchant.save()
    return merchant


@transaction.atomic
def create_warehouse(*, name: str, slug: str | None = None, channels=(), **fields) -> Warehouse:
    warehouse = Warehouse(name=name, slug=slug or unique_slug(Warehouse, name), **fields)
    warehouse.full_clean()
    warehouse.save()
    warehouse.channels.set(channels)
    return warehouse


# --- Categories and collections ---------------------------------------------------------
def create_category(
    *,
    name: str,
    slug: str | None = None,
    parent: Category | None = None,
    description=None,
    sort_order: int = 0,
    **fields,
) -> Category:
    category = Category(
        name=name,
        slug=slug or unique_slug(Category, name),
        parent=parent,
        description=description,
        sort_order=sort_order,
        **fields,
    )
    return save_new_category(category)


@transaction.atomic
def save_new_category(category: Category) -> Category:
    """Save a new category and place it in the tree under its parent."""
    parent = category.parent
    category.level = parent.level + 1 if parent else 0
    category.full_clean(exclude=["tree_path"])
    category.save()
    category.tree_path = f"{parent.tree_path if parent else '/'}{category.pk}/"
    category.save(update_fields=["tree_path"])
    return category


@transaction.atomic
def create_collection(
    *, name: str, slug: str | None = None, description=None, sort_order: int = 0, **fields
) -> Collection:
    collection = Collection(
        name=name, slug=slug or unique_slug(Collection, name), description=description, sort_order=sort_order, **fields
    )
    collection.full_clean()
    collection.save()
    return collection


@transaction.atomic
def add_products_to_collection(*, collection: Collection, products) -> None:
    start = CollectionProduct.objects.filter(collection=collection).count()
    existing = set(CollectionProduct.objects.filter(collection=collection).values_list("product_id", flat=True))
    CollectionProduct.objects.bulk_create(
        [
            CollectionProduct(collection=collection, product=product, sort_order=start + index)
            for index, product in enumerate(p for p in products if p.pk not in existing)
        ]
    )


def publish_collection(*, collection: Collection, channel: Channel, published_at: datetime | None = None):
    listing, _ = CollectionChannelListing.objects.update_or_create(
        collection=collection,
        channel=channel,
        defaults={"is_published": True, "published_at": published_at or timezone.now()},
    )
    return listing


# --- Products ---------------------------------------------------------------------------
def get_or_create_product_type(*, name: str, has_variants: bool = True) -> ProductType:
    product_type, _ = ProductType.objects.get_or_create(
        slug=slug_from_name(name), defaults={"name": name, "has_variants": has_variants}
    )
    return product_type


@transaction.atomic
def create_product(
    *,
    product_type: ProductType,
    merchant: Merchant,
    category: Category | None,
    name: str,
    slug: str | None = None,
    description: dict | None = None,
    seo_title: str = "",
    seo_description: str = "",
    weight: Decimal | None = None,
) -> Product:
    product = Product(
        product_type=product_type,
        merchant=merchant,
        category=category,
        name=name,
        slug=slug or unique_slug(Product, name),
        description=description,
        description_plaintext=editorjs_to_plaintext(description),
        seo_title=seo_title,
        seo_description=seo_description,
        weight=weight,
    )
    product.full_clean(exclude=["search_vector"])
    product.save()
    schedule_search_refresh(product, new=True)
    return product


PRODUCT_EDITABLE_FIELDS = {"name", "slug", "description", "category", "seo_title", "seo_description", "weight"}


@transaction.atomic
def update_product(product: Product, **changes) -> Product:
    unknown = set(changes) - PRODUCT_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_product cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(product, field, value)
    product.description_plaintext = editorjs_to_plaintext(product.description)
    product.full_clean(exclude=["search_vector"])
    product.save()
    schedule_search_refresh(product)
    return product


@transaction.atomic
def assign_attribute(*, product: Product, attribute_name: str, value: str, sort_order: int = 0):
    """Give a product an attribute value (产地: 云南省保山市), creating either when new."""
    attribute, _ = Attribute.objects.get_or_create(
        slug=slug_from_name(attribute_name), defaults={"name": attribute_name}
    )
    attribute_value, _ = AttributeValue.objects.get_or_create(
        attribute=attribute, slug=slug_from_name(value), defaults={"name": value}
    )
    AssignedProductAttributeValue.objects.filter(product=product, value__attribute=attribute).exclude(
        value=attribute_value
    ).delete()
    AssignedProductAttributeValue.objects.get_or_create(
        product=product, value=attribute_value, defaults={"sort_order": sort_order}
    )
    schedule_search_refresh(product)
    return attribute_value


def add_product_media(*, product: Product, image: File, alt: str = "") -> ProductMedia:
    sort_order = (product.media.aggregate(last=Max("sort_order"))["last"] or 0) + 1
    media = ProductMedia(product=product, alt=alt, sort_order=sort_order, type=ProductMedia.Type.IMAGE)
    media.image.save(image.name, image, save=False)
    media.full_clean()
    media.save()
    return media


@transaction.atomic
def publish_product(
    *,
    product: Product,
    channel: Channel,
    is_published: bool = True,
    published_at: datetime | None = None,
    available_for_purchase_at: datetime | None = None,
    visible_in_listings: bool = True,
) -> ProductChannelListing:
    now = timezone.now()
    listing, _ = ProductChannelListing.objects.update_or_create(
        product=product,
        channel=channel,
        defaults={
            "is_published": is_published,
            "published_at": published_at or now,
            "available_for_purchase_at": available_for_purchase_at or now,
            "visible_in_listings": visible_in_listings,
        },
    )
    return listing


# --- Variants, prices and stock ---------------------------------------------------------
def _clean_prices(price, member_price) -> tuple[Decimal, Decimal | None]:
    try:
        price = quantize(price)
        member_price = quantize(member_price) if member_price is not None else None
    except (TypeError, ValueError) as error:
        raise InvalidPrice(str(error)) from error
    if price < 0:
        raise InvalidPrice("售价不能为负数。")
    if member_price is not None and member_price < 0:
        raise InvalidPrice("会员价不能为负数。", field="memberPrice")
    if member_price is not None and member_price > price:
        raise MemberPriceAboveListPrice(price, member_price)
    return price, member_price


@transaction.atomic
def create_variant(
    *,
    product: Product,
    sku: str,
    price,
    member_price=None,
    name: str = "",
    weight: Decimal | None = None,
    track_inventory: bool = True,
    quantity_limit_per_customer: int | None = None,
) -> ProductVariant:
    price, member_price = _clean_prices(price, member_price)
    variant = ProductVariant(
        product=product,
        sku=sku,
        name=name,
        weight=weight,
        price_amount=price,
        member_price_amount=member_price,
        track_inventory=track_inventory,
        quantity_limit_per_customer=quantity_limit_per_customer,
        sort_order=product.variants.count(),
    )
    variant.full_clean()
    variant.save()
    refresh_product_price_range(product)
    schedule_search_refresh(product)
    return variant


@transaction.atomic
def update_variant_prices(*, variant: ProductVariant, price, member_price=None) -> ProductVariant:
    variant.price_amount, variant.member_price_amount = _clean_prices(price, member_price)
    variant.full_clean()
    variant.save(update_fields=["price_amount", "member_price_amount", "updated_at"])
    refresh_product_price_range(variant.product)
    return variant


def refresh_product_price_range(product: Product) -> None:
    prices = product.variants.aggregate(low=Min("price_amount"), high=Max("price_amount"))
    Product.objects.filter(pk=product.pk).update(min_price=prices["low"], max_price=prices["high"])
    product.min_price, product.max_price = prices["low"], prices["high"]


@transaction.atomic
def set_stock(*, variant: ProductVariant, warehouse: Warehouse, quantity: int) -> Stock:
    """Set how many of a variant a warehouse holds; refused below what orders have allocated."""
    stock, _ = Stock.objects.select_for_update().get_or_create(warehouse=warehouse, product_variant=variant)
    stock.quantity = quantity
    stock.full_clean()
    stock.save(update_fields=["quantity"])
    return stock


# --- Search -----------------------------------------------------------------------------
@transaction.atomic
def schedule_search_refresh(product: Product, *, new: bool = False) -> None:
    """Mark the product's search text stale; the first change in a transaction queues one refresh.

    The product row is locked until this transaction ends, and the refresh locks it too, so a
    refresh either runs after this transaction (and reads its changes) or finished before it
    (and this call finds the flag cleared and queues another). A product that is already marked
    stale has a refresh queued; if that one is lost, refresh_stale_search_documents catches up.
    """
    from catalog.tasks import refresh_product_search_document

    locked = Product.objects.select_for_update().filter(pk=product.pk)
    already_stale = locked.values_list("search_index_dirty", flat=True).first()
    if already_stale and not new:
        return
    if not already_stale:
        locked.update(search_index_dirty=True)
    product_id = product.pk
    transaction.on_commit(lambda: refresh_product_search_document.delay(product_id))


@transaction.atomic
def refresh_search_document(product_id: int) -> bool:
    """Rebuild one product's search document and vector. Returns False if the product is gone."""
    from catalog.search import product_search_document, search_vector_for

    product = (
        Product.objects.select_for_update(of=("self",))
        .select_related("merchant", "category")
        .prefetch_related("variants")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        return False
    document = product_search_document(product)
    Product.objects.filter(pk=product_id).update(
        search_document=document, search_vector=search_vector_for(document), search_index_dirty=False
    )
    return True


# --- Bulk creation (imports, large demo catalogues) -------------------------------------
@dataclass(frozen=True)
class VariantDraft:
    """One variant of a ProductDraft, with how many units each warehouse holds."""

    sku: str
    price: Decimal | str
    member_price: Decimal | str | None = None
    name: str = ""
    weight: Decimal | None = None
    stock: tuple[tuple[Warehouse, int], ...] = ()


@dataclass(frozen=True)
class ProductDraft:
    """A product to create with bulk_create_products; `images` name files already in storage."""

    product_type: ProductType
    merchant: Merchant
    category: Category | None
    name: str
    slug: str
    variants: tuple[VariantDraft, ...]
    description: dict | None = None
    weight: Decimal | None = None
    attributes: tuple[tuple[str, str], ...] = ()  # (attribute name, value), e.g. ("产地", "甘肃省定西市安定区")
    images: tuple[tuple[str, str], ...] = ()  # (storage name, alt)
    is_published: bool = True
    available_for_purchase_at: datetime | None = None


@transaction.atomic
def bulk_create_products(*, drafts, channel: Channel) -> list[Product]:
    """Create many products in a fixed number of statements, keeping the one-by-one services' invariants.

    Prices are checked and rounded as in create_variant (member price never above the price), the
    price range, plain-text description and search document and vector are filled in, slugs and SKUs
    must be new. Each product is listed in `channel`. Images may be shared between products.
    """
    from catalog.search import SEARCH_CONFIG, product_search_document_from_parts

    drafts = list(drafts)
    _check_new_slugs_and_skus(drafts)
    prices = {variant.sku: _clean_prices(variant.price, variant.member_price) for d in drafts for variant in d.variants}
    values = _attribute_values({pair for draft in drafts for pair in draft.attributes})

    products = []
    for draft in drafts:
        plaintext = editorjs_to_plaintext(draft.description)
        amounts = [prices[variant.sku][0] for variant in draft.variants]
        document = product_search_document_from_parts(
            name=draft.name,
            merchant_name=draft.merchant.name,
            category_name=draft.category.name if draft.category else "",
            attribute_values=[value for _, value in draft.attributes],
            variant_names=[variant.name for variant in draft.variants],
            skus=[variant.sku for variant in draft.variants],
            description_plaintext=plaintext,
        )
        products.append(
            Product(
                product_type=draft.product_type,
                merchant=draft.merchant,
                category=draft.category,
                name=draft.name,
                slug=draft.slug,
                description=draft.description,
                description_plaintext=plaintext,
                weight=draft.weight,
                min_price=min(amounts, default=None),
                max_price=max(amounts, default=None),
                search_document=document,
                search_index_dirty=False,
            )
        )
    Product.objects.bulk_create(products)

    variants, stocks, listings, media, assignments = [], [], [], [], []
    now = timezone.now()
    for product, draft in zip(products, drafts, strict=True):
        for sort_order, variant_draft in enumerate(draft.variants):
            price, member_price = prices[variant_draft.sku]
            variant = ProductVariant(
                product=product,
                sku=variant_draft.sku,
                name=variant_draft.name,
                weight=variant_draft.weight,
                price_amount=price,
                member_price_amount=member_price,
                sort_order=sort_order,
            )
            variants.append(variant)
            stocks += [Stock(warehouse=w, product_variant=variant, quantity=q) for w, q in variant_draft.stock]
        listings.append(
            ProductChannelListing(
                product=product,
                channel=channel,
                is_published=draft.is_published,
                published_at=now,
                available_for_purchase_at=draft.available_for_purchase_at or now,
            )
        )
        media += [
            ProductMedia(product=product, image=name, alt=alt, sort_order=index + 1, type=ProductMedia.Type.IMAGE)
            for index, (name, alt) in enumerate(draft.images)
        ]
        assignments += [
            AssignedProductAttributeValue(product=product, value=values[pair], sort_order=index)
            for index, pair in enumerate(draft.attributes)
        ]
    ProductVariant.objects.bulk_create(variants, batch_size=2000)
    Stock.objects.bulk_create(stocks, batch_size=2000)
    ProductChannelListing.objects.bulk_create(listings, batch_size=2000)
    ProductMedia.objects.bulk_create(media, batch_size=2000)
    AssignedProductAttributeValue.objects.bulk_create(assignments, batch_size=5000)
    # The same tsvector search_vector_for() builds, computed by the database for the whole batch.
    Product.objects.filter(pk__in=[product.pk for product in products]).update(
        search_vector=SearchVector("search_document", config=SEARCH_CONFIG)
    )
    return products


def _check_new_slugs_and_skus(drafts) -> None:
    slugs = Counter(draft.slug for draft in drafts)
    skus = Counter(variant.sku for draft in drafts for variant in draft.variants)
    taken_slugs = {slug for slug, count in slugs.items() if count > 1}
    taken_slugs |= set(Product.objects.filter(slug__in=list(slugs)).values_list("slug", flat=True))
    if taken_slugs:
        raise CatalogError(f"商品标识已存在：{', '.join(sorted(taken_slugs)[:5])}", field="slug", code="UNIQUE")
    taken_skus = {sku for sku, count in skus.items() if count > 1}
    taken_skus |= set(ProductVariant.objects.filter(sku__in=list(skus)).values_list("sku", flat=True))
    if taken_skus:
        raise CatalogError(f"SKU 已存在：{', '.join(sorted(taken_skus)[:5])}", field="sku", code="UNIQUE")


def _attribute_values(pairs) -> dict[tuple[str, str], AttributeValue]:
    """The AttributeValue of each (attribute name, value) pair, created when new as assign_attribute does."""
    attributes, values = {}, {}
    for attribute_name, value in sorted(pairs):
        if attribute_name not in attributes:
            attributes[attribute_name], _ = Attribute.objects.get_or_create(
                slug=slug_from_name(attribute_name), defaults={"name": attribute_name}
            )
        values[(attribute_name, value)], _ = AttributeValue.objects.get_or_create(
            attribute=attributes[attribute_name], slug=slug_from_name(value), defaults={"name": value}
        )
    return values
