"""Per-request loaders of an order's related rows, by key (see mall.graphql.dataloaders).

`register_orders` notes a page of orders as siblings, so each loader below reads the lines, events,
fulfilments, addresses and users of the whole page in one query.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model

from accounts.models import Address
from catalog.graphql.dataloaders import ChannelByIdLoader
from catalog.models import ProductVariant
from mall.graphql.dataloaders import DataLoader, note_siblings
from orders.models import Fulfillment, FulfillmentLine, Order, OrderEvent, OrderLine


def _grouped(rows, attribute: str) -> dict:
    groups = defaultdict(list)
    for row in rows:
        groups[getattr(row, attribute)].append(row)
    return groups


def register_orders(context, orders) -> list:
    """Orders handed out together (a page, a payload): their related rows load for all of them at once."""
    orders = [order for order in orders if order is not None]
    note_siblings(context, "order", [order.pk for order in orders])
    note_siblings(
        context,
        "order_address",
        [order.shipping_address_id for order in orders] + [order.billing_address_id for order in orders],
    )
    note_siblings(context, "user", [order.user_id for order in orders])
    note_siblings(context, "channel", [order.channel_id for order in orders])
    by_id = OrderByIdLoader(context)
    for order in orders:
        by_id.prime(order.pk, order)
    return orders


class OrderByIdLoader(DataLoader):
    """Primed with the orders a request hands out, so their lines and events find them without a query."""

    kind = "order"

    def batch_load(self, keys):
        orders = Order.objects.in_bulk(keys)
        return [orders.get(key) for key in keys]


class OrderLinesByOrderIdLoader(DataLoader):
    kind = "order"

    def batch_load(self, keys):
        lines = list(OrderLine.objects.filter(order_id__in=keys).order_by("sort_order", "pk"))
        note_siblings(self.context, "variant", [line.variant_id for line in lines])
        note_siblings(self.context, "product", [line.product_id for line in lines])
        by_order = _grouped(lines, "order_id")
        return [by_order.get(key, []) for key in keys]


class OrderEventsByOrderIdLoader(DataLoader):
    kind = "order"

    def batch_load(self, keys):
        events = list(OrderEvent.objects.filter(order_id__in=keys).order_by("date", "pk"))
        note_siblings(self.context, "user", [event.user_id for event in events])
        by_order = _grouped(events, "order_id")
        return [by_order.get(key, []) for key in keys]


class FulfillmentsByOrderIdLoader(DataLoader):
    kind = "order"

    def batch_load(self, keys):
        fulfillments = list(Fulfillment.objects.filter(order_id__in=keys).order_by("pk"))
        note_siblings(self.context, "fulfillment", [fulfillment.pk for fulfillment in fulfillments])
        by_order = _grouped(fulfillments, "order_id")
        return [by_order.get(key, []) for key in keys]


class FulfillmentLinesByFulfillmentIdLoader(DataLoader):
    kind = "fulfillment"

    def batch_load(self, keys):
        lines = FulfillmentLine.objects.filter(fulfillment_id__in=keys).select_related("order_line").order_by("pk")
        by_fulfillment = _grouped(lines, "fulfillment_id")
        return [by_fulfillment.get(key, []) for key in keys]


class OrderAddressByIdLoader(DataLoader):
    kind = "order_address"

    def batch_load(self, keys):
        addresses = Address.objects.in_bulk(keys)
        return [addresses.get(key) for key in keys]


class UserByIdLoader(DataLoader):
    kind = "user"

    def batch_load(self, keys):
        users = get_user_model().objects.in_bulk(keys)
        return [users.get(key) for key in keys]


class VariantByIdLoader(DataLoader):
    """The variants order lines point at (null once a variant is deleted; the line keeps its snapshot)."""

    kind = "variant"

    def batch_load(self, keys):
        variants = ProductVariant.objects.in_bulk(keys)
        return [variants.get(key) for key in keys]


__all__ = [
    "ChannelByIdLoader",
    "FulfillmentLinesByFulfillmentIdLoader",
    "FulfillmentsByOrderIdLoader",
    "OrderAddressByIdLoader",
    "OrderByIdLoader",
    "OrderEventsByOrderIdLoader",
    "OrderLinesByOrderIdLoader",
    "UserByIdLoader",
    "VariantByIdLoader",
    "register_orders",
]
