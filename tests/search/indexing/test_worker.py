"""Index updates through a real Celery worker: every change that affects a product, bursts coalesced."""

import time
from decimal import Decimal

import pytest
from django.db import transaction

from catalog import services
from catalog.models import Product
from relief_sourcing.models import ReliefCertification
from search.models import StaleProduct, SuggestionTerm
from tests import factories
from tests.search.api.catalogue import certify, region

pytestmark = pytest.mark.broker


def wait_for(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def clean(product_ids) -> bool:
    return not StaleProduct.objects.filter(pk__in=list(product_ids)).exists()


def document(product) -> set:
    return set(Product.objects.get(pk=product.pk).search_document.split())


def index_tasks(worker_output: list[str]) -> int:
    return sum(1 for line in list(worker_output) if "search.index_stale_products" in line and "succeeded" in line)


def test_changes_to_a_product_and_its_parts_reach_the_index(celery_worker_process):
    channel = factories.channel()
    product = factories.product(channel=channel, name="贵州雷山银球茶")
    assert wait_for(lambda: clean([product.pk])), "the worker did not index the new product"
    assert {"雷山", "银球"} <= document(product)
    assert SuggestionTerm.objects.filter(text="贵州雷山银球茶", kind="PRODUCT").exists()

    # A variant renamed in the shell (no service): the signal marks the product.
    variant = product.variants.get()
    variant.name = "明前特级"
    variant.save()
    assert wait_for(lambda: clean([product.pk]) and "明前" in document(product)), "variant change not indexed"

    # A price change, a stock change and a certification: each marks the product stale and the worker
    # clears it again.
    for change in (
        lambda: services.update_variant_prices(variant=variant, price=Decimal("88.00")),
        lambda: services.set_stock(variant=variant, warehouse=variant.stocks.get().warehouse, quantity=0),
    ):
        change()
        assert wait_for(lambda: clean([product.pk]))
    leishan = region("522634", "贵州省", "雷山县")
    certification = certify(7, leishan, [product])
    assert wait_for(lambda: clean([product.pk]))
    certification.status = ReliefCertification.Status.REVOKED
    certification.revoked_reason = "到期未续"
    certification.save()
    assert wait_for(lambda: clean([product.pk]))


def test_a_burst_of_changes_is_one_task(worker_log):
    from django.db import connection

    from search.indexing import IndexTaskOnCommit

    channel = factories.channel()
    products = [factories.product(channel=channel, name=f"脐橙{n}号") for n in range(30)]
    ids = [product.pk for product in products]
    assert wait_for(lambda: clean(ids))
    time.sleep(3)  # tasks queued during the creations have run
    before = index_tasks(worker_log)

    with transaction.atomic():
        for product in Product.objects.filter(pk__in=ids):
            services.update_product(product=product, name=product.name.replace("脐橙", "赣南脐橙"))
        queued = [callback for _, callback, _ in connection.run_on_commit if isinstance(callback, IndexTaskOnCommit)]
        assert len(queued) == 1
    assert wait_for(lambda: clean(ids))
    assert all("赣南" in document(product) for product in products)
    time.sleep(1)
    assert index_tasks(worker_log) - before == 1

    # Separate transactions within the countdown: the first queues a task, the others find the products
    # already stale, and the one task indexes them all.
    before = index_tasks(worker_log)
    for product in Product.objects.filter(pk__in=ids[:10]):  # read as pages and services read them
        services.update_product(product=product, name=product.name + "礼盒")
    assert wait_for(lambda: clean(ids) and all(document(p) >= {"赣南", "礼盒"} for p in products[:10]))
    time.sleep(1)
    assert index_tasks(worker_log) - before == 1


def test_a_deleted_product_leaves_the_index(worker_log):
    channel = factories.channel()
    product = factories.product(channel=channel, name="湘西腊肉")
    assert wait_for(lambda: clean([product.pk]))
    product.delete()
    assert wait_for(lambda: any("search.index_products" in line and "succeeded" in line for line in worker_log)), (
        "the worker did not run the removal"
    )
