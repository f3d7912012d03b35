"""The operators' back office opens every catalogue page and keeps the services' invariants."""

import pytest

from catalog.models import Category
from tests import factories

ADMIN_PAGES = [
    "/admin/catalog/product/",
    "/admin/catalog/category/",
    "/admin/catalog/merchant/",
    "/admin/catalog/collection/",
    "/admin/catalog/warehouse/",
    "/admin/catalog/stock/",
    "/admin/catalog/channel/",
    "/admin/accounts/user/",
]


@pytest.fixture
def operator_client(client, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_every_catalogue_list_opens_for_an_operator(operator_client, channel, url):
    factories.product(channel=channel, name="雷山银球茶")
    assert operator_client.get(url).status_code == 200


def test_the_product_page_opens_with_its_variants(operator_client, channel):
    product = factories.product(channel=channel, name="雷山银球茶", variants=2)
    response = operator_client.get(f"/admin/catalog/product/{product.pk}/change/")
    assert response.status_code == 200
    assert "SKU-" in response.content.decode()


def test_a_category_added_in_the_back_office_is_placed_in_the_tree(operator_client):
    food = factories.category(name="食品")
    response = operator_client.post(
        "/admin/catalog/category/add/",
        {"name": "大米", "slug": "da-mi", "parent": food.pk, "sort_order": 0, "seo_title": "", "seo_description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rice = Category.objects.get(slug="da-mi")
    assert (rice.level, rice.tree_path) == (1, f"{food.tree_path}{rice.pk}/")


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get("/admin/catalog/product/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
