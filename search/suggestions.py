"""Completions while a person types, from SuggestionTerm rows.

Rows are product names (of published products), category names and popular searches, each with its
pinyin run together and its initials. A prefix is looked up by Chinese text, or for Latin input by full
pinyin and by initials, best weight first, each text once. Each lookup is an index range scan
(varchar_pattern_ops), so a prefix costs the same however large the catalogue.
"""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Length

from catalog.models import Category, Product, ProductChannelListing
from search import text as search_text
from search.backends.base import Suggestion
from search.models import SuggestionTerm

MAX_INPUT = 64  # longer input is not a prefix anybody types: no suggestions
_LATIN = re.compile(r"[a-z0-9 ']+")
KINDS = {
    SuggestionTerm.Kind.PRODUCT: "product",
    SuggestionTerm.Kind.CATEGORY: "category",
    SuggestionTerm.Kind.TERM: "term",
}
WRITE_BATCH = 2000
PRODUCT_CANDIDATES = 1000


def suggest(prefix: str, *, limit: int = 8) -> list[Suggestion]:
    if not prefix or len(prefix) > MAX_INPUT or limit < 1:
        return []
    typed = search_text.clean(prefix)
    if not typed:
        return []
    if search_text.has_han(typed):
        condition = Q(text__startswith=typed)
    elif _LATIN.fullmatch(typed):
        letters = typed.replace(" ", "").replace("'", "")
        if not letters:
            return []
        condition = Q(pinyin__startswith=letters) | Q(initials__startswith=letters) | Q(text__startswith=typed)
    else:
        condition = Q(text__startswith=typed)
    rows = _best_rows(condition, limit * 3)
    seen, found = set(), []
    for text, kind, slug in rows:
        if text in seen:
            continue
        seen.add(text)
        found.append(Suggestion(text=text, kind=KINDS[kind], slug=slug))
        if len(found) == limit:
            break
    return found


def _best_rows(condition: Q, count: int) -> list[tuple]:
    """(text, kind, slug) of the best terms meeting `condition`, in one query: the best categories and
    popular searches (a few thousand rows at most, read through the (kind, text) index), and the best of
    the first PRODUCT_CANDIDATES product names found (a one-letter prefix matches tens of thousands of
    names: they are not all read and sorted on every key stroke)."""
    columns = ("text", "kind", "slug", "weight")
    others = (
        SuggestionTerm.objects.filter(condition, kind__in=[SuggestionTerm.Kind.CATEGORY, SuggestionTerm.Kind.TERM])
        .order_by("-weight", Length("text"), "text")
        .values_list(*columns)[:count]
    )
    products = (
        SuggestionTerm.objects.filter(condition, kind=SuggestionTerm.Kind.PRODUCT)
        .order_by()
        .values_list(*columns)[:PRODUCT_CANDIDATES]
    )
    others_sql, others_params = others.query.sql_with_params()
    products_sql, products_params = products.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"({others_sql}) UNION ALL (SELECT * FROM ({products_sql}) AS candidate "
            "ORDER BY weight DESC, length(text), text LIMIT %s)",
            [*others_params, *products_params, count],
        )
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (-row[3], len(row[0]), row[0]))
    return [row[:3] for row in rows]


def term(kind, text: str, slug: str, weight: int) -> SuggestionTerm:
    text = text[:250]
    return SuggestionTerm(
        kind=kind,
        text=text,
        slug=slug[:255],
        pinyin=search_text.pinyin_full(text)[:1000],
        initials=search_text.pinyin_initials(text)[:250],
        weight=weight,
    )


def _published():
    return Exists(ProductChannelListing.objects.filter(product=OuterRef("pk"), is_published=True))


def product_terms(product_ids=None) -> list[SuggestionTerm]:
    products = Product.objects.filter(_published())
    if product_ids is not None:
        products = products.filter(pk__in=list(product_ids))
    best: dict[str, tuple[str, int]] = {}
    for name, slug, popularity in products.order_by("pk").values_list("name", "slug", "popularity").iterator(5000):
        name = name.strip()[:250]
        if name and (name not in best or popularity > best[name][1]):
            best[name] = (slug, popularity)
    return [term(SuggestionTerm.Kind.PRODUCT, name, slug, weight) for name, (slug, weight) in best.items()]


def category_terms() -> list[SuggestionTerm]:
    counts = dict(
        Product.objects.filter(_published())
        .values("category__tree_path")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("category__tree_path", "n")
    )
    terms = {}
    for category in Category.objects.only("name", "slug", "tree_path"):
        weight = sum(n for path, n in counts.items() if path and path.startswith(category.tree_path))
        if weight and category.name not in terms:
            terms[category.name] = term(SuggestionTerm.Kind.CATEGORY, category.name, category.slug, weight)
    return list(terms.values())


def search_terms() -> list[SuggestionTerm]:
    from search.stats import popular_terms

    return [term(SuggestionTerm.Kind.TERM, text, "", total) for text, total in popular_terms()]


def _upsert(terms) -> None:
    for start in range(0, len(terms), WRITE_BATCH):
        SuggestionTerm.objects.bulk_create(
            terms[start : start + WRITE_BATCH],
            update_conflicts=True,
            unique_fields=["kind", "text"],
            update_fields=["slug", "pinyin", "initials", "weight"],
        )


@transaction.atomic
def rebuild() -> int:
    """Every suggestion term anew: products, categories and popular searches. Returns how many."""
    terms = product_terms() + category_terms() + search_terms()
    SuggestionTerm.objects.all().delete()
    _upsert(terms)
    return len(terms)


def refresh_product_terms(product_ids) -> None:
    """Add or update the terms of these products' names (a full rebuild drops names no longer sold)."""
    _upsert(product_terms(product_ids))
