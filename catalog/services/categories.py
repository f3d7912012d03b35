"""The category tree and curated collections."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from catalog.models import (
    Category,
    Channel,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
)
from catalog.slugs import unique_slug


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
