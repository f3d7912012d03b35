"""Keeping each product's search document fresh: one refresh per product per transaction."""

from django.db import transaction

from catalog.models import (
    Product,
)


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
    from search.documents import product_document, search_vector_from

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
    Product.objects.filter(pk=product_id).update(
        search_document=document, search_vector=search_vector_from(document), search_index_dirty=False
    )
    return True
