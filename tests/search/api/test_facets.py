"""Facet counts on PostgreSQL: each bucket's count is the number of results choosing it gives."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import selectors
from search import service
from search.facets import search_filters_of

FACET_FIELDS = {"category_ids": [], "region_codes": [], "price_bucket": "", "relief_certified": None, "in_stock": None}


def visible(catalogue):
    return selectors.visible_products(catalogue.channel)


def results(catalogue, product_filter) -> int:
    return selectors.filter_products(visible(catalogue), catalogue.channel, product_filter).count()


def facets(catalogue, product_filter) -> dict:
    base = selectors.filter_products(visible(catalogue), catalogue.channel, replace(product_filter, **FACET_FIELDS))
    found = service.facets(base, catalogue.channel, "", search_filters_of(product_filter))
    return {facet.name: facet for facet in found}


def choose(product_filter, facet_name, value):
    """The filter with this bucket chosen (alone) for its facet."""
    changes = {
        "category": lambda: {"category_ids": [int(value)]},
        "region": lambda: {"region_codes": [value]},
        "price": lambda: {"price_bucket": value},
        "relief": lambda: {"relief_certified": True},
        "in_stock": lambda: {"in_stock": True},
    }
    return replace(product_filter, **changes[facet_name]())


def counts(facet) -> dict:
    return {bucket.label: bucket.count for bucket in facet.buckets}


def test_facets_without_selection(catalogue):
    found = facets(catalogue, selectors.ProductFilter())
    assert list(found) == ["category", "region", "price", "relief", "in_stock"]
    assert counts(found["category"]) == {"生鲜": 5, "粮油": 3, "茶叶": 2}
    # Revoked (奉节) and expired certifications give no region; the unpublished product is never counted.
    assert counts(found["region"]) == {"雷山县": 3, "巫山县": 2}
    assert counts(found["price"]) == {"50元以下": 3, "50–100元": 3, "100–200元": 2, "200–500元": 1, "500元以上": 1}
    assert counts(found["relief"]) == {"帮扶认定产品": 4}
    assert counts(found["in_stock"]) == {"仅看有货": 8}
    assert not any(bucket.selected for facet in found.values() for bucket in facet.buckets)


def test_a_chosen_category_shows_its_children(catalogue):
    fresh = catalogue.categories["生鲜"]
    found = facets(catalogue, selectors.ProductFilter(category_ids=[fresh.pk]))
    assert counts(found["category"]) == {"水果": 4, "肉类": 1}
    # The other facets count within the category.
    assert counts(found["region"]) == {"巫山县": 2, "雷山县": 1}
    leaf = catalogue.categories["橙子"]
    found = facets(catalogue, selectors.ProductFilter(category_ids=[leaf.pk]))
    assert [(b.label, b.count, b.selected) for b in found["category"].buckets] == [("橙子", 3, True)]


def test_a_facet_leaves_its_own_selection_out(catalogue):
    chosen = selectors.ProductFilter(price_bucket="0-50", relief_certified=True)
    found = facets(catalogue, chosen)
    # Price buckets are counted among relief products, whatever price is chosen …
    assert counts(found["price"]) == {"50元以下": 1, "50–100元": 2, "500元以上": 1}
    assert [bucket.value for bucket in found["price"].buckets if bucket.selected] == ["0-50"]
    # … and relief among products under 50 yuan, whatever relief is chosen.
    assert counts(found["relief"]) == {"帮扶认定产品": 1}
    assert found["relief"].buckets[0].selected


SELECTIONS = [
    {},
    {"category": "生鲜"},
    {"category": "水果"},
    {"region_codes": ["522634"]},
    {"region_codes": ["522634", "500237"]},
    {"price_bucket": "50-100"},
    {"relief_certified": True},
    {"relief_certified": False},
    {"in_stock": True},
    {"in_stock": False, "category": "粮油"},
    {"category": "粮油", "price_bucket": "100-200", "in_stock": True},
    {"search": "脐橙"},
    {"search": "大米", "relief_certified": True},
    {"is_available": True, "region_codes": ["500237"]},
]


@pytest.mark.parametrize("selection", SELECTIONS, ids=[str(s) for s in SELECTIONS])
def test_every_bucket_count_equals_the_results_of_choosing_it(catalogue, selection):
    selection = dict(selection)
    if "category" in selection:
        selection["category_ids"] = [catalogue.categories[selection.pop("category")].pk]
    product_filter = selectors.ProductFilter(**selection)
    found = facets(catalogue, product_filter)
    checked = 0
    for name, facet in found.items():
        for bucket in facet.buckets:
            assert bucket.count == results(catalogue, choose(product_filter, name, bucket.value)), (name, bucket)
            checked += 1
    assert checked >= 3


def test_facets_take_a_fixed_number_of_queries(catalogue):
    def queries(product_filter):
        with CaptureQueriesContext(connection) as captured:
            facets(catalogue, product_filter)
        return len(captured)

    few = queries(selectors.ProductFilter())
    chosen = selectors.ProductFilter(
        category_ids=[catalogue.categories["生鲜"].pk],
        region_codes=["522634", "500237"],
        price_bucket="0-50",
        relief_certified=True,
        in_stock=True,
    )
    assert few <= 4
    assert queries(chosen) <= few + 1  # the chosen categories are read once


def test_an_unknown_price_bucket_or_region_finds_nothing(catalogue):
    assert results(catalogue, selectors.ProductFilter(price_bucket="abc")) == 0
    assert results(catalogue, selectors.ProductFilter(region_codes=["999999"])) == 0
    found = facets(catalogue, selectors.ProductFilter(region_codes=["999999"]))
    assert found["region"].buckets  # the other regions are still offered
