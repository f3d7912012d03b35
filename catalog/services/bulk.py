"""Creating many products at once (imports, large demo catalogues) under the one-by-one rules."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog.errors import CatalogError
from catalog.models import (
    AssignedProductAttributeValue,
    Category,
    Channel,
    Merchant,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
    Stock,
    Warehouse,
)
from catalog.services import rules


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
    """Create many products in a fixed number of statements, under the one-by-one services' rules.

    Each product and variant goes through catalog.services.rules as create_product and
    create_variant do (prices rounded and checked, member price never above the price, fields
    checked, plain-text description), the price range and search document come from the same
    functions, and slugs and SKUs must be new (checked for the whole batch at once). Each product is
    listed in `channel`. Images may be shared between products.
    """
    from catalog.search import product_search_document_from_parts
    from search.documents import category_paths, search_vectors_of_column

    drafts = list(drafts)
    _check_new_slugs_and_skus(drafts)
    values = {pair: rules.attribute_value(*pair) for pair in sorted({pair for d in drafts for pair in d.attributes})}
    paths = category_paths({draft.category for draft in drafts if draft.category})

    products, variants_of = [], []
    for draft in drafts:
        variants = [_variant(draft_variant, sort_order) for sort_order, draft_variant in enumerate(draft.variants)]
        product = Product(
            product_type=draft.product_type,
            merchant=draft.merchant,
            category=draft.category,
            name=draft.name,
            slug=draft.slug,
            description=draft.description,
            weight=draft.weight,
        )
        rules.check_product(product, in_bulk=True)
        product.min_price, product.max_price = rules.price_range(variant.price_amount for variant in variants)
        product.search_document = product_search_document_from_parts(
            name=draft.name,
            merchant_name=draft.merchant.name,
            category_path=paths[draft.category.pk] if draft.category else [],
            attribute_values=[value for _, value in draft.attributes],
            variant_names=[variant.name for variant in variants],
            skus=[variant.sku for variant in variants],
            description_plaintext=product.description_plaintext,
        )
        products.append(product)
        variants_of.append(variants)
    Product.objects.bulk_create(products)

    variants, stocks, listings, media, assignments = [], [], [], [], []
    now = timezone.now()
    for product, draft, product_variants in zip(products, drafts, variants_of, strict=True):
        for variant, variant_draft in zip(product_variants, draft.variants, strict=True):
            variant.product = product
            variants.append(variant)
            stocks += [Stock(warehouse=w, product_variant=variant, quantity=q) for w, q in variant_draft.stock]
        times = rules.listing_times(
            now=now, published_at=None, available_for_purchase_at=draft.available_for_purchase_at
        )
        listings.append(
            ProductChannelListing(product=product, channel=channel, is_published=draft.is_published, **times)
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
    # The same weighted tsvectors a refresh builds, computed by the database for the whole batch.
    Product.objects.filter(pk__in=[product.pk for product in products]).update(**search_vectors_of_column())
    return products


def _variant(draft: VariantDraft, sort_order: int) -> ProductVariant:
    variant = ProductVariant(
        sku=draft.sku,
        name=draft.name,
        weight=draft.weight,
        price_amount=draft.price,
        member_price_amount=draft.member_price,
        sort_order=sort_order,
    )
    rules.check_variant(variant, in_bulk=True)
    return variant


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
