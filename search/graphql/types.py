"""Union Mall extras of the API for search: facets on the products connection and suggestion results."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import graphene


class SearchFacetBucket(graphene.ObjectType):
    value = graphene.String(
        required=True, description="What to pass back in the filter (a category ID, a region code, a price bucket)."
    )
    label = graphene.String(required=True, description="What a person reads.")
    count = graphene.Int(required=True, description="How many products there are with this bucket chosen.")
    selected = graphene.Boolean(required=True, description="Whether the filter chooses this bucket now.")

    class Meta:
        description = "Union Mall extension: one choice of a facet with its count."


class SearchFacet(graphene.ObjectType):
    name = graphene.String(required=True, description="category, region, price, relief or in_stock.")
    label = graphene.String(required=True)
    buckets = graphene.List(graphene.NonNull(SearchFacetBucket), required=True)

    class Meta:
        description = "Union Mall extension: a facet of a product search."


class SearchSuggestion(graphene.ObjectType):
    text = graphene.String(required=True, description="What goes into the search box.")
    kind = graphene.String(required=True, description="product, category or term.")
    slug = graphene.String(required=True, description="The product's or category's slug (empty for a term).")

    class Meta:
        description = "Union Mall extension: a completion of what is typed so far."


@dataclass(frozen=True)
class FacetSource:
    """What a products connection was read from, kept for its `facets` field."""

    queryset: Any
    channel: Any
    filter: Any
    search: str | None


def facet_bucket_value(facet_name: str, value: str) -> str:
    """Category buckets go back into the filter as global IDs, as the `categories` filter takes them."""
    if facet_name == "category":
        return graphene.Node.to_global_id("Category", value)
    return value


def resolve_product_facets(source: FacetSource | None) -> list:
    if source is None:
        return []
    from catalog import selectors
    from catalog.graphql.filters import product_filter
    from search import service

    chosen = product_filter(source.filter)
    others = replace(chosen, category_ids=[], region_codes=[], relief_certified=None, in_stock=None, price_bucket="")
    queryset = selectors.filter_products(source.queryset, source.channel, others)
    if source.search:
        queryset = selectors.filter_products(
            queryset, source.channel, selectors.ProductFilter(search=source.search.strip())
        )
    facets = service.facets(queryset, source.channel, "", service.filters_of(chosen))
    return [
        SearchFacet(
            name=facet.name,
            label=facet.label,
            buckets=[
                SearchFacetBucket(
                    value=facet_bucket_value(facet.name, bucket.value),
                    label=bucket.label,
                    count=bucket.count,
                    selected=bucket.selected,
                )
                for bucket in facet.buckets
            ],
        )
        for facet in facets
    ]
