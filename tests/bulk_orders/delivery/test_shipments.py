"""Split delivery: one parcel per recipient and merchant, each with its own tracking number, stock taken
from what placing held (a gift pack's from its components), and the bulk order FULFILLED at the end."""

import pytest

from bulk_orders import services
from bulk_orders.delivery import delivery_progress, pending_lines
from bulk_orders.models import BulkOrderStatus
from catalog.models import Stock
from mall.errors import DomainError, PermissionDenied
from orders.models import Allocation, Fulfillment, OrderStatus
from orders.services import FulfillRequest, fulfill_order
from tests.bulk_orders.delivery.conftest import lines_of


def stock_of(variant):
    return Stock.objects.get(product_variant=variant)


def test_a_recipient_with_goods_of_two_merchants_needs_one_parcel_per_merchant(paid, shop, shipper):
    with pytest.raises(DomainError) as caught:
        services.create_shipment(paid.bulk_order, recipient=paid.zhang, tracking_number="SF001", by=shipper)
    assert caught.value.code == "MERCHANT_REQUIRED"
    apple_merchant, oil_merchant = shop.apple.product.merchant, shop.oil.product.merchant
    first = services.create_shipment(
        paid.bulk_order, recipient=paid.zhang, merchant=apple_merchant, tracking_number="SF001", by=shipper
    )
    second = services.create_shipment(
        paid.bulk_order, recipient=paid.zhang, merchant=oil_merchant, tracking_number="SF002", by=shipper
    )
    lines = lines_of(paid.bulk_order)
    assert (first.bulk_recipient, first.merchant, first.tracking_number) == (paid.zhang, apple_merchant, "SF001")
    assert [(line.order_line_id, line.quantity) for line in first.lines.all()] == [(lines[shop.apple.sku].pk, 2)]
    # The gift pack goes with the merchant of its first component (the oil's), as one line of one pack.
    assert (second.merchant, second.tracking_number) == (oil_merchant, "SF002")
    assert [(line.order_line_id, line.quantity) for line in second.lines.all()] == [(lines[shop.pack.sku].pk, 1)]
    assert pending_lines(paid.bulk_order, paid.zhang.pk) == []


def test_shipping_takes_stock_out_of_the_allocations_and_a_pack_out_of_its_components(paid, shop, shipper):
    before = {variant.sku: (stock_of(variant).quantity, stock_of(variant).quantity_allocated)
              for variant in (shop.apple, shop.oil, shop.tea)}  # fmt: skip
    services.create_shipment(
        paid.bulk_order, recipient=paid.zhang, merchant=shop.oil.product.merchant, tracking_number="SF9", by=shipper
    )
    services.create_shipment(
        paid.bulk_order, recipient=paid.zhang, merchant=shop.apple.product.merchant, tracking_number="SF8", by=shipper
    )
    after = {variant.sku: (stock_of(variant).quantity, stock_of(variant).quantity_allocated)
             for variant in (shop.apple, shop.oil, shop.tea)}  # fmt: skip
    # One pack: 1 oil and 2 tea leave the warehouse; 2 apples; every unit was held, so the hold shrinks too.
    assert after[shop.tea.sku] == (before[shop.tea.sku][0] - 2, before[shop.tea.sku][1] - 2)
    assert after[shop.apple.sku] == (before[shop.apple.sku][0] - 2, before[shop.apple.sku][1] - 2)
    assert after[shop.oil.sku] == (before[shop.oil.sku][0] - 1, before[shop.oil.sku][1] - 1)
    pack_line = lines_of(paid.bulk_order)[shop.pack.sku]
    assert not Allocation.objects.filter(order_line=pack_line).exists()
    assert pack_line.quantity_fulfilled == 1


def test_every_parcel_needs_its_own_tracking_number(paid, shop, shipper):
    with pytest.raises(DomainError) as caught:
        services.create_shipment(paid.bulk_order, recipient=paid.li, tracking_number="  ", by=shipper)
    assert caught.value.code == "REQUIRED"
    services.create_shipment(paid.bulk_order, recipient=paid.li, tracking_number="YT100", by=shipper)
    with pytest.raises(DomainError) as caught:
        services.create_shipment(paid.bulk_order, recipient=paid.evil, tracking_number="YT100", by=shipper)
    assert caught.value.code == "UNIQUE"
    assert Fulfillment.objects.filter(bulk_recipient=paid.evil).count() == 0


