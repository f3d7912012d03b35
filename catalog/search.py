"""Chinese full-text search on PostgreSQL, as the catalogue uses it.

What a product is found by (its weighted search document) lives in search.documents, how a text matches
and ranks in search.ranking; every caller goes through search.service. These names stay for the catalogue's
own callers (bulk creation, the refresh task, the storefront).
"""

import unicodedata

from django.db.models import QuerySet

from search import documents
from search.text import segment  # noqa: F401  (jieba search-mode tokens)

SEARCH_CONFIG = documents.SEARCH_CONFIG


def clean_search_text(text: str | None, *, max_length: int = 200) -> str:
    """What a person typed, without control characters (PostgreSQL refuses NUL) or extra spaces."""
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in text or "")
    return " ".join(text.split())[:max_length]


def product_search_document(product) -> str:
    """The weighted search document of a saved product (search.documents)."""
    return documents.product_document(product)


def product_search_document_from_parts(
    *,
    name,
    merchant_name,
    category_name="",
    attribute_values=(),
    variant_names=(),
    skus=(),
    description_plaintext="",
    category_path=None,
    regions=(),
) -> str:
    """The same document from plain values, for products not saved yet (bulk creation)."""
    return documents.build_document(
        documents.DocumentParts(
            name=name,
            category_path=list(category_path) if category_path is not None else [category_name] * bool(category_name),
            regions=list(regions),
            attribute_values=list(attribute_values),
            variant_names=list(variant_names),
            skus=list(skus),
            description=description_plaintext,
            merchant_name=merchant_name,
        )
    )


def search_vector_for(document: str):
    """The weighted tsvector of a document, as an SQL expression."""
    return documents.search_vector_from(document)


def search_products(queryset: QuerySet, text: str) -> QuerySet:
    """The products `text` finds, with `search_rank` (search.service.match)."""
    from search import service

    return service.match(queryset, text)
