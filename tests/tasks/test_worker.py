import time

import pytest

from catalog.models import Product
from tests import factories

pytestmark = pytest.mark.broker


def wait_for(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_refreshes_the_search_text_of_a_saved_product(celery_worker_process):
    channel = factories.channel()
    product = factories.product(channel=channel, name="贵州雷山银球茶")

    # The save committed and queued the refresh; only the worker in its own process can clear the flag.
    assert wait_for(lambda: not Product.objects.get(pk=product.pk).search_index_dirty), (
        "the worker did not run the task"
    )
    product.refresh_from_db()
    assert {"雷山", "银球", "茶"} <= set(product.search_document.split())
    assert Product.objects.filter(pk=product.pk, search_vector="银球").exists()
