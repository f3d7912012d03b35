"""Reads about checkouts: who may reach one, their prices for their owner and the shipping methods
that fit them."""

from decimal import Decimal

from django.db.models import Q

from allowances.selectors import spendable_allowances
from catalog.pricing import user_pays_member_price
from checkout.calculations import CheckoutPrices, calculate_checkout, line_unit_prices, voucher_discount
from checkout.fetch import CheckoutLineInfo, fetch_checkout_lines
from checkout.models import Checkout, ShippingMethodChannelListing, ShippingZone
from checkout.vouchers import voucher_applies
from mall.permissions import PermissionEnum, has_permissions

# Who may read and change checkouts of other people (Saleor lets these read any checkout).
CHECKOUT_STAFF_PERMISSIONS = (PermissionEnum.MANAGE_CHECKOUTS, PermissionEnum.IMPERSONATE_USER)


# --- Access ---------------------------------------------------------------------------------
def can_access(checkout: Checkout, requestor) -> bool:
    """A checkout without an owner is reached by whoever holds its token (a guest's cart); one with
    an owner only by that user and by staff who manage checkouts or impersonate customers."""
    if checkout.user_id is None:
        return True
    if requestor is not None and requestor.is_authenticated and requestor.pk == checkout.user_id:
        return True
    return has_permissions(requestor, CHECKOUT_STAFF_PERMISSIONS)


def checkout_rows():
    """Checkouts with what a page or the API shows of them joined (owner with member profile,
    channel, addresses, shipping method, voucher) and the voucher's channels prefetched."""
    return Checkout.objects.select_related(
        "user__member_profile", "channel", "shipping_address", "billing_address", "shipping_method", "voucher"
    ).prefetch_related("voucher__channels")


def checkout_for(requestor, token) -> Checkout | None:
    """The checkout with `token` if `requestor` may reach it, else None."""
    checkout = checkout_rows().filter(pk=token).first()
    if checkout is None or not can_access(checkout, requestor):
        return None
    return checkout


def checkouts_of(user, *, channel=None):
    """The user's checkouts, most recently changed first."""
    checkouts = checkout_rows().filter(user=user)
    if channel is not None:
        checkouts = checkouts.filter(channel=channel)
    return checkouts.order_by("-last_change", "pk")


# --- Shipping -------------------------------------------------------------------------------
def is_shipping_required(lines: list[CheckoutLineInfo]) -> bool:
    return any(info.requires_shipping for info in lines)


def zone_for_province(zones, province: str) -> ShippingZone | None:
    """Among `zones`, the one naming `province`, else the default zone."""
    named = [zone for zone in zones if province and province in zone.provinces]
    return (named or [zone for zone in zones if zone.is_default] or [None])[0]


def shipping_zone_for(province: str) -> ShippingZone | None:
    """The zone that delivers to `province`: the one naming it, else the default zone."""
    return zone_for_province(
        ShippingZone.objects.filter(Q(provinces__contains=[province]) | Q(is_default=True)), province
    )


def accepts_order_of(listing: ShippingMethodChannelListing, goods_total: Decimal) -> bool:
    """Whether a method's listing takes an order whose goods cost `goods_total` (after the voucher)."""
    if listing.minimum_order_price_amount is not None and goods_total < listing.minimum_order_price_amount:
        return False
    return listing.maximum_order_price_amount is None or goods_total <= listing.maximum_order_price_amount


def shipping_listings_for(checkout: Checkout, subtotal: Decimal) -> list[ShippingMethodChannelListing]:
    """The shipping methods (their listings in the checkout's channel, method joined) that deliver to
    the checkout's shipping address and accept an order of `subtotal` (goods after the voucher);
    empty without an address."""
    address = checkout.shipping_address
    if address is None:
        return []
    zone = shipping_zone_for(address.country_area)
    if zone is None:
        return []
    listings = (
        ShippingMethodChannelListing.objects.filter(shipping_method__zone=zone, channel_id=checkout.channel_id)
        .select_related("shipping_method")
        .order_by("price_amount", "shipping_method_id")
    )
    return [listing for listing in listings if accepts_order_of(listing, subtotal)]


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


# --- Prices ---------------------------------------------------------------------------------
def goods_subtotal(lines: list[CheckoutLineInfo], *, member: bool) -> Decimal:
    """What the lines cost their owner before voucher, shipping and allowance."""
    return sum(
        (line_unit_prices(info.variant, member=member)[0] * info.line.quantity for info in lines), Decimal("0.00")
    )


def applicable_voucher(checkout: Checkout, subtotal: Decimal, *, now=None):
    """The checkout's voucher when it still applies to a subtotal of `subtotal`, else None: a voucher
    that expired or was used up since it was added discounts nothing."""
    voucher = checkout.voucher
    applies = voucher_applies(
        voucher, channel_id=checkout.channel_id, currency=checkout.currency, subtotal=subtotal, now=now
    )
    return voucher if applies else None


def goods_total(checkout: Checkout, lines: list[CheckoutLineInfo], *, now=None) -> Decimal:
    """Subtotal less the voucher's discount: what shipping thresholds are measured against."""
    subtotal = goods_subtotal(lines, member=user_pays_member_price(checkout.user))
    return subtotal - voucher_discount(applicable_voucher(checkout, subtotal, now=now), subtotal)


def price_checkout(
    checkout: Checkout, lines: list[CheckoutLineInfo] | None = None, *, now=None
) -> tuple[list[CheckoutLineInfo], CheckoutPrices]:
    """The checkout's lines and prices for its owner (member prices for a verified member)."""
    if lines is None:
        lines = fetch_checkout_lines(checkout)
    member = user_pays_member_price(checkout.user)
    allowances = spendable_allowances(checkout.user, now=now) if checkout.allowance_requested else []
    prices = calculate_checkout(
        lines,
        currency=checkout.currency,
        member=member,
        shipping_listing=shipping_listing_of(checkout),
        voucher=applicable_voucher(checkout, goods_subtotal(lines, member=member), now=now),
        allowances=allowances,
        allowance_requested=checkout.allowance_requested,
    )
    return lines, prices
