from decimal import Decimal

import pytest

from catalog import services
from catalog.errors import MemberPriceAboveListPrice
from catalog.models import ProductVariant
from search.models import StaleProduct
from tests import factories


def test_member_price_above_list_price_is_refused_and_nothing_is_saved(channel):
    product = factories.product(channel=channel, variants=0)
    with pytest.raises(MemberPriceAboveListPrice):
        services.create_variant(product=product, sku="X-1", price="10.00", member_price="10.01")
    assert not ProductVariant.objects.filter(sku="X-1").exists()


def test_prices_are_rounded_to_fen_and_kept_as_decimal(channel):
    product = factories.product(channel=channel, variants=0)
    variant = services.create_variant(product=product, sku="X-2", price="12.345", member_price="9.994")
    variant.refresh_from_db()
    assert variant.price_amount == Decimal("12.35")
    assert variant.member_price_amount == Decimal("9.99")


def test_product_price_range_follows_its_variants(channel):
    product = factories.product(channel=channel, price="8.00", variants=3)
    product.refresh_from_db()
    assert (product.min_price, product.max_price) == (Decimal("8.00"), Decimal("10.00"))


def test_category_path_gives_level_and_ancestors(db):
    city = factories.category(name="食品")
    grain = factories.category(name="粮油", parent=city)
    rice = factories.category(name="大米", parent=grain)
    assert (rice.level, rice.ancestor_ids) == (2, [city.pk, grain.pk])


def test_saving_a_product_refreshes_its_jieba_search_document_after_commit(channel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = factories.product(channel=channel, name="五常稻花香大米")
    product.refresh_from_db()
    assert not StaleProduct.objects.filter(pk=product.pk).exists()
    assert "大米" in product.search_document.split()


def test_the_catch_up_task_refreshes_products_whose_refresh_was_lost(channel):
    from catalog.tasks import refresh_stale_search_documents

    # Without on_commit callbacks running, the refresh queued by the save never happens.
    product = factories.product(channel=channel, name="定西马铃薯粉条")
    assert StaleProduct.objects.filter(pk=product.pk).exists()

    assert refresh_stale_search_documents() == 1
    product.refresh_from_db()
    assert not StaleProduct.objects.filter(pk=product.pk).exists()
    assert "粉条" in product.search_document.split()


def test_search_ignores_control_characters_postgresql_cannot_compare(channel, django_capture_on_commit_callbacks):
    from catalog.models import Product
    from catalog.search import search_products

    with django_capture_on_commit_callbacks(execute=True):
        factories.product(channel=channel, name="雷山银球茶")
    assert list(search_products(Product.objects.all(), "银球\x00茶").values_list("name", flat=True)) == ["雷山银球茶"]


def test_creating_a_product_with_variants_and_attributes_queues_one_search_refresh(
    channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        product = factories.product(channel=channel, name="泸水草果", variants=3)
        services.assign_attribute(product=product, attribute_name="产地", value="云南省怒江傈僳族自治州泸水市")
    assert len(callbacks) == 1


def test_a_change_after_the_refresh_queues_another(channel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = factories.product(channel=channel, name="泸水草果")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assign_attribute(product=product, attribute_name="规格", value="500克")
    product.refresh_from_db()
    assert len(callbacks) == 1
    assert "500" in product.search_document.split()


def test_changing_a_variant_price_moves_the_product_price_range(channel):
    product = factories.product(channel=channel, price="8.00", variants=2)
    cheaper = product.variants.order_by("price_amount").first()

    services.update_variant_prices(variant=cheaper, price="5.50", member_price="5.00")

    product.refresh_from_db()
    assert (product.min_price, product.max_price) == (Decimal("5.50"), Decimal("9.00"))


def test_a_price_change_with_a_member_price_above_it_changes_nothing(channel):
    product = factories.product(channel=channel, price="8.00", member_price="7.00")
    variant = product.variants.get()
    with pytest.raises(MemberPriceAboveListPrice):
        services.update_variant_prices(variant=variant, price="6.00", member_price="7.00")
    variant.refresh_from_db()
    assert (variant.price_amount, variant.member_price_amount) == (Decimal("8.00"), Decimal("7.00"))
