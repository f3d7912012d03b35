"""The one search service: pages, the GraphQL API and Celery tasks call these functions, never a backend."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from search.backends.base import Facet, SearchBackend, SearchFilters, Suggestion

BACKENDS = {
    "postgres": "search.backends.postgres.PostgresSearchBackend",
    "elasticsearch": "search.backends.elastic.ElasticsearchBackend",
}


@cache
def get_backend(name: str | None = None) -> SearchBackend:
    return import_string(BACKENDS[name or settings.SEARCH_BACKEND])()


def match(queryset, text: str):
    return get_backend().match(queryset, text)


def facets(queryset, channel, text: str, filters: SearchFilters) -> list[Facet]:
    return get_backend().facets(queryset, channel, text, filters)


def filters_of(product_filter) -> SearchFilters:
    """The facet selections of a catalog.selectors.ProductFilter, as every backend counts them."""
    from search.facets import search_filters_of

    return search_filters_of(product_filter)


def suggest(prefix: str, channel, *, limit: int = 8) -> list[Suggestion]:
    return get_backend().suggest(prefix, channel, limit=limit)


def hot_searches(*, limit: int = 10) -> list[str]:
    """热搜: the searches members made most in the last days that found something."""
    from search import stats

    return stats.hot_searches(limit=limit)


def record_search(text: str, result_count: int) -> None:
    """Count a search a person made (for 热搜); cheap, never fails the page."""
    from search import stats

    stats.record_search(text, result_count)


def index_products(product_ids) -> int:
    """Bring the configured backend's index up to date for these products (tasks call this)."""
    return get_backend().index_products(product_ids)


def reindex(progress=None) -> int:
    return get_backend().reindex(progress)


def alternatives(text: str, *, limit: int = 3) -> list[str]:
    """For a search that found nothing: other spellings (homophones, pinyin read as Chinese, synonyms,
    shorter words) that do find products, best first."""
    from search.alternatives import alternatives as find_alternatives

    return find_alternatives(text, limit=limit)
