"""Loading a checkout with everything its prices and checks need, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch

from catalog.models import ProductChannelListing, ProductVariant, Stock
from catalog.selectors import channel_stocks
from checkout.models import Checkout, CheckoutLine


@dataclass(frozen=True)
class CheckoutLineInfo:
    """A checkout line with its variant, the product's listing in the checkout's channel (or None)
    and the variant's stock rows in that channel's warehouses."""

    line: CheckoutLine
    variant: ProductVariant
    listing: ProductChannelListing | None
    stocks: list[Stock]

    @property
    def product(self):
        return self.variant.product


def fetch_checkout_lines(checkout: Checkout) -> list[CheckoutLineInfo]:
    """The checkout's lines in their order, each with variant, product, listing and stocks (3 queries)."""
    lines = (
        CheckoutLine.objects.filter(checkout=checkout)
        .select_related("variant__product__product_type", "variant__product__merchant")
        .prefetch_related(
            Prefetch("variant__stocks", queryset=channel_stocks(checkout.channel), to_attr="channel_stocks"),
            Prefetch(
                "variant__product__channel_listings",
                queryset=ProductChannelListing.objects.filter(channel_id=checkout.channel_id),
                to_attr="channel_listing_list",
            ),
        )
        .order_by("created_at", "id")
    )
    return [line_info(line) for line in lines]


def line_info(line: CheckoutLine) -> CheckoutLineInfo:
    variant = line.variant
    listings = variant.product.channel_listing_list
    return CheckoutLineInfo(
        line=line, variant=variant, listing=listings[0] if listings else None, stocks=variant.channel_stocks
    )
