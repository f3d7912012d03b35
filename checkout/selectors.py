"""Reads about checkouts: their prices for their owner and the shipping methods that fit them."""

from decimal import Decimal

from django.db.models import Q

from allowances.selectors import spendable_allowances
from catalog.pricing import user_pays_member_price
from checkout.calculations import CheckoutPrices, calculate_checkout
from checkout.fetch import CheckoutLineInfo, fetch_checkout_lines
from checkout.models import Checkout, ShippingMethodChannelListing, ShippingZone


def shipping_zone_for(province: str) -> ShippingZone | None:
    """The zone that delivers to `province`: the one naming it, else the default zone."""
    zones = list(ShippingZone.objects.filter(Q(provinces__contains=[province]) | Q(is_default=True)))
    named = [zone for zone in zones if province and province in zone.provinces]
    return (named or [zone for zone in zones if zone.is_default] or [None])[0]


def shipping_listings_for(checkout: Checkout, subtotal: Decimal) -> list[ShippingMethodChannelListing]:
    """The shipping methods (their listings in the checkout's channel, method joined) that deliver to
    the checkout's shipping address and accept an order of `subtotal`; empty without an address."""
    address = checkout.shipping_address
    if address is None:
        return []
    zone = shipping_zone_for(address.country_area)
    if zone is None:
        return []
    listings = (
        ShippingMethodChannelListing.objects.filter(shipping_method__zone=zone, channel_id=checkout.channel_id)
        .filter(Q(minimum_order_price_amount__isnull=True) | Q(minimum_order_price_amount__lte=subtotal))
        .filter(Q(maximum_order_price_amount__isnull=True) | Q(maximum_order_price_amount__gte=subtotal))
        .select_related("shipping_method")
        .order_by("price_amount", "shipping_method_id")
    )
    return list(listings)


def shipping_listing_of(checkout: Checkout) -> ShippingMethodChannelListing | None:
    if checkout.shipping_method_id is None:
        return None
    return (
        ShippingMethodChannelListing.objects.filter(
            shipping_method_id=checkout.shipping_method_id, channel_id=checkout.channel_id
        )
        .select_related("shipping_method")
        .first()
    )


def price_checkout(
    checkout: Checkout, lines: list[CheckoutLineInfo] | None = None, *, now=None
) -> tuple[list[CheckoutLineInfo], CheckoutPrices]:
    """The checkout's lines and prices for its owner (member prices for a verified member)."""
    if lines is None:
        lines = fetch_checkout_lines(checkout)
    allowances = spendable_allowances(checkout.user, now=now) if checkout.allowance_requested else []
    prices = calculate_checkout(
        lines,
        currency=checkout.currency,
        member=user_pays_member_price(checkout.user),
        shipping_listing=shipping_listing_of(checkout),
        voucher=checkout.voucher,
        allowances=allowances,
        allowance_requested=checkout.allowance_requested,
    )
    return lines, prices
