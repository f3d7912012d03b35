"""The Elasticsearch backend (SEARCH_BACKEND=elasticsearch, ELASTICSEARCH_URL): the catalogue searched, counted
and completed by an Elasticsearch cluster, the database still the source of every row shown.

- match: the best max_hits() products for the text (search.elastic.queries.ranked_query), as the queryset
  narrowed to those ids and annotated `search_rank` with the Elasticsearch score. The queryset keeps its own
  filters (visibility, category, price…), which the database applies to those ids.
- facets: with a text, counted over exactly the products `match` returns for the queryset (their ids go to
  Elasticsearch), so the counts equal the result list; without a text, over the products listed in the
  channel. Selections as post_filter, each facet in a filter aggregation of the other selections.
- suggest: the completion suggester, products listed in the channel, by name, name words, pinyin, initials.
- index_products / reindex: search.elastic.indexes (single documents; a new index and an alias swap).

When the cluster cannot be reached, searches fall back to the PostgreSQL backend (logged), so a page never
fails because of it; indexing raises, so that its Celery task retries.
"""

from __future__ import annotations

import logging

from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, F, FloatField, Func, Value
from django.utils import timezone
from elasticsearch import ApiError, TransportError
from elasticsearch_dsl import Q

from search.backends.base import Facet, FacetBucket, SearchBackend, SearchFilters, Suggestion
from search.elastic import indexes, queries

logger = logging.getLogger(__name__)

FACET_LABELS = {
    "category": "分类",
    "region": "帮扶地区",
    "price": "价格",
    "relief": "帮扶产品",
    "in_stock": "有货",
}
UNREACHABLE = (ApiError, TransportError)


def _fallback():
    from search.backends.postgres import PostgresSearchBackend

    return PostgresSearchBackend()


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    # --- match -----------------------------------------------------------------------------------
    def hits(self, text: str) -> list[tuple[int, float]]:
        """(product id, score) of the best max_hits() products for `text`, best first."""
        if not queries.searchable(text):
            return []
        search = queries.match_search(indexes.client(), indexes.alias_name(), text)
        return [(int(hit.meta.id), float(hit.meta.score)) for hit in search.execute()]

    def match(self, queryset, text):
        try:
            hits = self.hits(text)
        except UNREACHABLE:
            logger.warning("Elasticsearch unreachable; searching with PostgreSQL", exc_info=True)
            return _fallback().match(queryset, text)
        return rank_by_hits(queryset, hits)

    # --- facets ----------------------------------------------------------------------------------
    def facets(self, queryset, channel, text, filters):
        try:
            return self._facets(queryset, channel, text, filters)
        except UNREACHABLE:
            logger.warning("Elasticsearch unreachable; counting facets with PostgreSQL", exc_info=True)
            return _fallback().facets(queryset, channel, text, filters)

    def _facets(self, queryset, channel, text, filters: SearchFilters) -> list[Facet]:
        today, now = timezone.localdate(), timezone.now()
        if queries.searchable(text):
            ids = list(rank_by_hits(queryset, self.hits(text)).values_list("pk", flat=True))
            if not ids:
                return empty_facets(filters)
            base = [Q("terms", id=ids)]
        else:
            base = [queries.visible_in_channel(channel.pk, now)]
        selected = queries.selection_filters(filters, channel_id=channel.pk, today=today, now=now)
        search = queries.facet_search(
            indexes.client(),
            indexes.alias_name(),
            base=base,
            selected=selected,
            channel_id=channel.pk,
            today=today,
            now=now,
        )
        return facets_from_response(search.execute().aggregations.to_dict(), filters)

    # --- suggestions -----------------------------------------------------------------------------
    def suggest(self, prefix, channel, *, limit=8):
        if not queries.searchable(prefix) or limit < 1:
            return []
        search = queries.suggest_search(
            indexes.client(), indexes.alias_name(), prefix, channel_id=channel.pk, limit=limit
        )
        try:
            response = search.execute()
        except UNREACHABLE:
            logger.warning("Elasticsearch unreachable; suggesting with PostgreSQL", exc_info=True)
            return _fallback().suggest(prefix, channel, limit=limit)
        return suggestions_from_response(response.to_dict(), limit=limit)

    # --- indexing --------------------------------------------------------------------------------
    def index_products(self, product_ids):
        return indexes.index_products(product_ids)

    def reindex(self, progress=None):
        return indexes.reindex(progress)


