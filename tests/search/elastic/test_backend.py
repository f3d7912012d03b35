"""The backend's own work around Elasticsearch: ranking the database rows by the hits, reading facet
aggregations, and falling back to PostgreSQL when the cluster cannot be reached."""

import socket
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Product
from search.backends.base import SearchFilters
from search.backends.elastic import (
    ElasticsearchBackend,
    facets_from_response,
    rank_by_hits,
    suggestions_from_response,
)
from search.service import BACKENDS, get_backend


@pytest.fixture
def unreachable_cluster(settings):
    """An address on this machine where nothing listens: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    return settings.ELASTICSEARCH_URL


def test_the_service_finds_this_backend_by_its_setting_name():
    assert BACKENDS["elasticsearch"] == "search.backends.elastic.ElasticsearchBackend"
    assert isinstance(get_backend("elasticsearch"), ElasticsearchBackend)


def test_the_hits_narrow_the_queryset_and_give_their_scores_as_search_rank(catalogue):
    hits = [(catalogue.juice.pk, 3.5), (catalogue.orange.pk, 12.25), (999_999, 8.0)]

    ranked = rank_by_hits(Product.objects.all(), hits).order_by("-search_rank")

    assert [(product.name, product.search_rank) for product in ranked] == [("赣南脐橙", 12.25), ("鲜榨橙汁", 3.5)]


def test_the_queryset_keeps_its_own_filters(catalogue):
    hits = [(catalogue.juice.pk, 3.5), (catalogue.orange.pk, 12.25)]

    ranked = rank_by_hits(Product.objects.filter(min_price__lt=20), hits)

    assert [product.name for product in ranked] == ["鲜榨橙汁"]


def test_no_hits_match_nothing(db):
    assert list(rank_by_hits(Product.objects.all(), [])) == []


@pytest.mark.parametrize("text", ["", "   ", '+ - && || ! ( ) { } [ ] ^ " ~ * ? : \\ /', "\x00\x1f"])
def test_text_with_nothing_to_search_matches_nothing_without_asking_elasticsearch(catalogue, settings, text):
    settings.ELASTICSEARCH_URL = ""

    assert list(ElasticsearchBackend().match(Product.objects.all(), text)) == []
    assert ElasticsearchBackend().suggest(text, catalogue.channel) == []


def test_a_searchable_text_without_a_cluster_address_is_a_configuration_error(catalogue, settings):
    settings.ELASTICSEARCH_URL = ""

    with pytest.raises(ImproperlyConfigured, match="ELASTICSEARCH_URL"):
        ElasticsearchBackend().match(Product.objects.all(), "脐橙")


def test_an_unreachable_cluster_falls_back_to_postgresql_for_searches(catalogue, unreachable_cluster, caplog):
    backend = ElasticsearchBackend()

    found = backend.match(Product.objects.all(), "脐橙")

    assert "赣南脐橙" in {product.name for product in found}
    assert "Elasticsearch unreachable" in caplog.text
    # Whatever PostgreSQL answers (the default backend's own tests pin it), it answers without an error.
    assert isinstance(backend.facets(Product.objects.all(), catalogue.channel, "脐橙", SearchFilters()), list)
    assert isinstance(backend.suggest("qic", catalogue.channel), list)


def test_facet_aggregations_become_facets_with_labels_from_the_database_and_the_selections_marked(catalogue):
    aggregations = {
        "category": {
            "doc_count": 3,
            "values": {
                "buckets": [
                    {"key": catalogue.staples.pk, "doc_count": 1},
                    {"key": catalogue.citrus.pk, "doc_count": 2},
                ]
            },
        },
        "region": {
            "doc_count": 3,
            "certifications": {
                "doc_count": 4,
                "valid": {
                    "doc_count": 4,
                    "values": {"buckets": [{"key": "360734", "doc_count": 4, "products": {"doc_count": 2}}]},
                },
            },
        },
        "price": {
            "doc_count": 3,
            "values": {"buckets": {"0-50": {"doc_count": 1}, "50-100": {"doc_count": 2}, "500-": {"doc_count": 0}}},
        },
        "relief": {"doc_count": 3, "values": {"doc_count": 2}},
        "in_stock": {"doc_count": 3, "values": {"doc_count": 3}},
    }
    filters = SearchFilters(
        category_ids=(catalogue.citrus.pk,), price_gte=Decimal("50"), price_lte=Decimal("100"), in_stock=True
    )

    category, region, price, relief, in_stock = facets_from_response(aggregations, filters)

    assert (category.name, category.label) == ("category", "分类")
    assert [(b.value, b.label, b.count, b.selected) for b in category.buckets] == [
        (str(catalogue.citrus.pk), "柑橘", 2, True),
        (str(catalogue.staples.pk), "粮油米面", 1, False),
    ]
    # Products, not certifications, are counted (reverse_nested).
    assert [(b.value, b.label, b.count, b.selected) for b in region.buckets] == [("360734", "寻乌县", 2, False)]
    assert [(b.value, b.label, b.count, b.selected) for b in price.buckets] == [
        ("0-50", "50元以下", 1, False),
        ("50-100", "50-100元", 2, True),
        ("100-200", "100-200元", 0, False),
        ("200-500", "200-500元", 0, False),
        ("500-", "500元以上", 0, False),
    ]
    assert [(b.value, b.count, b.selected) for b in relief.buckets] == [("true", 2, False)]
    assert [(b.value, b.count, b.selected) for b in in_stock.buckets] == [("true", 3, True)]


def test_completions_become_suggestions_once_per_product_name():
    response = {
        "suggest": {
            "products": [
                {
                    "text": "qic",
                    "options": [
                        {"text": "qicheng", "_source": {"name": "赣南脐橙", "slug": "gan-nan-qi-cheng"}},
                        {"text": "qichenglihe", "_source": {"name": "赣南脐橙礼盒", "slug": "li-he"}},
                        {"text": "qicheng", "_source": {"name": "赣南脐橙", "slug": "gan-nan-qi-cheng"}},
                    ],
                }
            ]
        }
    }

    suggestions = suggestions_from_response(response, limit=8)

    assert [(s.text, s.kind, s.slug) for s in suggestions] == [
        ("赣南脐橙", "product", "gan-nan-qi-cheng"),
        ("赣南脐橙礼盒", "product", "li-he"),
    ]
    assert len(suggestions_from_response(response, limit=1)) == 1


def test_a_thousand_hits_rank_in_one_query_with_array_parameters(catalogue):
    hits = [(pk, 1.0) for pk in range(100_001, 101_000)] + [(catalogue.orange.pk, 5000.0), (catalogue.juice.pk, 2.5)]
    ranked = rank_by_hits(Product.objects.all(), hits).order_by("-search_rank")

    with CaptureQueriesContext(connection) as captured:
        first = ranked.first()
        total = Product.objects.filter(pk__in=ranked.values("pk")).count()

    assert first == catalogue.orange and first.search_rank == 5000.0
    assert total == 2
    assert len(captured) == 3  # the first id in the order of the hits, its row, the count
    assert "array_position" in captured[0]["sql"] and "CASE" not in captured[0]["sql"]
