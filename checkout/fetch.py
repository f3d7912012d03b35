"""Loading checkouts with everything their prices and checks need, in a fixed number of queries."""

from collections import defaultdict
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

    @property
    def requires_shipping(self) -> bool:
        return self.variant.product.product_type.is_shipping_required


def _lines_in_channel(channel, checkout_ids):
    return (
        CheckoutLine.objects.filter(checkout_id__in=checkout_ids)
        .select_related("variant__product__product_type", "variant__product__merchant")
        .defer(
            "variant__product__search_document",
            "variant__product__search_vector",
            "variant__product__search_name_vector",
        )
        .prefetch_related(
            Prefetch("variant__stocks", queryset=channel_stocks(channel), to_attr="channel_stocks"),
            Prefetch(
                "variant__product__channel_listings",
                queryset=ProductChannelListing.objects.filter(channel_id=channel.pk),
                to_attr="channel_listing_list",
            ),
        )
        .order_by("created_at", "id")
    )


def fetch_checkout_lines(checkout: Checkout) -> list[CheckoutLineInfo]:
    """The checkout's lines in their order, each with variant, product, listing and stocks (3 queries)."""
    return fetch_lines_of_checkouts([checkout])[checkout.pk]


def fetch_lines_of_checkouts(checkouts) -> dict:
    """{checkout token: its lines as fetch_checkout_lines gives them}: 3 queries per channel."""
    by_channel = defaultdict(list)
    for checkout in checkouts:
        by_channel[checkout.channel_id].append(checkout)
    found = {checkout.pk: [] for checkout in checkouts}
    for group in by_channel.values():
        for line in _lines_in_channel(group[0].channel, [checkout.pk for checkout in group]):
            found[line.checkout_id].append(line_info(line))
    return found


def line_info(line: CheckoutLine) -> CheckoutLineInfo:
    variant = line.variant
    listings = variant.product.channel_listing_list
    return CheckoutLineInfo(
        line=line, variant=variant, listing=listings[0] if listings else None, stocks=variant.channel_stocks
    )


def fetch_variants(channel, variant_ids) -> dict[int, CheckoutLineInfo]:
    """{variant id: the variant with its product, listing and stocks in `channel`} for variants about
    to be put in a checkout; `line` is None in these. Unknown ids are left out (3 queries)."""
    variants = (
        ProductVariant.objects.filter(pk__in=list(variant_ids))
        .select_related("product__product_type")
        .defer("product__search_document", "product__search_vector", "product__search_name_vector")
        .prefetch_related(
            Prefetch("stocks", queryset=channel_stocks(channel), to_attr="channel_stocks"),
            Prefetch(
                "product__channel_listings",
                queryset=ProductChannelListing.objects.filter(channel_id=channel.pk),
                to_attr="channel_listing_list",
            ),
        )
    )
    return {
        variant.pk: CheckoutLineInfo(
            line=None,
            variant=variant,
            listing=(variant.product.channel_listing_list or [None])[0],
            stocks=variant.channel_stocks,
        )
        for variant in variants
    }
