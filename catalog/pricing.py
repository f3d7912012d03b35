"""Prices and availability, for the person asking: the one place that says who pays which price.

A verified member (members.selectors.is_verified_member) pays a variant's member price where it has
one; everyone else pays the list price. The functions take rows already loaded (by the API's
loaders or by selectors.with_listing_data for pages) and run no queries, except
`pays_member_price`, which reads the member profile once per request.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from catalog.models import ProductChannelListing, ProductVariant, Stock
from mall.money import Money, MoneyRange, default_currency
from members.selectors import is_verified_member


def user_pays_member_price(user) -> bool:
    """The rule: verified members pay member prices, everyone else (anonymous visitors, members not
    or not yet verified, apps) pays list prices."""
    return is_verified_member(user)


def pays_member_price(request) -> bool:
    """Whether the person making `request` pays member prices; worked out once per request."""
    if not hasattr(request, "_pays_member_price"):
        request._pays_member_price = user_pays_member_price(getattr(request, "user", None))
    return request._pays_member_price


@dataclass(frozen=True)
class VariantPricing:
    price: Money  # what the viewer pays
    price_undiscounted: Money  # the list price
    member_price: Money | None

    @property
    def on_sale(self) -> bool:
        return self.price.amount < self.price_undiscounted.amount

    @property
    def discount(self) -> Money | None:
        if not self.on_sale:
            return None
        return Money(self.price_undiscounted.amount - self.price.amount, self.price.currency)


@dataclass(frozen=True)
class ProductPricing:
    price_range: MoneyRange | None  # what the viewer pays
    price_range_undiscounted: MoneyRange | None  # list prices
    member_price_range: MoneyRange | None

    @property
    def on_sale(self) -> bool:
        return bool(self.price_range and self.price_range != self.price_range_undiscounted)

    @property
    def discount(self) -> Money | None:
        """How much less than the list price the lowest price is, as Saleor reports a product's discount."""
        if not self.on_sale:
            return None
        start, undiscounted = self.price_range.start, self.price_range_undiscounted.start
        return Money(max(undiscounted.amount - start.amount, 0), start.currency)


def _money(amount, currency: str) -> Money | None:
    return None if amount is None else Money(amount, currency)


def applicable_amount(variant: ProductVariant, *, member: bool):
    """The amount the viewer pays for `variant`: the member price for a member where there is one."""
    if member and variant.member_price_amount is not None:
        return variant.member_price_amount
    return variant.price_amount


def variant_pricing(variant: ProductVariant, *, member: bool) -> VariantPricing:
    currency = variant.currency
    return VariantPricing(
        price=Money(applicable_amount(variant, member=member), currency),
        price_undiscounted=Money(variant.price_amount, currency),
        member_price=_money(variant.member_price_amount, currency),
    )


def _range(amounts, currency) -> MoneyRange | None:
    amounts = [amount for amount in amounts if amount is not None]
    if not amounts:
        return None
    return MoneyRange(Money(min(amounts), currency), Money(max(amounts), currency))


def product_pricing(variants: list[ProductVariant], *, member: bool) -> ProductPricing:
    currency = variants[0].currency if variants else default_currency()
    return ProductPricing(
        price_range=_range([applicable_amount(variant, member=member) for variant in variants], currency),
        price_range_undiscounted=_range([variant.price_amount for variant in variants], currency),
        member_price_range=_range([variant.member_price_amount for variant in variants], currency),
    )


def stock_quantity(stocks: list[Stock]) -> int:
    """Units that can still be bought from these stock rows."""
    return sum(stock.quantity_available for stock in stocks)


def quantity_available_to_show(variant: ProductVariant, stocks: list[Stock]) -> int:
    """What the API shows as available, capped as Saleor caps it so that stock levels cannot be tracked:
    at most MAX_CHECKOUT_LINE_QUANTITY, and at most the variant's limit per customer."""
    limits = [stock_quantity(stocks), settings.MAX_CHECKOUT_LINE_QUANTITY]
    if variant.quantity_limit_per_customer:
        limits.append(variant.quantity_limit_per_customer)
    return min(limits)


def variant_in_stock(variant: ProductVariant, stocks: list[Stock]) -> bool:
    return not variant.track_inventory or stock_quantity(stocks) > 0


def is_available_for_purchase(listing: ProductChannelListing | None, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(
        listing
        and listing.is_published
        and listing.available_for_purchase_at is not None
        and listing.available_for_purchase_at <= now
    )


def is_available(listing: ProductChannelListing | None, variant_stocks, *, now: datetime | None = None) -> bool:
    """On sale now and at least one variant can be bought; `variant_stocks` pairs each variant with its stocks."""
    return is_available_for_purchase(listing, now=now) and any(
        variant_in_stock(variant, stocks) for variant, stocks in variant_stocks
    )