def test_a_recipient_is_never_sent_more_than_they_are_owed(paid, shop, shipper):
    apple_line = lines_of(paid.bulk_order)[shop.apple.sku]
    with pytest.raises(DomainError) as caught:
        services.create_shipment(
            paid.bulk_order, recipient=paid.evil, tracking_number="A1", lines=[(apple_line.pk, 2)], by=shipper
        )
    assert caught.value.code == "INVALID_QUANTITY"
    services.create_shipment(paid.bulk_order, recipient=paid.evil, tracking_number="A1", by=shipper)
    with pytest.raises(DomainError) as caught:
        services.create_shipment(paid.bulk_order, recipient=paid.evil, tracking_number="A2", by=shipper)
    assert caught.value.code == "NOTHING_TO_SHIP"


def test_partial_parcels_by_line_add_up(paid, shop, shipper):
    apple_line = lines_of(paid.bulk_order)[shop.apple.sku]
    services.create_shipment(
        paid.bulk_order, recipient=None, tracking_number="B1", lines=[(apple_line.pk, 1)], by=shipper
    )
    assert delivery_progress(paid.bulk_order).partial == 1
    services.create_shipment(paid.bulk_order, recipient=None, tracking_number="B2", by=shipper)
    assert [line.quantity for line in pending_lines(paid.bulk_order, None)] == []
    apple_line.refresh_from_db()
    assert apple_line.quantity_fulfilled == 3


def test_the_last_parcel_makes_the_bulk_order_fulfilled_with_its_transition(paid, shop, shipper):
    bulk = paid.bulk_order
    services.create_shipment(bulk, recipient=paid.zhang, merchant=shop.apple.product.merchant,
                             tracking_number="P1", by=shipper)  # fmt: skip
    services.create_shipment(bulk, recipient=paid.zhang, merchant=shop.oil.product.merchant,
                             tracking_number="P2", by=shipper)  # fmt: skip
    services.create_shipment(bulk, recipient=paid.li, tracking_number="P3", by=shipper)
    services.create_shipment(bulk, recipient=paid.evil, tracking_number="P4", by=shipper)
    bulk.refresh_from_db()
    assert bulk.status == BulkOrderStatus.PAID
    assert bulk.order.status == OrderStatus.PARTIALLY_FULFILLED
    services.create_shipment(bulk, recipient=None, tracking_number="P5", by=shipper)
    bulk.refresh_from_db()
    assert bulk.status == BulkOrderStatus.FULFILLED
    assert bulk.order.status == OrderStatus.FULFILLED
    last = bulk.transitions.order_by("pk").last()
    assert (last.from_status, last.to_status, last.user) == ("PAID", "FULFILLED", shipper)
    assert delivery_progress(bulk) == delivery_progress(bulk).__class__(
        total=4, shipped=4, partial=0, pending=0, shipments=5
    )
    with pytest.raises(DomainError) as caught:
        services.create_shipment(bulk, recipient=paid.li, tracking_number="P6", by=shipper)
    assert caught.value.code == "INVALID_STATUS"


def test_an_unpaid_bulk_order_is_not_shipped(draft, people, shop, shipper):
    services.add_lines(draft, [(shop.apple.sku, 1)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    services.approve(draft, by=people.approver)
    services.place(draft, by=people.clerk)
    with pytest.raises(DomainError) as caught:
        services.create_shipment(draft, recipient=None, tracking_number="X1", by=shipper)
    assert caught.value.code == "INVALID_STATUS"


def test_only_staff_who_manage_orders_ship(paid, people):
    with pytest.raises(PermissionDenied):
        services.create_shipment(paid.bulk_order, recipient=paid.li, tracking_number="X1", by=people.clerk)
    assert not Fulfillment.objects.exists()


def test_a_recipient_of_another_bulk_order_is_refused(paid, draft, shipper, tree, people):
    other = services.create_bulk_order(branch=tree.union, name="另一单", by=people.clerk)
    stranger = other.recipients.create(name="王五", phone="+8613800000009", province="广东省", city="深圳市",
                                       district="南山区", street_address="1 号")  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.create_shipment(paid.bulk_order, recipient=stranger, tracking_number="X1", by=shipper)
    assert caught.value.code == "NOT_FOUND"


def test_order_fulfill_without_a_recipient_is_refused_for_a_bulk_order(paid, shop, shipper):
    apple_line = lines_of(paid.bulk_order)[shop.apple.sku]
    with pytest.raises(DomainError) as caught:
        fulfill_order(paid.bulk_order.order, lines=[FulfillRequest(apple_line.pk, 1)], by=shipper)
    assert caught.value.code == "BULK_ORDER_SHIPMENT_REQUIRED"
