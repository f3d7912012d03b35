"""The Elasticsearch backend on the demo catalogue, against a real cluster (set ELASTICSEARCH_URL; skipped
otherwise): what members type finds what they mean within the first three results."""

import os
import uuid

import pytest
from django.test import override_settings

from catalog.models import Product
from search.backends.elastic import ElasticsearchBackend
from search.elastic import indexes
from tests.demo.conftest import demo, seeded_demo  # noqa: F401  (the demo, seeded once for the module)

pytestmark = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="ELASTICSEARCH_URL is not set: the live Elasticsearch suite needs a cluster "
    "(docker compose --profile elasticsearch up -d elasticsearch; ELASTICSEARCH_URL=http://127.0.0.1:9200)",
)


@pytest.fixture(scope="module")
def demo_backend(seeded_demo, django_db_blocker):  # noqa: F811
    alias = f"test-union-mall-demo-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    with override_settings(ELASTICSEARCH_URL=os.environ.get("ELASTICSEARCH_URL", ""), ELASTICSEARCH_INDEX=alias):
        with django_db_blocker.unblock():
            backend = ElasticsearchBackend()
            assert backend.reindex() == Product.objects.count()
        yield backend
        indexes.delete_indices()


def top_three(backend, text) -> list[str]:
    found = backend.match(Product.objects.all(), text).order_by("-search_rank", "pk")
    return [product.name for product in found[:3]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("脐橙", "赣南脐橙"),
        ("qicheng", "赣南脐橙"),
        ("脐澄", "赣南脐橙"),
        ("雷公山红茶", "雷公山红茶"),
        ("leigongshan", "雷公山红茶"),
        ("羊肚菌", "怒江野生羊肚菌"),
    ],
)
def test_what_members_type_is_in_the_first_three(demo, demo_backend, text, expected):  # noqa: F811
    assert expected in top_three(demo_backend, text)


def test_a_region_name_finds_its_products_first(demo, demo_backend):  # noqa: F811
    assert all("怒江" in name for name in top_three(demo_backend, "怒江"))


def test_a_category_word_finds_that_category_first(demo, demo_backend):  # noqa: F811
    assert all("茶" in name for name in top_three(demo_backend, "茶"))
