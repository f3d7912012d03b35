"""Product.listed_channel_ids is kept by the database from the channel listings, whichever way they change:
listing pages and searches check visibility in the product row (catalog.selectors.visible_products)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from catalog import selectors, services
from catalog.models import Product, ProductChannelListing
from tests import factories


def listed(product) -> list[int]:
    return Product.objects.values_list("listed_channel_ids", flat=True).get(pk=product.pk)


def in_listings(channel) -> set[int]:
    return set(selectors.visible_products(channel).values_list("pk", flat=True))


def test_publishing_lists_the_product_and_unpublishing_in_bulk_takes_it_out(channel):
    product = factories.product(channel=channel, name="赣南脐橙")
    hidden = factories.product(channel=channel, name="未发布的茶", published=False)

    assert listed(product) == [channel.pk] and listed(hidden) == []
    assert in_listings(channel) == {product.pk}

    ProductChannelListing.objects.filter(product=product).update(is_published=False)  # no model signal

    assert listed(product) == []
    assert in_listings(channel) == set()


def test_saving_a_product_with_a_stale_value_in_memory_keeps_what_the_listings_say(channel):
    product = factories.product(channel=channel, published=False)
    services.publish_product(product=product, channel=channel)
    assert product.listed_channel_ids == []  # the instance was loaded before it was published

    product.name = "改名后的商品"
    product.save()

    assert listed(product) == [channel.pk]


def test_each_channel_is_listed_on_its_own_and_a_deleted_listing_takes_it_out(channel):
    other = factories.channel(slug="branch-mall", name="基层工会采购")
    product = factories.product(channel=channel)
    services.publish_product(product=product, channel=other)

    assert listed(product) == sorted([channel.pk, other.pk])
    assert product.pk in in_listings(other)

    ProductChannelListing.objects.filter(product=product, channel=other).delete()

    assert listed(product) == [channel.pk]
    assert product.pk not in in_listings(other) and product.pk in in_listings(channel)


def test_a_publication_to_come_and_a_product_hidden_from_listings_are_not_listed(channel):
    scheduled = factories.product(channel=channel, published=False)
    services.publish_product(product=scheduled, channel=channel, published_at=timezone.now() + timedelta(days=1))
    unlisted = factories.product(channel=channel, published=False)
    services.publish_product(product=unlisted, channel=channel, visible_in_listings=False)

    assert in_listings(channel) == set()
    assert listed(unlisted) == []
    # Shown on its own page (a link to it works), but not in listings or searches.
    assert selectors.visible_products(channel, in_listings=False).filter(pk=unlisted.pk).exists()

    ProductChannelListing.objects.filter(product=scheduled).update(published_at=timezone.now() - timedelta(minutes=1))

    assert in_listings(channel) == {scheduled.pk}


@pytest.mark.django_db(transaction=True)
def test_two_channels_publishing_one_product_at_once_both_list_it():
    first, second = factories.channel(), factories.channel(slug="branch-mall", name="基层工会采购")
    product = factories.product(channel=first, published=False)
    blocked = threading.Event()
    errors = []

    def publish_in_second():
        try:
            with transaction.atomic():
                blocked.set()
                services.publish_product(product=product, channel=second)  # waits for the first transaction
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        services.publish_product(product=product, channel=first)
        thread = threading.Thread(target=publish_in_second)
        thread.start()
        blocked.wait(10)
        time.sleep(0.3)  # the other transaction now waits for this one's lock on the product row
    thread.join(30)

    assert errors == []
    assert listed(product) == sorted([first.pk, second.pk])


def test_a_published_listing_without_a_publication_time_is_not_listed(channel):
    product = factories.product(channel=channel)

    ProductChannelListing.objects.filter(product=product).update(published_at=None)

    assert listed(product) == []
    assert in_listings(channel) == set()
