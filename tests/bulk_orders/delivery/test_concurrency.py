"""Two parcels for the same recipient recorded at the same moment, with real threads on their own
connections: one is shipped, the other finds nothing left to ship; nothing is sent twice."""

import pytest

from bulk_orders import services
from catalog.models import Stock
from orders.models import Fulfillment
from tests.orders.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_parcels_for_one_recipient_at_once_ship_once(paid, shop, shipper):
    stock_before = Stock.objects.get(product_variant=shop.oil).quantity
    results = run_together(
        [
            lambda: services.create_shipment(paid.bulk_order, recipient=paid.li, tracking_number="A", by=shipper),
            lambda: services.create_shipment(paid.bulk_order, recipient=paid.li, tracking_number="B", by=shipper),
        ]
    )
    codes = sorted(getattr(result, "code", "SHIPPED") for result in results)
    assert codes == ["NOTHING_TO_SHIP", "SHIPPED"]
    assert Fulfillment.objects.filter(bulk_recipient=paid.li).count() == 1
    assert Stock.objects.get(product_variant=shop.oil).quantity == stock_before - 1


def test_the_last_two_parcels_at_once_make_the_bulk_order_fulfilled_once(paid, shop, shipper):
    bulk = paid.bulk_order
    services.create_shipment(bulk, recipient=paid.zhang, merchant=shop.apple.product.merchant,
                             tracking_number="P1", by=shipper)  # fmt: skip
    services.create_shipment(bulk, recipient=paid.zhang, merchant=shop.oil.product.merchant,
                             tracking_number="P2", by=shipper)  # fmt: skip
    services.create_shipment(bulk, recipient=paid.evil, tracking_number="P3", by=shipper)
    run_together(
        [
            lambda: services.create_shipment(bulk, recipient=paid.li, tracking_number="P4", by=shipper),
            lambda: services.create_shipment(bulk, recipient=None, tracking_number="P5", by=shipper),
        ]
    )
    bulk.refresh_from_db()
    assert bulk.status == "FULFILLED"
    assert bulk.transitions.filter(to_status="FULFILLED").count() == 1
