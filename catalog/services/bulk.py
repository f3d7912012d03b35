"""Creating many products at once (imports, large demo catalogues) with the one-by-one invariants."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.utils import timezone

from catalog.errors import CatalogError
from catalog.models import (
    AssignedProductAttributeValue,
    Attribute,
    AttributeValue,
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
from catalog.richtext import editorjs_to_plaintext
from catalog.services.variants import clean_prices
from catalog.slugs import slug_from_name


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
    prices = {variant.sku: clean_prices(variant.price, variant.member_price) for d in drafts for variant in d.variants}
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
