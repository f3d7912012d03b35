"""Matching a search text against the products' search documents, and how well each matches."""

from django.db.models import FloatField, Value

from catalog import search as catalog_search


def match(queryset, text: str):
    return catalog_search.search_products(queryset, text).annotate(search_rank=Value(0.0, output_field=FloatField()))
