"""Per-request loaders of checkouts' lines, prices and shipping methods (see mall.graphql.dataloaders).

Checkouts handed out together (`me { checkouts }`, or the one `checkout(id)`) are registered as
siblings, so each loader reads for all of them at once: a page of checkouts costs the same number
of queries as one, whatever the number of lines.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q

from allowances.selectors import spendable_allowances
from catalog.graphql import dataloaders as catalog_loaders
from catalog.pricing import user_pays_member_price
from checkout.calculations import CheckoutPrices, calculate_checkout, shipping_price
from checkout.fetch import fetch_lines_of_checkouts
from checkout.models import ShippingMethodChannelListing, ShippingZone
from checkout.selectors import (
    accepts_order_of,
    applicable_voucher,
    checkout_rows,
    goods_subtotal,
    is_shipping_required,
    zone_for_province,
)
from mall.graphql.dataloaders import DataLoader, note_siblings


@dataclass(frozen=True)
class ShippingMethodInfo:
    """A shipping method as offered to one checkout: its listing in the channel and what it costs
    that checkout (nothing above the free-shipping threshold)."""

    listing: ShippingMethodChannelListing
    price: Decimal
    currency: str
    active: bool = True


def register_checkouts(context, checkouts) -> list:
    """Checkouts read together: loaders fetch their lines, prices and methods for all at once."""
    checkouts = [checkout for checkout in checkouts if checkout is not None]
    note_siblings(context, "checkout", [checkout.pk for checkout in checkouts])
    loader = CheckoutByTokenLoader(context)
    for checkout in checkouts:
        loader.prime(checkout.pk, checkout)
    return checkouts


def _checkouts(context, keys) -> list:
    return CheckoutByTokenLoader(context).load_many(keys)


class CheckoutByTokenLoader(DataLoader):
    kind = "checkout"

    def batch_load(self, keys):
        rows = {checkout.pk: checkout for checkout in checkout_rows().filter(pk__in=keys)}
        return [rows.get(key) for key in keys]


class LinesByCheckoutTokenLoader(DataLoader):
    """Token → the checkout's CheckoutLineInfo list; primes the catalogue's loaders with the products,
    listings and stock rows read, so `lines { variant { product { ... } } }` asks nothing more."""

    kind = "checkout"

    def batch_load(self, keys):
        checkouts = [checkout for checkout in _checkouts(self.context, keys) if checkout is not None]
        found = fetch_lines_of_checkouts(checkouts)
        channel_of = {checkout.pk: checkout.channel_id for checkout in checkouts}
        infos = [(info, channel_of[token]) for token, lines in found.items() for info in lines]
        catalog_loaders.register_products(
            self.context, list({info.product.pk: info.product for info, _ in infos}.values())
        )
        note_siblings(self.context, "variant", [info.variant.pk for info, _ in infos])
        listings = catalog_loaders.ChannelListingByProductIdAndChannelIdLoader(self.context)
        stocks = catalog_loaders.StocksByVariantIdAndChannelIdLoader(self.context)
        for info, channel_id in infos:
            listings.prime((info.product.pk, channel_id), info.listing)
            stocks.prime((info.variant.pk, channel_id), info.stocks)
        return [found.get(key, []) for key in keys]


class ShippingListingByCheckoutTokenLoader(DataLoader):
    """Token → the listing of the checkout's chosen shipping method in its channel, or None."""

    kind = "checkout"

    def batch_load(self, keys):
        checkouts = _checkouts(self.context, keys)
        pairs = {(c.shipping_method_id, c.channel_id) for c in checkouts if c is not None and c.shipping_method_id}
        listings = {}
        if pairs:
            condition = Q()
            for method_id, channel_id in pairs:
                condition |= Q(shipping_method_id=method_id, channel_id=channel_id)
            rows = ShippingMethodChannelListing.objects.filter(condition).select_related("shipping_method")
            listings = {(row.shipping_method_id, row.channel_id): row for row in rows}
        return [
            listings.get((checkout.shipping_method_id, checkout.channel_id)) if checkout is not None else None
            for checkout in checkouts
        ]


