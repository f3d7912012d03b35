"""The default backend: PostgreSQL full-text search over jieba-segmented, pinyin-enriched documents.

Each part lives in its own module: search.ranking (matching and rank), search.facets (facet counts),
search.suggestions (completions) and search.indexing (keeping documents fresh).
"""

from search import facets, indexing, ranking, suggestions
from search.backends.base import SearchBackend


class PostgresSearchBackend(SearchBackend):
    name = "postgres"

    def match(self, queryset, text):
        return ranking.match(queryset, text)

    def facets(self, queryset, channel, text, filters):
        if text:
            queryset = ranking.match(queryset, text)
        return facets.count_facets(queryset, channel, filters)

    def suggest(self, prefix, channel, *, limit=8):
        return suggestions.suggest(prefix, limit=limit)

    def index_products(self, product_ids):
        return indexing.index_products(product_ids)

    def reindex(self, progress=None):
        return indexing.reindex(progress)
