"""Celery tasks of the catalogue: thin, idempotent wrappers around catalog.services."""

from celery import shared_task

from catalog import services


@shared_task(name="catalog.refresh_product_search_document")
def refresh_product_search_document(product_id: int) -> bool:
    return services.refresh_search_document(product_id)


@shared_task(name="catalog.refresh_stale_search_documents")
def refresh_stale_search_documents(limit: int = 1000) -> int:
    """Catch up on products whose refresh was lost (a worker down when they were saved)."""
    from search.models import StaleProduct

    ids = list(StaleProduct.objects.order_by("pk").values_list("pk", flat=True)[:limit])
    for product_id in ids:
        services.refresh_search_document(product_id)
    return len(ids)
