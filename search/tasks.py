"""Celery tasks of search: thin wrappers around search.indexing, search.popularity and search.suggestions."""

from celery import shared_task

from search import indexing


@shared_task(name="search.index_stale_products")
def index_stale_products() -> int:
    """Index every product marked stale (one task per burst of changes; see search.indexing)."""
    return indexing.index_stale_products()


@shared_task(name="search.index_products")
def index_products(product_ids: list[int]) -> int:
    """Index these products now (deleted ones leave the index)."""
    from search import service

    return service.index_products(product_ids)


@shared_task(name="search.refresh_popularity")
def refresh_popularity() -> int:
    """Nightly: units sold over the last 90 days into Product.popularity, then the suggestion terms anew."""
    from search import popularity, suggestions

    changed = popularity.refresh_popularity()
    suggestions.rebuild()
    return changed
