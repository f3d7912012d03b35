"""The searches sent to Elasticsearch, built with elasticsearch-dsl: text relevance, the facet filters and
aggregations, and completions.

What a person typed only ever reaches Elasticsearch inside match / multi_match / completion bodies, never
a query_string, so Lucene syntax (+ - && || ! ( ) { } [ ] ^ " ~ * ? : \\ /) is plain text there; control
characters are dropped and the text is cut by search.text.clean before anything is built.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from elasticsearch_dsl import Q, Search

from search import text as search_text
from search.backends.base import FACET_NAMES, SearchFilters

# Boosts: the name counts most, then the category path, the partner region (怒江), the description, and the
# merchant least (a rice cooperative's dried beef must not come before its rice).
TEXT_FIELDS = ("name^8", "category_path^4", "region^3", "description^1", "merchant^0.5")
PINYIN_FIELD_BOOSTS = {"pinyin": 4, "initials": 3, "category_pinyin": 1}
# A text search ranks the best MAX_HITS products; the page lists those (after the database's own filters).
MAX_HITS = 1000
FACET_SIZE = 100
_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z0-9]+")

# The price facet's buckets: (value, label, at least, at most).
PRICE_RANGES = (
    ("0-50", "50元以下", Decimal("0"), Decimal("50")),
    ("50-100", "50-100元", Decimal("50"), Decimal("100")),
    ("100-200", "100-200元", Decimal("100"), Decimal("200")),
    ("200-500", "200-500元", Decimal("200"), Decimal("500")),
    ("500-", "500元以上", Decimal("500"), None),
)


def max_hits() -> int:
    return int(getattr(settings, "ELASTICSEARCH_MAX_HITS", MAX_HITS))


def searchable(text: str | None) -> str:
    """The cleaned text, or "" when nothing in it can be searched (empty, only punctuation or spaces)."""
    cleaned = search_text.clean(text)
    return cleaned if _WORD.search(cleaned) else ""


def _pinyin_of(text: str) -> tuple[str, bool]:
    """What to look for in the pinyin fields: 脐澄 → ("qicheng", False) for homophones; "Qi Cheng" →
    ("qicheng", True) for pinyin typed in Latin letters (which may be misspelt, so it is matched fuzzily)."""
    if search_text.has_han(text):
        han = "".join(char for char in text if search_text.has_han(char))
        return (search_text.pinyin_full(text) if len(han) > 1 else ""), False
    return "".join(_LATIN.findall(text)), True


def text_query(text: str):
    """How well a product matches `text`; None when the text holds nothing to search for."""
    text = searchable(text)
    if not text:
        return None
    latin = not search_text.has_han(text)
    best_fields = {"fuzziness": "AUTO", "prefix_length": 1} if latin else {}
    clauses = [
        Q(
            "multi_match",
            query=text,
            fields=list(TEXT_FIELDS),
            type="best_fields",
            operator="and",
            tie_breaker=0.3,
            **best_fields,
        ),
        # Words spread over fields (湖南 茶: the region and the category).
        Q("multi_match", query=text, fields=list(TEXT_FIELDS), type="cross_fields", operator="and", boost=0.5),
        Q("match_phrase", name={"query": text, "boost": 4}),
    ]
    pinyin, typed_in_latin = _pinyin_of(text)
    if pinyin:
        # Pinyin typed in Latin letters weighs like the name; a homophone of Chinese text weighs less than the
        # Chinese words themselves, so 脐橙 itself still comes before its homophones.
        weight = 1.0 if typed_in_latin else 0.25
        fuzzy = {"fuzziness": "AUTO", "prefix_length": 1} if typed_in_latin and len(pinyin) > 3 else {}
        clauses.append(Q("match", pinyin={"query": pinyin, "boost": PINYIN_FIELD_BOOSTS["pinyin"] * weight, **fuzzy}))
        clauses.append(
            Q("match", category_pinyin={"query": pinyin, "boost": PINYIN_FIELD_BOOSTS["category_pinyin"] * weight})
        )
        if typed_in_latin:
            clauses.append(Q("match", initials={"query": pinyin, "boost": PINYIN_FIELD_BOOSTS["initials"]}))
    return Q("bool", should=clauses, minimum_should_match=1)


def ranked_query(text: str):
    """text_query with popularity lifting the score a little (log of units sold), as the 综合 order does."""
    query = text_query(text)
    if query is None:
        return None
    return Q(
        "function_score",
        query=query,
        functions=[{"field_value_factor": {"field": "popularity", "modifier": "log1p", "missing": 0}, "weight": 0.5}],
        boost_mode="sum",
    )


def match_search(es, index: str, text: str) -> Search | None:
    """The ids and scores of the best max_hits() products for `text`."""
    query = ranked_query(text)
    if query is None:
        return None
    return Search(using=es, index=index).query(query).source(False).extra(size=max_hits(), track_total_hits=False)


# --- Filters ------------------------------------------------------------------------------------
def _moment(value) -> str:
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def _listed(channel_id: int, *conditions: Q) -> Q:
    """A listing of the product in the channel, published, that also meets `conditions`."""
    return Q(
        "nested",
        path="listings",
        query=Q(
            "bool",
            filter=[
                Q("term", **{"listings.channel_id": channel_id}),
                Q("term", **{"listings.published": True}),
                *conditions,
            ],
        ),
    )


def visible_in_channel(channel_id: int, now) -> Q:
    """Listed in the channel: published, from its publication time, shown in listings (visible_products)."""
    return _listed(
        channel_id,
        Q("range", **{"listings.published_at": {"lte": _moment(now)}}),
        Q("term", **{"listings.visible_in_listings": True}),
    )


def in_stock(channel_id: int, now) -> Q:
    """Can be bought now in the channel (catalog.selectors.available_condition)."""
    return _listed(
        channel_id,
        Q("range", **{"listings.available_from": {"lte": _moment(now)}}),
        Q("term", **{"listings.in_stock": True}),
    )


def valid_certification(today, region_codes=()) -> Q:
    """Inside the certifications: not revoked and valid on `today` (a date range containing the day)."""
    conditions = [
        Q("term", **{"certifications.status": "VALID"}),
        Q("term", **{"certifications.valid": _moment(today)}),
    ]
    if region_codes:
        conditions.append(Q("terms", **{"certifications.region_code": list(region_codes)}))
    return Q("bool", filter=conditions)


def relief_certified(today, region_codes=()) -> Q:
    return Q("nested", path="certifications", query=valid_certification(today, region_codes))


def price_between(at_least: Decimal | None, at_most: Decimal | None) -> Q:
    """Some variant priced within the bounds, as filter_products reads price_gte / price_lte."""
    conditions = []
    if at_least is not None:
        conditions.append(Q("range", price_max={"gte": str(at_least)}))
    if at_most is not None:
        conditions.append(Q("range", price={"lte": str(at_most)}))
    return Q("bool", filter=conditions)


def selection_filters(filters: SearchFilters, *, channel_id: int, today, now) -> dict[str, Q]:
    """The facet selections of `filters` as queries, by facet name (only the facets with a selection)."""
    selected: dict[str, Q] = {}
    if filters.category_ids:
        selected["category"] = Q("terms", category_ids=[int(pk) for pk in filters.category_ids])
    if filters.region_codes:
        selected["region"] = relief_certified(today, filters.region_codes)
    if filters.price_gte is not None or filters.price_lte is not None:
        selected["price"] = price_between(filters.price_gte, filters.price_lte)
    if filters.relief_certified is not None:
        query = relief_certified(today)
        selected["relief"] = query if filters.relief_certified else ~query
    if filters.in_stock is not None:
        query = in_stock(channel_id, now)
        selected["in_stock"] = query if filters.in_stock else ~query
    return selected


# --- Facets -------------------------------------------------------------------------------------
def facet_search(es, index: str, *, base: list, selected: dict[str, Q], channel_id: int, today, now) -> Search:
    """Counts per facet bucket. The hits are the products matching `base` and every selection (post_filter);
    each facet's aggregation sits in a filter of the other facets' selections, so its own is left out."""
    search = Search(using=es, index=index).query(Q("bool", filter=base))
    if selected:
        search = search.post_filter(Q("bool", filter=list(selected.values())))
    for name in FACET_NAMES:
        others = [query for other, query in selected.items() if other != name]
        facet = search.aggs.bucket(name, "filter", filter=Q("bool", filter=others))
        if name == "category":
            facet.bucket("values", "terms", field="category_id", size=FACET_SIZE)
        elif name == "region":
            (
                facet.bucket("certifications", "nested", path="certifications")
                .bucket("valid", "filter", filter=valid_certification(today))
                .bucket("values", "terms", field="certifications.region_code", size=FACET_SIZE)
                .bucket("products", "reverse_nested")
            )
        elif name == "price":
            facet.bucket(
                "values",
                "filters",
                filters={value: price_between(low, high) for value, _label, low, high in PRICE_RANGES},
            )
        elif name == "relief":
            facet.bucket("values", "filter", filter=relief_certified(today))
        elif name == "in_stock":
            facet.bucket("values", "filter", filter=in_stock(channel_id, now))
    return search.extra(size=0, track_total_hits=True)


# --- Suggestions --------------------------------------------------------------------------------
def suggest_search(es, index: str, prefix: str, *, channel_id: int, limit: int) -> Search | None:
    """Completions of the products listed in the channel, by name, name words, pinyin and initials."""
    prefix = searchable(prefix)
    if not prefix:
        return None
    completion = {
        "field": "suggest",
        "size": limit,
        "skip_duplicates": True,
        "contexts": {"channel": [str(channel_id)]},
    }
    return (
        Search(using=es, index=index)
        .source(["name", "slug"])
        .suggest("products", prefix, completion=completion)
        .extra(size=0)
    )
