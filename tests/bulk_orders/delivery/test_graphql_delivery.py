"""Delivery through the API: bulkOrderShipmentCreate, orderFulfillmentUpdateTracking, orderFulfill refused
for a bulk order, BulkOrder.deliveryProgress and recipients with masked mobiles, statuses and tracking
numbers in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulk_orders import services
from bulk_orders.models import BulkRecipient
from mall.graphql.ids import to_global_id
from orders.models import Fulfillment, OrderEvent
from tests.bulk_orders.delivery.conftest import api_for, lines_of, recipient

SHIP = """
mutation Ship($bulkOrder: ID!, $recipient: ID, $merchant: ID, $tracking: String!,
              $lines: [BulkOrderShipmentLineInput!]) {
  bulkOrderShipmentCreate(bulkOrder: $bulkOrder, recipient: $recipient, merchant: $merchant,
                          trackingNumber: $tracking, lines: $lines) {
    bulkOrder { status deliveryProgress { total shipped partial pending shipments } }
    fulfillment { id trackingNumber lines { quantity orderLine { productSku } } }
    errors { field message code }
  }
}
"""
PROGRESS = """
query Progress($id: ID!, $first: Int) {
  bulkOrder(id: $id) {
    deliveryProgress { total shipped partial pending shipments }
    recipients(first: $first) { edges { node { name mobile deliveryStatus trackingNumbers } } }
  }
}
"""
TRACKING = """
mutation Track($id: ID!, $tracking: String) {
  orderFulfillmentUpdateTracking(id: $id, input: {trackingNumber: $tracking}) {
    fulfillment { trackingNumber }
    errors { field code }
  }
}
"""


def gid(name, pk):
    return to_global_id(name, pk)


def ship(api, paid, recipient_row, tracking, **extra):
    variables = {
        "bulkOrder": gid("BulkOrder", paid.bulk_order.pk),
        "recipient": gid("BulkRecipient", recipient_row.pk) if recipient_row else None,
        "tracking": tracking,
        **extra,
    }
    return api.data(SHIP, variables)["bulkOrderShipmentCreate"]


def test_operators_ship_per_recipient_and_merchant_through_the_api(paid, shop, shipper):
    api = api_for(shipper)
    refused = ship(api, paid, paid.zhang, "SF1")
    assert refused["errors"][0]["code"] == "MERCHANT_REQUIRED" and refused["fulfillment"] is None
    payload = ship(api, paid, paid.zhang, "SF1", merchant=gid("Merchant", shop.oil.product.merchant_id))
    assert payload["errors"] == []
    assert payload["fulfillment"]["trackingNumber"] == "SF1"
    assert payload["fulfillment"]["lines"] == [{"quantity": 1, "orderLine": {"productSku": "PACK-200"}}]
    apple_line = lines_of(paid.bulk_order)[shop.apple.sku]
    payload = ship(api, paid, None, "SF2", lines=[{"orderLineId": gid("OrderLine", apple_line.pk), "quantity": 2}])
    assert payload["errors"] == []
    assert payload["bulkOrder"]["deliveryProgress"] == {
        "total": 4, "shipped": 0, "partial": 2, "pending": 2, "shipments": 2
    }  # fmt: skip


def test_bad_input_gives_field_errors_not_500(paid, shipper):
    api = api_for(shipper)
    assert ship(api, paid, paid.li, "")["errors"][0]["code"] == "REQUIRED"
    payload = api.data(SHIP, {"bulkOrder": gid("BulkOrder", paid.bulk_order.pk), "recipient": "bad", "tracking": "X"})
    assert payload["bulkOrderShipmentCreate"]["errors"][0] == {
        "field": "recipient", "message": "Couldn't resolve id: bad.", "code": "GRAPHQL_ERROR"
    }  # fmt: skip
    payload = ship(api, paid, paid.li, "X", lines=[{"orderLineId": "T3JkZXJMaW5lOm5vcGU=", "quantity": 1}])
    assert payload["errors"][0]["field"] == "lines"


def test_a_clerk_cannot_ship(paid, people):
    status, body = api_for(people.clerk).post(
        SHIP, {"bulkOrder": gid("BulkOrder", paid.bulk_order.pk), "recipient": None, "tracking": "X"}
    )
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert not Fulfillment.objects.exists()


def test_order_fulfill_on_a_bulk_order_points_to_the_shipment_mutation(paid, shop, shipper):
    apple_line = lines_of(paid.bulk_order)[shop.apple.sku]
    query = """mutation F($order: ID!, $line: ID!, $warehouse: ID!) {
      orderFulfill(order: $order,
                   input: {lines: [{orderLineId: $line, stocks: [{quantity: 1, warehouse: $warehouse}]}]}) {
        errors { field message code }
      }
    }"""
    errors = api_for(shipper).data(
        query,
        {
            "order": gid("Order", paid.bulk_order.order_id),
            "line": gid("OrderLine", apple_line.pk),
            "warehouse": gid("Warehouse", shop.warehouse.pk),
        },
    )["orderFulfill"]["errors"]
    assert errors[0]["field"] == "order" and "bulkOrderShipmentCreate" in errors[0]["message"]


def test_the_tracking_number_of_a_parcel_can_be_corrected(paid, shipper):
    parcel = services.create_shipment(paid.bulk_order, recipient=paid.li, tracking_number="WRONG1", by=shipper)
    payload = api_for(shipper).data(TRACKING, {"id": gid("Fulfillment", parcel.pk), "tracking": "YT778899"})
    assert payload["orderFulfillmentUpdateTracking"] == {"fulfillment": {"trackingNumber": "YT778899"}, "errors": []}
    event = OrderEvent.objects.get(order=paid.bulk_order.order, type="TRACKING_UPDATED")
    assert (event.parameters["tracking_number"], event.parameters["previous_tracking_number"]) == ("YT778899", "WRONG1")
    payload = api_for(shipper).data(TRACKING, {"id": "nonsense", "tracking": "1"})
    assert payload["orderFulfillmentUpdateTracking"]["errors"] == [{"field": "id", "code": "GRAPHQL_ERROR"}]


def test_the_clerk_sees_progress_masked_mobiles_statuses_and_tracking_numbers(paid, shop, people, shipper):
    services.create_shipment(paid.bulk_order, recipient=paid.li, tracking_number="YT1", by=shipper)
    services.create_shipment(
        paid.bulk_order, recipient=paid.zhang, merchant=shop.apple.product.merchant, tracking_number="YT2", by=shipper
    )
    data = api_for(people.clerk).data(PROGRESS, {"id": gid("BulkOrder", paid.bulk_order.pk), "first": 10})
    assert data["bulkOrder"]["deliveryProgress"] == {
        "total": 4, "shipped": 1, "partial": 1, "pending": 2, "shipments": 2
    }  # fmt: skip
    nodes = [edge["node"] for edge in data["bulkOrder"]["recipients"]["edges"]]
    assert [(node["name"], node["mobile"], node["deliveryStatus"], node["trackingNumbers"]) for node in nodes] == [
        ("张三", "138****0001", "PARTIAL", ["YT2"]),
        ("李四", "138****0002", "SHIPPED", ["YT1"]),
        (paid.evil.name, "138****0003", "PENDING", []),
    ]


def test_someone_outside_the_branch_sees_no_delivery(paid, people):
    data = api_for(people.sibling_clerk).data(PROGRESS, {"id": gid("BulkOrder", paid.bulk_order.pk), "first": 10})
    assert data["bulkOrder"] is None


@pytest.mark.parametrize("extra", [0, 20])
def test_recipients_with_statuses_take_the_same_queries_at_any_page_size(paid, shop, people, shipper, extra):
    for row in range(extra):
        more = recipient(paid.bulk_order, f"收件人{row}", f"+86139000{row:05d}", 10 + row)
        paid.bulk_order.lines.create(recipient=more, variant=shop.apple, quantity=1)
    for target in BulkRecipient.objects.filter(bulk_order=paid.bulk_order)[:3]:
        Fulfillment.objects.create(order=paid.bulk_order.order, fulfillment_order=target.pk, bulk_recipient=target,
                                   tracking_number=f"T{target.pk}")  # fmt: skip
    api = api_for(people.clerk)
    api.data(PROGRESS, {"id": gid("BulkOrder", paid.bulk_order.pk), "first": 50})  # sessions, permissions warmed
    with CaptureQueriesContext(connection) as queries:
        data = api.data(PROGRESS, {"id": gid("BulkOrder", paid.bulk_order.pk), "first": 50})
    assert len(data["bulkOrder"]["recipients"]["edges"]) == 3 + extra
    assert len(queries) == EXPECTED_QUERIES, [query["sql"][:120] for query in queries]


# Session, user, permissions, the bulk order and its visibility, progress (4), the page (1), its deliveries (3).
EXPECTED_QUERIES = 13
