"""The back office saves products and variants through catalog.services, so their invariants hold there too."""

import json
from decimal import Decimal

import pytest

from catalog import services
from catalog.models import Product, ProductVariant
from catalog.richtext import editorjs_from_paragraphs
from search.models import StaleProduct
from tests import factories


@pytest.fixture
def operator_client(client, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    return client


def product_form(product, variants, **fields) -> dict:
    """The change form as the browser posts it: the product's fields and its three inline formsets."""
    form = {
        "category": product.category_id or "",
        "name": product.name,
        "slug": product.slug,
        "description": json.dumps(product.description, ensure_ascii=False),
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
        "weight": "",
        "variants-TOTAL_FORMS": str(len(variants)),
        "variants-INITIAL_FORMS": str(len([row for row in variants if row.get("id")])),
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "media-TOTAL_FORMS": "0",
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "1000",
        "channel_listings-TOTAL_FORMS": "0",
        "channel_listings-INITIAL_FORMS": "0",
        "channel_listings-MIN_NUM_FORMS": "0",
        "channel_listings-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(variants):
        defaults = {"product": product.pk, "name": "", "track_inventory": "on", "quantity_limit_per_customer": ""}
        form.update({f"variants-{index}-{key}": value for key, value in {**defaults, **row}.items()})
    return {**form, **fields}


def variant_row(variant, **fields) -> dict:
    return {
        "id": variant.pk,
        "sku": variant.sku,
        "name": variant.name,
        "price_amount": str(variant.price_amount),
        "member_price_amount": str(variant.member_price_amount or ""),
        **fields,
    }


def test_editing_a_description_in_the_admin_refreshes_plain_text_and_search(
    operator_client, channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = factories.product(channel=channel, name="雷山银球茶")
    variant = product.variants.get()
    description = json.dumps(editorjs_from_paragraphs("高山云雾，手工揉捻。"), ensure_ascii=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            f"/admin/catalog/product/{product.pk}/change/",
            product_form(product, [variant_row(variant)], description=description),
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.description_plaintext == "高山云雾，手工揉捻。"
    assert "云雾" in product.search_document.split()
    assert not StaleProduct.objects.filter(pk=product.pk).exists()


def test_a_member_price_above_the_price_is_refused_on_the_variant_row(operator_client, channel):
    product = factories.product(channel=channel, price="20.00", member_price="18.00")
    variant = product.variants.get()
    response = operator_client.post(
        f"/admin/catalog/product/{product.pk}/change/",
        product_form(product, [variant_row(variant, member_price_amount="25.00")]),
    )
    assert response.status_code == 200
    assert "会员价 25.00 不能高于售价 20.00。" in response.content.decode()
    variant.refresh_from_db()
    assert variant.member_price_amount == Decimal("18.00")


def test_a_variant_added_in_the_admin_widens_the_product_price_range(
    operator_client, channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = factories.product(channel=channel, price="20.00")
    variant = product.variants.get()
    new_row = {"sku": "TEA-GIFT", "name": "礼盒装", "price_amount": "88.5", "member_price_amount": "80"}
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            f"/admin/catalog/product/{product.pk}/change/", product_form(product, [variant_row(variant), new_row])
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert (product.min_price, product.max_price) == (Decimal("20.00"), Decimal("88.50"))
    assert "礼盒装" in product.search_document.split()
    assert ProductVariant.objects.get(sku="TEA-GIFT").sort_order == 1


def test_a_product_added_in_the_admin_gets_its_plain_text_and_search_document(
    operator_client, channel, django_capture_on_commit_callbacks
):
    merchant = factories.merchant(name="黔东南茶叶合作社")
    product_type = services.get_or_create_product_type(name="茶叶")
    form = product_form(
        Product(name="雷山银球茶", slug="leishan-tea", description=editorjs_from_paragraphs("手工揉捻。")),
        [{"sku": "TEA-1", "price_amount": "30", "member_price_amount": ""}],
        product_type=product_type.pk,
        merchant=merchant.pk,
    )
    del form["variants-0-product"]  # the new product has no id yet
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post("/admin/catalog/product/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    product = Product.objects.get(slug="leishan-tea")
    assert product.description_plaintext == "手工揉捻。"
    assert "手工" in product.search_document.split()
    assert (product.min_price, product.max_price) == (Decimal("30.00"), Decimal("30.00"))
