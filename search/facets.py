"""Facet counts of a search on PostgreSQL.

Each facet is counted with the other facets' selections applied and its own left out, so a bucket's count
is exactly the number of results a person gets by choosing it. The queries are fixed: one grouped query
for categories (and one for their names), one for partner regions, and one aggregate for the price
buckets, relief certified and in stock together, however many products and buckets there are.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q

from catalog import selectors
from catalog.models import Category
from search.backends.base import FACET_NAMES, Facet, FacetBucket, SearchFilters

LABELS = {
    "category": "分类",
    "region": "帮扶地区",
    "price": "价格",
    "relief": "帮扶产品",
    "in_stock": "库存",
}
PRICE_LABELS = {
    "0-50": "50元以下",
    "50-100": "50–100元",
    "100-200": "100–200元",
    "200-500": "200–500元",
    "500-": "500元以上",
}


def price_bucket_bounds(value: str) -> tuple[Decimal | None, Decimal | None] | None:
    """("50-100") → (50, 100): the SearchFilters price bounds of a bucket; None for an unknown value."""
    for bucket, low, high in selectors.PRICE_BUCKETS:
        if bucket == value:
            return low, high
    return None


def price_bucket_of(filters: SearchFilters) -> str:
    for bucket, low, high in selectors.PRICE_BUCKETS:
        if (filters.price_gte, filters.price_lte) == (low, high):
            return bucket
    return ""


def conditions(channel, filters: SearchFilters, chosen_categories=None) -> dict[str, Q]:
    """The condition of each facet that has a selection (`chosen_categories`: the chosen Category rows,
    when already read)."""
    result = {}
    if filters.category_ids and chosen_categories is None:
        result["category"] = Q(category__in=selectors.category_branch(filters.category_ids))
    elif filters.category_ids:
        branch = Q(pk__in=[])
        for category in chosen_categories:
            branch |= Q(category__tree_path__startswith=category.tree_path)
        result["category"] = branch
    if filters.region_codes:
        result["region"] = selectors.region_condition(filters.region_codes)
    if filters.price_gte is not None or filters.price_lte is not None:
        condition = Q()
        if filters.price_gte is not None:
            condition &= Q(min_price__gte=filters.price_gte)
        if filters.price_lte is not None:
            condition &= Q(min_price__lt=filters.price_lte)
        result["price"] = condition
    if filters.relief_certified is not None:
        condition = selectors.relief_certified_condition()
        result["relief"] = condition if filters.relief_certified else ~condition
    if filters.in_stock is not None:
        condition = selectors.in_stock_condition(channel)
        result["in_stock"] = condition if filters.in_stock else ~condition
    return result


def apply(queryset, channel, filters: SearchFilters):
    """`queryset` narrowed by every facet selection (what the results are)."""
    for condition in conditions(channel, filters).values():
        queryset = queryset.filter(condition)
    return queryset


def _others(selected: dict[str, Q], name: str) -> Q:
    condition = Q()
    for other, other_condition in selected.items():
        if other != name:
            condition &= other_condition
    return condition


def count_facets(queryset, channel, filters: SearchFilters) -> list[Facet]:
    queryset = queryset.order_by()
    related = _chosen_categories_and_children(filters)
    chosen = [category for category in related if category.pk in filters.category_ids]
    selected = conditions(channel, filters, chosen)
    facets = {
        "category": _category_facet(queryset.filter(_others(selected, "category")), filters, related),
        "region": _region_facet(queryset.filter(_others(selected, "region")), filters),
    }
    facets.update(_flag_facets(queryset, channel, filters, selected))
    return [facets[name] for name in FACET_NAMES]


def _chosen_categories_and_children(filters: SearchFilters) -> list:
    """The chosen categories and their children (one query), or the top-level categories."""
    if not filters.category_ids:
        return list(selectors.root_categories())
    ids = list(filters.category_ids)
    return list(
        Category.objects.filter(Q(pk__in=ids) | Q(parent__in=ids)).order_by("level", "sort_order", "name", "pk")
    )


def _category_facet(queryset, filters: SearchFilters, related) -> Facet:
    if filters.category_ids:
        chosen = [category for category in related if category.pk in filters.category_ids]
        children = [category for category in related if category.parent_id in filters.category_ids]
        candidates = children or chosen
    else:
        candidates = related
    per_category = (
        queryset.filter(category__isnull=False)
        .values("category__tree_path")
        .annotate(count=Count("pk"))
        .values_list("category__tree_path", "count")
    )
    counts = dict(per_category)
    buckets = []
    for category in candidates:
        count = sum(n for path, n in counts.items() if path.startswith(category.tree_path))
        is_selected = category.pk in filters.category_ids
        if count or is_selected:
            buckets.append(FacetBucket(str(category.pk), category.name, count, is_selected))
    return Facet("category", LABELS["category"], tuple(buckets))


def _region_facet(queryset, filters: SearchFilters) -> Facet:
    rows = _region_counts(queryset)
    found = {code: (county, count) for code, county, count in rows}
    buckets = [
        FacetBucket(code, county, count, code in filters.region_codes) for code, (county, count) in found.items()
    ]
    missing = [code for code in filters.region_codes if code not in found]
    if missing:
        from relief_sourcing.models import PartnerRegion

        names = dict(PartnerRegion.objects.filter(code__in=missing).values_list("code", "county"))
        buckets += [FacetBucket(code, names[code], 0, True) for code in missing if code in names]
    return Facet("region", LABELS["region"], tuple(buckets))


def _region_counts(queryset) -> list[tuple[str, str, int]]:
    """(code, county, products) of the partner regions of the matches' valid certifications, most first.

    The matches are read once into a materialized set that the certifications' product lists are hashed
    against: joined the other way, PostgreSQL checks the search condition product by product for every
    certified product (half the catalogue), ten times slower for a broad word."""
    valid = selectors.valid_certifications()
    through = valid.model.products.through._meta.db_table
    certification = valid.model._meta.db_table
    region = valid.model._meta.get_field("origin").related_model._meta.db_table
    matches_sql, matches_params = queryset.order_by().values("pk").query.sql_with_params()
    valid_sql, valid_params = valid.values("pk").query.sql_with_params()
    sql = (
        f"WITH matches (id) AS MATERIALIZED ({matches_sql}) "
        f"SELECT r.code, r.county, COUNT(DISTINCT cp.product_id) AS found "
        f'FROM "{through}" cp JOIN matches m ON m.id = cp.product_id '
        f'JOIN "{certification}" c ON c.id = cp.reliefcertification_id '
        f'JOIN "{region}" r ON r.id = c.origin_id '
        f"WHERE cp.reliefcertification_id IN ({valid_sql}) "
        f"GROUP BY r.code, r.county ORDER BY found DESC, r.code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*matches_params, *valid_params])
        return cursor.fetchall()


def _flag_facets(queryset, channel, filters: SearchFilters, selected: dict[str, Q]) -> dict[str, Facet]:
    """Price buckets, relief certified and in stock: one aggregate query."""
    bucket_conditions = {}
    for value, low, high in selectors.PRICE_BUCKETS:
        condition = Q(min_price__gte=low) & (Q(min_price__lt=high) if high is not None else Q())
        bucket_conditions[f"price_{low}"] = ("price", value, condition)
    bucket_conditions["relief"] = ("relief", "true", selectors.relief_certified_condition())
    bucket_conditions["in_stock"] = ("in_stock", "true", selectors.in_stock_condition(channel))
    totals = queryset.aggregate(
        **{
            key: Count("pk", filter=_others(selected, facet) & condition)
            for key, (facet, _value, condition) in bucket_conditions.items()
        }
    )
    chosen_price = price_bucket_of(filters)
    price = tuple(
        FacetBucket(value, PRICE_LABELS[value], totals[key], value == chosen_price)
        for key, (facet, value, _condition) in bucket_conditions.items()
        if facet == "price" and (totals[key] or value == chosen_price)
    )
    relief = (FacetBucket("true", "帮扶认定产品", totals["relief"], filters.relief_certified is True),)
    in_stock = (FacetBucket("true", "仅看有货", totals["in_stock"], filters.in_stock is True),)
    return {
        "price": Facet("price", LABELS["price"], price),
        "relief": Facet("relief", LABELS["relief"], relief),
        "in_stock": Facet("in_stock", LABELS["in_stock"], in_stock),
    }


def search_filters_of(product_filter) -> SearchFilters:
    """The facet selections of a catalog.selectors.ProductFilter."""
    bounds = price_bucket_bounds(product_filter.price_bucket) if product_filter.price_bucket else None
    low, high = bounds or (None, None)
    return SearchFilters(
        category_ids=tuple(product_filter.category_ids),
        region_codes=tuple(product_filter.region_codes),
        price_gte=low,
        price_lte=high,
        relief_certified=product_filter.relief_certified,
        in_stock=product_filter.in_stock,
    )
