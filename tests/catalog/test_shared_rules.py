"""Bulk creation and the one-by-one services apply the same rules (catalog.services.rules)."""

import pytest
from django.core.exceptions import ValidationError

from catalog import services
from catalog.models import Product
from tests import factories
from tests.demo.test_bulk_products import draft


@pytest.fixture
def parts(channel, warehouse):
    return {"merchant": factories.merchant(), "category": factories.category(), "warehouse": warehouse}


def one_by_one(parts, *, slug: str, sku: str = "S-1", name: str = "定西马铃薯宽粉"):
    product = services.create_product(
        product_type=services.get_or_create_product_type(name="农产品"),
        merchant=parts["merchant"],
        category=parts["category"],
        name=name,
        slug=slug,
    )
    return services.create_variant(product=product, sku=sku, price="20")


@pytest.mark.parametrize("slug", ["has space", "斜杠/不行", "x" * 256])
def test_a_slug_refused_one_by_one_is_refused_in_bulk_too(channel, parts, slug):
    with pytest.raises(ValidationError) as single:
        one_by_one(parts, slug=slug)
    with pytest.raises(ValidationError) as bulk:
        services.bulk_create_products(drafts=[draft(slug=slug, **parts)], channel=channel)
    assert set(single.value.error_dict) == set(bulk.value.error_dict) == {"slug"}
    assert Product.objects.count() == 0


def test_a_sku_too_long_for_one_by_one_is_refused_in_bulk_too(channel, parts):
    sku = "S" * 300
    with pytest.raises(ValidationError) as single:
        one_by_one(parts, slug="kuan-fen", sku=sku)
    with pytest.raises(ValidationError) as bulk:
        services.bulk_create_products(drafts=[draft(slug="kuan-fen-2", skus=(sku,), **parts)], channel=channel)
    assert set(single.value.error_dict) == set(bulk.value.error_dict) == {"sku"}


def test_both_ways_give_the_same_price_range_and_listing_times(channel, parts):
    [bulk] = services.bulk_create_products(drafts=[draft(slug="bulk", skus=("B-1", "B-2"), **parts)], channel=channel)
    variant = one_by_one(parts, slug="single", sku="O-1")
    services.create_variant(product=variant.product, sku="O-2", price="40.00", member_price="18.00")
    services.publish_product(product=variant.product, channel=channel)
    single = Product.objects.get(slug="single")
    bulk = Product.objects.get(pk=bulk.pk)
    assert (bulk.min_price, bulk.max_price) == (single.min_price, single.max_price)
    for product in (bulk, single):
        listing = product.channel_listings.get(channel=channel)
        assert listing.published_at == listing.available_for_purchase_at