class AllowancesByUserIdLoader(DataLoader):
    """User id → the member's spendable allowance grants (checkout.calculations.SpendableAllowance)."""

    kind = "user"

    def batch_load(self, keys):
        user_model = get_user_model()
        return [spendable_allowances(user_model(pk=key)) for key in keys]


class PricesByCheckoutTokenLoader(DataLoader):
    """Token → CheckoutPrices for the checkout's owner (checkout.calculations), from loaded rows."""

    kind = "checkout"

    def batch_load(self, keys):
        checkouts = _checkouts(self.context, keys)
        lines = LinesByCheckoutTokenLoader(self.context).load_many(keys)
        listings = ShippingListingByCheckoutTokenLoader(self.context).load_many(keys)
        return [
            None if checkout is None else self._price(checkout, checkout_lines, listing)
            for checkout, checkout_lines, listing in zip(checkouts, lines, listings, strict=True)
        ]

    def _price(self, checkout, lines, listing) -> CheckoutPrices:
        member = user_pays_member_price(checkout.user)
        allowances = []
        if checkout.allowance_requested and checkout.user_id:
            allowances = AllowancesByUserIdLoader(self.context).load(checkout.user_id)
        return calculate_checkout(
            lines,
            currency=checkout.currency,
            member=member,
            shipping_listing=listing,
            voucher=applicable_voucher(checkout, goods_subtotal(lines, member=member)),
            allowances=allowances,
            allowance_requested=checkout.allowance_requested,
        )


class ShippingZonesLoader(DataLoader):
    """Key None → every shipping zone: a handful of rows, read once per request."""

    def batch_load(self, keys):
        zones = list(ShippingZone.objects.all())
        return [zones for _ in keys]


class ShippingMethodsByCheckoutTokenLoader(DataLoader):
    """Token → the ShippingMethodInfo of every method that delivers to the checkout's address and
    accepts its amount, cheapest first (checkout.selectors.shipping_listings_for's rule)."""

    kind = "checkout"

    def batch_load(self, keys):
        checkouts = _checkouts(self.context, keys)
        lines = LinesByCheckoutTokenLoader(self.context).load_many(keys)
        shippable = [
            (checkout, checkout_lines)
            for checkout, checkout_lines in zip(checkouts, lines, strict=True)
            if checkout is not None and checkout.shipping_address is not None and is_shipping_required(checkout_lines)
        ]
        if not shippable:
            return [[] for _ in keys]
        zones = ShippingZonesLoader(self.context).load(None)
        zone_of = {
            checkout.pk: zone_for_province(zones, checkout.shipping_address.country_area) for checkout, _ in shippable
        }
        zone_ids = {zone.pk for zone in zone_of.values() if zone is not None}
        channel_ids = {checkout.channel_id for checkout, _ in shippable}
        listings = list(
            ShippingMethodChannelListing.objects.filter(
                shipping_method__zone_id__in=zone_ids, channel_id__in=channel_ids
            )
            .select_related("shipping_method")
            .order_by("price_amount", "shipping_method_id")
        )
        prices = PricesByCheckoutTokenLoader(self.context).load_many([checkout.pk for checkout, _ in shippable])
        found = {}
        for (checkout, _), checkout_prices in zip(shippable, prices, strict=True):
            zone = zone_of[checkout.pk]
            goods_total = checkout_prices.subtotal - checkout_prices.discount
            found[checkout.pk] = [
                ShippingMethodInfo(listing, shipping_price(listing, goods_total), listing.currency)
                for listing in listings
                if zone is not None
                and listing.shipping_method.zone_id == zone.pk
                and listing.channel_id == checkout.channel_id
                and accepts_order_of(listing, goods_total)
            ]
        return [found.get(key, []) for key in keys]
