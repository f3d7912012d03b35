import time

import pytest

from catalog.models import Product
from search.models import StaleProduct
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

    # The save committed and queued the refresh; only the worker in its own process can take it off the list.
    assert wait_for(lambda: not StaleProduct.objects.filter(pk=product.pk).exists()), "the worker did not run the task"
    product.refresh_from_db()
    assert {"雷山", "银球", "茶"} <= set(product.search_document.split())
    assert Product.objects.filter(pk=product.pk, search_vector="银球").exists()


def test_a_worker_releases_an_unpaid_order_past_its_hold(celery_worker_process):
    from datetime import timedelta

    from accounts.models import Address
    from catalog.models import Stock
    from checkout.models import Checkout, CheckoutLine, ShippingMethod
    from demo.buying import seed_buying
    from orders.models import Order, OrderStatus
    from orders.services import complete_checkout
    from orders.tasks import release_unpaid_orders

    channel = factories.channel()
    seed_buying(channel)
    variant = factories.product(channel=channel, name="五常大米", quantity=3).variants.get()
    address = Address.objects.create(
        last_name="王",
        first_name="芳",
        country_area="广东省",
        city="广州市",
        city_area="越秀区",
        street_address_1="1号",
    )
    checkout = Checkout.objects.create(
        channel=channel,
        email="guest@example.com",
        shipping_address=address,
        shipping_method=ShippingMethod.objects.get(name="标准快递"),
    )
    CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=2)
    order, _ = complete_checkout(checkout, user=None)
    Order.objects.filter(pk=order.pk).update(payment_due_at=order.created_at - timedelta(minutes=1))

    release_unpaid_orders.delay()

    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.EXPIRED), "the worker did not run it"
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 0
