"""Marks made while products are being indexed are not lost: search.StaleProduct rows are locked by the change
that marks them, and indexing takes a product off the list before it reads it."""

import threading

import pytest
from django.db import connection, transaction

from search import indexing, service
from search.models import StaleProduct
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_a_product_marked_by_a_change_still_running_stays_stale_through_a_rebuild():
    product = factories.product(channel=factories.channel(), name="贵州雷山银球茶")
    with indexing.deferred():  # stale since an earlier change, whose task has not run yet
        indexing.mark_stale([product.pk])
    marked, rebuilt = threading.Event(), threading.Event()
    errors = []

    def change_stock():
        try:
            # Deferred: its commit queues no task, which would index the product at once in tests.
            with indexing.deferred(), transaction.atomic():
                indexing.mark_stale([product.pk])  # marked again: its row stays locked until this commits
                marked.set()
                if not rebuilt.wait(10):
                    errors.append("the rebuild waited for this change")
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=change_stock)
    thread.start()
    assert marked.wait(10)
    service.reindex()
    rebuilt.set()
    thread.join(30)

    assert errors == []
    assert StaleProduct.objects.filter(pk=product.pk).exists()  # indexed again when the next task runs
