"""The active channels are read from the cache; a change to a channel shows on the very next request."""

import pytest
from django.test import Client

from catalog.models import Channel
from tests import factories

PRODUCT_IN = """
query($slug: String!, $channel: String!) { product(slug: $slug, channel: $channel) { name } }
"""


@pytest.fixture
def operator_client(staff_user):
    """The back office in a browser of its own: the API below is asked as an anonymous visitor."""
    staff_user.is_superuser = True
    staff_user.save()
    client = Client()
    client.force_login(staff_user)
    return client


def test_a_channel_is_read_once_and_then_comes_from_the_cache(api, channel, warehouse, django_assert_num_queries):
    product = factories.product(channel=channel, name="Rice", warehouse=warehouse)
    variables = {"slug": product.slug, "channel": channel.slug}
    with django_assert_num_queries(2):  # the active channels, the product with its listing
        assert api.data(PRODUCT_IN, variables)["product"] == {"name": "Rice"}
    with django_assert_num_queries(1):
        assert api.data(PRODUCT_IN, variables)["product"] == {"name": "Rice"}


def test_a_channel_deactivated_after_it_was_cached_is_refused_on_the_next_request(api, channel, warehouse):
    product = factories.product(channel=channel, name="Rice", warehouse=warehouse)
    variables = {"slug": product.slug, "channel": channel.slug}
    assert api.data(PRODUCT_IN, variables)["product"] == {"name": "Rice"}
    channel.is_active = False
    channel.save()
    assert api.error(PRODUCT_IN, variables) == "Channel with 'union-mall' slug does not exist."


def test_a_channel_added_after_the_channels_were_cached_is_found_on_the_next_request(api, channel, warehouse):
    product = factories.product(channel=channel, name="Rice", warehouse=warehouse)
    assert api.data(PRODUCT_IN, {"slug": product.slug, "channel": channel.slug})["product"] == {"name": "Rice"}
    retirees = factories.channel(slug="retirees", name="退休职工专区")
    assert api.data(PRODUCT_IN, {"slug": product.slug, "channel": retirees.slug}) == {"product": None}


def test_a_channel_renamed_in_the_back_office_answers_to_its_new_slug_only(api, operator_client, channel, warehouse):
    product = factories.product(channel=channel, name="Rice", warehouse=warehouse)
    assert api.data(PRODUCT_IN, {"slug": product.slug, "channel": "union-mall"})["product"] == {"name": "Rice"}
    response = operator_client.post(
        f"/admin/catalog/channel/{channel.pk}/change/",
        {"name": "工会商城", "slug": "union-shop", "currency_code": "CNY", "default_country": "CN", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Channel.objects.get(pk=channel.pk).slug == "union-shop"
    assert api.data(PRODUCT_IN, {"slug": product.slug, "channel": "union-shop"})["product"] == {"name": "Rice"}
    assert api.error(PRODUCT_IN, {"slug": product.slug, "channel": "union-mall"}) == (
        "Channel with 'union-mall' slug does not exist."
    )


def test_a_channel_deleted_in_the_back_office_is_refused_on_the_next_request(api, operator_client, db):
    kept = factories.channel()
    other = factories.channel(slug="retirees", name="退休职工专区")
    product = factories.product(channel=kept, name="Rice")
    assert api.data(PRODUCT_IN, {"slug": product.slug, "channel": "retirees"}) == {"product": None}
    response = operator_client.post(f"/admin/catalog/channel/{other.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert api.error(PRODUCT_IN, {"slug": product.slug, "channel": "retirees"}) == (
        "Channel with 'retirees' slug does not exist."
    )
