"""The default backend: PostgreSQL full-text search over jieba-segmented documents."""

from django.db.models import FloatField, Value

from catalog import search as catalog_search
from search.backends.base import SearchBackend


class PostgresSearchBackend(SearchBackend):
    name = "postgres"

    def match(self, queryset, text):
        return catalog_search.search_products(queryset, text).annotate(
            search_rank=Value(0.0, output_field=FloatField())
        )

    def facets(self, queryset, channel, text, filters):
        return []

    def suggest(self, prefix, channel, *, limit=8):
        return []
