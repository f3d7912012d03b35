"""Products: creating and editing them, their attributes, pictures and channel listings."""

from datetime import datetime
from decimal import Decimal

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from catalog.models import (
    AssignedProductAttributeValue,
    Category,
    Channel,
    Merchant,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductType,
)
from catalog.services import rules
from catalog.services.search_index import schedule_search_refresh
from catalog.slugs import slug_from_name, unique_slug


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
        seo_title=seo_title,
        seo_description=seo_description,
        weight=weight,
    )
    return save_new_product(product)


@transaction.atomic
def save_new_product(product: Product) -> Product:
    """Check and save a product built in memory (the admin's form fills one), queueing its search text."""
    rules.check_product(product)
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
    rules.check_product(product)
    product.save()
    schedule_search_refresh(product)
    return product


@transaction.atomic
def assign_attribute(*, product: Product, attribute_name: str, value: str, sort_order: int = 0):
    """Give a product an attribute value (产地: 云南省保山市), creating either when new."""
    assigned = rules.attribute_value(attribute_name, value)
    AssignedProductAttributeValue.objects.filter(product=product, value__attribute_id=assigned.attribute_id).exclude(
        value=assigned
    ).delete()
    AssignedProductAttributeValue.objects.get_or_create(
        product=product, value=assigned, defaults={"sort_order": sort_order}
    )
    schedule_search_refresh(product)
    return assigned


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
    times = rules.listing_times(
        now=timezone.now(), published_at=published_at, available_for_purchase_at=available_for_purchase_at
    )
    listing, _ = ProductChannelListing.objects.update_or_create(
        product=product,
        channel=channel,
        defaults={"is_published": is_published, "visible_in_listings": visible_in_listings, **times},
    )
    return listing
