"""Functions that change orders: placing one from a checkout, canceling, expiring and fulfilling it."""

from orders.services.completion import complete_checkout, complete_checkout_by_token
from orders.services.fulfillment import Destination, FulfillRequest, fulfill_order, update_tracking
from orders.services.lifecycle import cancel_order, release_unpaid_orders

__all__ = [
    "Destination",
    "FulfillRequest",
    "cancel_order",
    "complete_checkout",
    "complete_checkout_by_token",
    "fulfill_order",
    "release_unpaid_orders",
    "update_tracking",
]
