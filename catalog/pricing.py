"""Prices and availability of loaded products (see selectors.with_listing_data): no queries here."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from catalog.models import Product, ProductChannelListing, ProductVariant
from mall.money import Money, MoneyRange


@dataclass(frozen=True)
class VariantPricing:
    price: Money
    price_undiscounted: Money
    member_price: Money | None
    on_sale: bool = False


@dataclass(frozen=True)
class ProductPricing:
    price_range: MoneyRange | None
    price_range_undiscounted: MoneyRange | None
    member_price_range: MoneyRange | None
    on_sale: bool = False


def variant_pricing(variant: ProductVariant) -> VariantPricing:
    price = Money(variant.price_amount, variant.currency)
    member_price = (
        Money(variant.member_price_amount, variant.currency) if variant.member_price_amount is not None else None
    )
    # No promotions exist yet, so the undiscounted price is the price.
    return VariantPricing(price=price, price_undiscounted=price, member_price=member_price)


def _range(amounts, currency) -> MoneyRange | None:
    amounts = [amount for amount in amounts if amount is not None]
    if not amounts:
        return None
    return MoneyRange(Money(min(amounts), currency), Money(max(amounts), currency))


def product_pricing(product: Product) -> ProductPricing:
    variants = product.listed_variants
    currency = variants[0].currency if variants else "CNY"
    price_range = _range([variant.price_amount for variant in variants], currency)
    member_range = _range([variant.member_price_amount for variant in variants], currency)
    return ProductPricing(
        price_range=price_range, price_range_undiscounted=price_range, member_price_range=member_range
    )


def channel_listing(product: Product) -> ProductChannelListing | None:
    listings = getattr(product, "channel_listing_list", None)
    if listings is None:
        raise RuntimeError("Load the product with catalog.selectors.with_listing_data first.")
    return listings[0] if listings else None


def quantity_available(variant: ProductVariant) -> int:
    """Units of a variant that can still be bought in the loaded channel's warehouses."""
    return sum(stock.quantity_available for stock in variant.channel_stocks)


def variant_in_stock(variant: ProductVariant) -> bool:
    return not variant.track_inventory or quantity_available(variant) > 0


def is_available_for_purchase(product: Product, *, now: datetime | None = None) -> bool:
    listing = channel_listing(product)
    now = now or timezone.now()
    return bool(
        listing
        and listing.is_published
        and listing.available_for_purchase_at is not None
        and listing.available_for_purchase_at <= now
    )


def is_available(product: Product, *, now: datetime | None = None) -> bool:
    """On sale now and at least one variant can be bought."""
    return is_available_for_purchase(product, now=now) and any(
        variant_in_stock(variant) for variant in product.listed_variants
    )
