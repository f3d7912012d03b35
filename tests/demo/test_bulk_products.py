"""catalog.services.bulk_create_products, which large demo catalogues are made with."""

from decimal import Decimal

import pytest

from catalog import services
from catalog.errors import CatalogError, MemberPriceAboveListPrice
from catalog.models import Product, ProductVariant
from catalog.richtext import editorjs_from_paragraphs
from catalog.search import product_search_document
from search.models import StaleProduct
from tests import factories


def draft(*, slug: str, merchant, category, warehouse, skus=("S-1",), price="20.00", member_price="18.00"):
    return services.ProductDraft(
        product_type=services.get_or_create_product_type(name="农产品"),
        merchant=merchant,
        category=category,
        name="定西马铃薯宽粉",
        slug=slug,
        description=editorjs_from_paragraphs("传统工艺，久煮不烂。"),
        attributes=(("产地", "甘肃省定西市安定区"), ("规格", "500g")),
        images=(("products/shared.jpg", "宽粉"),),
        variants=tuple(
            services.VariantDraft(
                sku=sku,
                name=f"{index + 1}袋",
                price=Decimal(price) * (index + 1),
                member_price=member_price,
                stock=((warehouse, 5 * index),),
            )
            for index, sku in enumerate(skus)
        ),
    )


@pytest.fixture
def parts(channel, warehouse):
    return {"merchant": factories.merchant(), "category": factories.category(), "warehouse": warehouse}


def test_bulk_created_products_keep_the_invariants_of_the_one_by_one_services(channel, parts):
    [product] = services.bulk_create_products(
        drafts=[draft(slug="kuan-fen", skus=("S-1", "S-2", "S-3"), **parts)], channel=channel
    )
    product = Product.objects.get(pk=product.pk)
    assert (product.min_price, product.max_price) == (Decimal("20.00"), Decimal("60.00"))
    assert product.description_plaintext == "传统工艺，久煮不烂。"
    assert product.search_document == product_search_document(product)
    assert not StaleProduct.objects.filter(pk=product.pk).exists()
    assert Product.objects.filter(pk=product.pk, search_vector="宽粉").exists()
    assert list(product.variants.values_list("sku", "sort_order")) == [("S-1", 0), ("S-2", 1), ("S-3", 2)]
    assert [stock.quantity for stock in product.variants.get(sku="S-3").stocks.all()] == [10]
    assert product.channel_listings.get(channel=channel).is_published is True
    assert list(product.media.values_list("image", flat=True)) == ["products/shared.jpg"]
    assert dict(product.attribute_values.values_list("value__attribute__name", "value__name")) == {
        "产地": "甘肃省定西市安定区",
        "规格": "500g",
    }


def test_a_member_price_above_the_price_refuses_the_whole_batch(channel, parts):
    good = draft(slug="good", skus=("OK-1",), **parts)
    bad = draft(slug="bad", skus=("BAD-1",), price="10.00", member_price="10.01", **parts)
    with pytest.raises(MemberPriceAboveListPrice):
        services.bulk_create_products(drafts=[good, bad], channel=channel)
    assert not Product.objects.filter(slug__in=["good", "bad"]).exists()


def test_a_slug_or_sku_already_taken_is_refused_with_a_code(channel, parts):
    services.bulk_create_products(drafts=[draft(slug="taken", skus=("T-1",), **parts)], channel=channel)
    with pytest.raises(CatalogError) as slug_error:
        services.bulk_create_products(drafts=[draft(slug="taken", skus=("T-2",), **parts)], channel=channel)
    with pytest.raises(CatalogError) as sku_error:
        services.bulk_create_products(
            drafts=[draft(slug="new-1", skus=("N-1",), **parts), draft(slug="new-2", skus=("N-1",), **parts)],
            channel=channel,
        )
    assert (slug_error.value.code, slug_error.value.field) == ("UNIQUE", "slug")
    assert (sku_error.value.code, sku_error.value.field) == ("UNIQUE", "sku")
    assert ProductVariant.objects.filter(sku__in=["T-2", "N-1"]).count() == 0
