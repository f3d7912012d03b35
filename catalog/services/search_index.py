"""Keeping each product's search document fresh: one refresh per product per transaction."""

from django.db import transaction

from catalog.models import (
    Product,
)


def schedule_search_refresh(product: Product, *, new: bool = False) -> None:
    """Mark the product's search index stale; the first change in a transaction queues one index task
    (search.indexing.mark_stale: bursts coalesce into one batch, a lost task is caught up by the beat)."""
    from search.indexing import mark_stale

    mark_stale([product.pk], force=new)


@transaction.atomic
def refresh_search_document(product_id: int) -> bool:
    """Rebuild one product's search document and vector. Returns False if the product is gone."""
    from search.documents import product_document, search_vectors_from
    from search.indexing import unmark_stale

    unmark_stale([product_id])  # first: a change marking it from now on stays marked (search.indexing)
    product = (
        Product.objects.select_for_update(of=("self",))
        .select_related("merchant", "category")
        .prefetch_related("variants")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        return False
    document = product_document(product)
    Product.objects.filter(pk=product_id).update(search_document=document, **search_vectors_from(document))
    return True
