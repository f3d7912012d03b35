from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo catalogue seeded once for the module (rolled back at its end), with every product's search
    document built as the worker builds it (inside the seeding transaction no refresh task runs)."""
    from django.core.cache import cache

    from catalog.models import Product
    from search.indexing import index_products

    media_root = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=str(media_root), DEBUG=True), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        index_products(Product.objects.order_by("pk").values_list("pk", flat=True))
        cache.clear()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_catalogue(seeded_demo, db):
    from catalog.models import Channel
    from demo.catalogue import CHANNEL_SLUG

    return Channel.objects.get(slug=CHANNEL_SLUG)


@pytest.fixture
def graphql(client, demo_catalogue):
    """Posts a query to /graphql/ (as the storefront and apps do) and returns the decoded body."""

    def post(query: str, variables: dict | None = None) -> dict:
        response = client.post(
            "/graphql/", {"query": query, "variables": variables or {}}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return response.json()

    return post
