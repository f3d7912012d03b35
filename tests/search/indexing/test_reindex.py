"""search_reindex (documents, popularity, suggestions) and popularity from paid orders."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Product, Stock
from orders.models import Order, OrderChargeStatus, OrderLine, OrderStatus
from search import indexing, popularity, service
from search.models import StaleProduct, SuggestionTerm


def order(channel, lines, *, charge_status=OrderChargeStatus.FULL, status=OrderStatus.UNFULFILLED, days_ago=1):
    created = Order.objects.create(
        channel=channel,
        status=status,
        charge_status=charge_status,
        undiscounted_subtotal_amount=Decimal("10"),
        subtotal_amount=Decimal("10"),
        total_amount=Decimal("10"),
        paid_at=timezone.now() - timedelta(days=days_ago) if charge_status != OrderChargeStatus.NONE else None,
    )
    for product, quantity in lines:
        OrderLine.objects.create(
            order=created,
            product_name=product.name,
            product_id=product.pk,
            quantity=quantity,
            undiscounted_unit_price_amount=Decimal("5"),
            unit_price_amount=Decimal("5"),
            total_price_amount=Decimal("5") * quantity,
        )
    return created


def test_popularity_counts_units_in_paid_orders_of_the_last_90_days(catalogue):
    oranges, rice, tea = (catalogue.products[name] for name in ("赣南脐橙", "五常大米", "雷山银球茶"))
    order(catalogue.channel, [(oranges, 3), (rice, 1)])
    order(catalogue.channel, [(oranges, 2)], charge_status=OrderChargeStatus.OVERCHARGED)
    order(catalogue.channel, [(rice, 50)], charge_status=OrderChargeStatus.NONE, status=OrderStatus.UNCONFIRMED)
    order(catalogue.channel, [(rice, 40)], status=OrderStatus.CANCELED)
    order(catalogue.channel, [(tea, 70)], days_ago=120)
    Product.objects.filter(pk=tea.pk).update(popularity=70)
    popularity.refresh_popularity()
    values = dict(Product.objects.values_list("name", "popularity"))
    assert (values["赣南脐橙"], values["五常大米"], values["雷山银球茶"]) == (5, 1, 0)


def test_search_reindex_rebuilds_documents_popularity_and_suggestions(catalogue):
    oranges = catalogue.products["赣南脐橙"]
    order(catalogue.channel, [(oranges, 4)])
    Product.objects.update(search_document="")
    indexing.mark_stale(Product.objects.values_list("pk", flat=True))
    out = StringIO()
    call_command("search_reindex", stdout=out)
    text = out.getvalue()
    assert "商品热度：更新 1 个商品" in text
    assert f"{Product.objects.count()}/{Product.objects.count()}" in text  # the last progress line
    assert "个/秒" in text and "联想词" in text
    assert not StaleProduct.objects.exists()
    assert "赣南" in Product.objects.get(pk=oranges.pk).search_document.split()
    assert SuggestionTerm.objects.get(text="赣南脐橙").weight == 4
    assert [s.text for s in service.suggest("gnqc", catalogue.channel)] == ["赣南脐橙"]


def test_search_reindex_quietly(catalogue):
    out = StringIO()
    call_command("search_reindex", "--no-popularity", "--no-suggestions", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert not SuggestionTerm.objects.exists()


def row_versions() -> dict[int, str]:
    """Each product row's xmin: the transaction that wrote its current version."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id, xmin::text FROM "{Product._meta.db_table}"')
        return dict(cursor.fetchall())


def test_indexing_writes_only_the_products_whose_documents_change(catalogue):
    service.reindex()
    oranges, tea = catalogue.products["赣南脐橙"], catalogue.products["雷山银球茶"]
    Product.objects.filter(pk=tea.pk).update(name="雷山银球茶礼盒")
    with transaction.atomic():  # a transaction of its own, as the task's: its writes get their own xmin
        before = row_versions()
        assert service.index_products([oranges.pk, tea.pk]) == 2
        after = row_versions()
    assert {pk for pk in before if before[pk] != after[pk]} == {tea.pk}
    tea.refresh_from_db()
    assert "礼盒" in tea.search_document
    assert Product.objects.filter(pk=tea.pk, search_name_vector=SearchQuery("礼盒", config="simple")).exists()


def test_a_stock_change_is_indexed_without_writing_the_product_row(catalogue):
    """Which products are stale is kept apart from them: marking and indexing a product whose document stays
    the same writes no new version of its row (nor of its GIN entries)."""
    service.reindex()
    oranges = catalogue.products["赣南脐橙"]
    before = row_versions()
    with transaction.atomic():
        stock = Stock.objects.filter(product_variant__product=oranges).first()
        stock.quantity += 5
        stock.save(update_fields=["quantity"])
    assert StaleProduct.objects.filter(pk=oranges.pk).exists()
    assert indexing.index_stale_products() == 1
    assert not StaleProduct.objects.exists()
    assert row_versions() == before


def test_a_product_inserted_without_a_document_is_stale_whatever_inserts_it(catalogue):
    """A database trigger lists it, also for bulk_create and SQL, which send no signal."""
    tea = catalogue.products["雷山银球茶"]
    copies = Product.objects.bulk_create(
        Product(product_type=tea.product_type, merchant=tea.merchant, name=f"银球茶{number}", slug=f"yin-qiu-{number}")
        for number in range(3)
    )
    indexed = Product.objects.bulk_create(
        [Product(product_type=tea.product_type, merchant=tea.merchant, name="银球茶", slug="yq", search_document="茶")]
    )
    stale = set(StaleProduct.objects.values_list("pk", flat=True))
    assert {copy.pk for copy in copies} <= stale and indexed[0].pk not in stale