class HitScore(Func):
    """The Elasticsearch score of a row, looked up by its id in two array parameters:
    COALESCE((scores)[array_position(ids, id)], 0). A CASE with a WHEN per hit says the same, but Django
    takes about 0.4 s to compile one with 1,000 WHENs; this is two parameters whatever the number of hits."""

    output_field = FloatField()

    def __init__(self, hits: list[tuple[int, float]]):
        super().__init__(
            Value([float(score) for _pk, score in hits], output_field=ArrayField(FloatField())),
            Value([int(pk) for pk, _score in hits], output_field=ArrayField(BigIntegerField())),
            F("pk"),
        )

    def as_sql(self, compiler, connection, **extra_context):
        (scores, score_params), (ids, id_params), (pk, pk_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        sql = f"COALESCE((({scores})::float8[])[array_position(({ids})::bigint[], ({pk})::bigint)], 0)"
        return sql, (*score_params, *id_params, *pk_params)


def rank_by_hits(queryset, hits: list[tuple[int, float]]):
    """`queryset` narrowed to the hit ids, annotated search_rank with their scores."""
    if not hits:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    return queryset.filter(pk__in=[pk for pk, _score in hits]).annotate(search_rank=HitScore(hits))


def empty_facets(filters: SearchFilters) -> list[Facet]:
    return facets_from_response({}, filters)


def _count(bucket: dict | None) -> int:
    return int((bucket or {}).get("doc_count", 0))


def facets_from_response(aggregations: dict, filters: SearchFilters) -> list[Facet]:
    """The Facet values of a facet_search response (aggregations as a dict), labels read from the database."""
    from catalog.models import Category
    from relief_sourcing.models import PartnerRegion

    def values(name: str) -> dict:
        return aggregations.get(name, {}).get("values", {})

    category_counts = {int(b["key"]): b["doc_count"] for b in values("category").get("buckets", [])}
    region_buckets = (
        aggregations.get("region", {}).get("certifications", {}).get("valid", {}).get("values", {}).get("buckets", [])
    )
    region_counts = {str(b["key"]): _count(b.get("products")) for b in region_buckets}
    categories = dict(Category.objects.filter(pk__in=category_counts).values_list("pk", "name"))
    regions = {region.code: region.county for region in PartnerRegion.objects.filter(code__in=region_counts)}
    selected_categories = {int(pk) for pk in filters.category_ids}
    price_buckets = values("price").get("buckets", {})
    price_selected = {
        value
        for value, _label, low, high in queries.PRICE_RANGES
        if filters.price_gte == low and filters.price_lte == high
    }
    return [
        Facet(
            "category",
            FACET_LABELS["category"],
            tuple(
                FacetBucket(str(pk), categories.get(pk, str(pk)), count, pk in selected_categories)
                for pk, count in sorted(
                    category_counts.items(), key=lambda item: (-item[1], categories.get(item[0], ""))
                )
            ),
        ),
        Facet(
            "region",
            FACET_LABELS["region"],
            tuple(
                FacetBucket(code, regions.get(code, code), count, code in filters.region_codes)
                for code, count in sorted(region_counts.items(), key=lambda item: (-item[1], item[0]))
            ),
        ),
        Facet(
            "price",
            FACET_LABELS["price"],
            tuple(
                FacetBucket(value, label, _count(price_buckets.get(value)), value in price_selected)
                for value, label, _low, _high in queries.PRICE_RANGES
            ),
        ),
        Facet(
            "relief",
            FACET_LABELS["relief"],
            (FacetBucket("true", "帮扶产品", _count(values("relief")), filters.relief_certified is True),),
        ),
        Facet(
            "in_stock",
            FACET_LABELS["in_stock"],
            (FacetBucket("true", "仅看有货", _count(values("in_stock")), filters.in_stock is True),),
        ),
    ]


def suggestions_from_response(response: dict, *, limit: int) -> list[Suggestion]:
    found: dict[str, Suggestion] = {}
    for entry in response.get("suggest", {}).get("products", []):
        for option in entry.get("options", []):
            source = option.get("_source", {})
            name = source.get("name") or option.get("text", "")
            if name and name not in found:
                found[name] = Suggestion(text=name, kind="product", slug=source.get("slug", ""))
    return list(found.values())[:limit]
