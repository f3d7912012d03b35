"""Chinese full-text search on PostgreSQL: jieba segments the text, the 'simple' config indexes it."""

import logging
import re
import unicodedata

import jieba
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Q, QuerySet, Value

jieba.setLogLevel(logging.WARNING)

SEARCH_CONFIG = "simple"
_TOKEN_CHARS = re.compile(r"[\w\u4e00-\u9fff]+")


def clean_search_text(text: str | None, *, max_length: int = 200) -> str:
    """What a person typed, without control characters (PostgreSQL refuses NUL) or extra spaces."""
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in text or "")
    return " ".join(text.split())[:max_length]


def segment(text: str) -> list[str]:
    """Split text into search tokens: jieba's search-mode words, lower-cased, punctuation dropped."""
    tokens = []
    for word in jieba.cut_for_search(text or ""):
        word = word.strip().lower()
        if word and _TOKEN_CHARS.fullmatch(word):
            tokens.append(word)
    return tokens


def product_search_document(product) -> str:
    """The text a product is found by: its name, merchant, category, attributes and description."""
    variants = list(product.variants.all())
    return product_search_document_from_parts(
        name=product.name,
        merchant_name=product.merchant.name,
        category_name=product.category.name if product.category else "",
        attribute_values=[assigned.value.name for assigned in product.attribute_values.select_related("value")],
        variant_names=[variant.name for variant in variants],
        skus=[variant.sku for variant in variants],
        description_plaintext=product.description_plaintext,
    )


def product_search_document_from_parts(
    *, name, merchant_name, category_name, attribute_values, variant_names, skus, description_plaintext
) -> str:
    """The same document from plain values, for products not saved yet (bulk creation)."""
    parts = [name, merchant_name, category_name, *attribute_values, *variant_names, *skus, description_plaintext]
    return " ".join(segment(" ".join(part for part in parts if part)))


def search_vector_for(document: str) -> SearchVector:
    return SearchVector(Value(document), config=SEARCH_CONFIG)


def search_products(queryset: QuerySet, text: str) -> QuerySet:
    """Products whose search document has every token of `text`, or whose name contains it.

    The name match covers products saved moments ago whose search document the worker
    has not refreshed yet.
    """
    text = clean_search_text(text)
    if not text:
        return queryset
    tokens = segment(text)
    condition = Q(name__icontains=text)
    if tokens:
        raw = " & ".join(_quote(token) for token in tokens)
        condition |= Q(search_vector=SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG))
    return queryset.filter(condition)


def _quote(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "") + "'"
