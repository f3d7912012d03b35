"""Carts (checkouts), how they are delivered and what they may be discounted by."""

from checkout.models.checkouts import Checkout, CheckoutLine
from checkout.models.shipping import ShippingMethod, ShippingMethodChannelListing, ShippingZone
from checkout.models.vouchers import Voucher

__all__ = [
    "Checkout",
    "CheckoutLine",
    "ShippingMethod",
    "ShippingMethodChannelListing",
    "ShippingZone",
    "Voucher",
]
