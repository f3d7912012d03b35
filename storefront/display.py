"""What pages show of loaded products (see catalog.selectors.with_listing_data): cards, stock states, detail parts.

Nothing here queries the database: it shapes rows that the selectors have already loaded. Prices are
those that apply to the viewer (catalog.pricing): `member` says whether the viewer pays member prices.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalog import pricing, selectors
from catalog.models import Merchant, Product, ProductMedia, ProductVariant
from catalog.richtext import editorjs_to_html
from catalog.thumbnails import thumbnail_url
from mall.money import Money

CARD_IMAGE_SIZE = 512
GALLERY_IMAGE_SIZE = 1024
GALLERY_THUMBNAIL_SIZE = 128
# catalog.services.assign_attribute(attribute_name="产地") stores the origin under this slug (pinyin).
ORIGIN_ATTRIBUTE_SLUG = "chan-di"


@dataclass(frozen=True)
class StockState:
    code: str
    label: str | Promise


IN_STOCK = StockState("in-stock", _("In stock"))
LOW_STOCK = StockState("low-stock", _("Low stock"))
OUT_OF_STOCK = StockState("out-of-stock", _("Out of stock"))
STOCK_STATES_BEST_FIRST = (IN_STOCK, LOW_STOCK, OUT_OF_STOCK)

MERCHANT_KIND_LABELS = {
    Merchant.Kind.MEMBER_GOODS: _("Member goods merchant"),
    Merchant.Kind.RELIEF_SUPPLIER: _("Relief supplier"),
}


def variant_stock_state(variant: ProductVariant) -> StockState:
    if not variant.track_inventory:
        return IN_STOCK
    quantity = pricing.stock_quantity(variant.channel_stocks)
    if quantity <= 0:
        return OUT_OF_STOCK
    if quantity <= settings.LOW_STOCK_THRESHOLD:
        return LOW_STOCK
    return IN_STOCK


def product_stock_state(product: Product) -> StockState:
    """The best state among the variants: a product is in stock when any variant is."""
    states = [variant_stock_state(variant) for variant in product.listed_variants]
    return min(states, key=STOCK_STATES_BEST_FIRST.index, default=OUT_OF_STOCK)


def product_url(product: Product) -> str:
    return reverse("storefront:product", kwargs={"slug": product.slug})


def media_url(media: ProductMedia, size: int) -> str:
    return thumbnail_url("ProductMedia", media.pk, size=size, format="WEBP")


# --- Product cards ----------------------------------------------------------------------
@dataclass(frozen=True)
class ProductCard:
    """`price` is what the viewer pays (from, when `price_varies`). The other price is shown for
    comparison: `member_price` to those who pay list prices, `list_price` to a verified member who
    pays less than it (then `pays_member_price` is true)."""

    name: str
    url: str
    image_url: str | None
    image_alt: str
    price: Money | None
    price_varies: bool
    member_price: Money | None
    stock_state: StockState
    merchant_name: str
    is_relief: bool
    list_price: Money | None = None
    pays_member_price: bool = False


def _comparison(price: Money | None, list_price: Money | None, member_price: Money | None, *, member: bool):
    """(member_price, list_price) to show beside `price`: the one the viewer does not pay, when it differs."""
    if member:
        return None, list_price if list_price and price and list_price.amount > price.amount else None
    return member_price, None


def product_card(product: Product, *, member: bool = False) -> ProductCard:
    prices = pricing.product_pricing(product.listed_variants, member=member)
    price_range, member_range = prices.price_range, prices.member_price_range
    price = price_range.start if price_range else None
    member_price, list_price = _comparison(
        price,
        prices.price_range_undiscounted.start if prices.price_range_undiscounted else None,
        member_range.start if member_range else None,
        member=member,
    )
    first_media = next(iter(product.listed_media), None)
    return ProductCard(
        name=product.name,
        url=product_url(product),
        image_url=media_url(first_media, CARD_IMAGE_SIZE) if first_media else None,
        image_alt=(first_media.alt if first_media else "") or product.name,
        price=price,
        price_varies=bool(price_range and price_range.start != price_range.stop),
        member_price=member_price,
        stock_state=product_stock_state(product),
        merchant_name=product.merchant.name,
        is_relief=product.merchant.kind == Merchant.Kind.RELIEF_SUPPLIER,
        list_price=list_price,
        pays_member_price=bool(list_price),
    )


def product_cards(products, *, member: bool = False) -> list[ProductCard]:
    return [product_card(product, member=member) for product in products]


# --- The product page -------------------------------------------------------------------
@dataclass(frozen=True)
class GalleryImage:
    url: str
    thumbnail_url: str
    alt: str


@dataclass(frozen=True)
class VariantRow:
    """Prices as on ProductCard: `price` is what the viewer pays, the other one is for comparison."""

    name: str
    sku: str
    price: Money
    member_price: Money | None
    stock_state: StockState
    quantity_limit_per_customer: int | None
    list_price: Money | None = None
    pays_member_price: bool = False
    id: int | None = None


@dataclass(frozen=True)
class AttributeRow:
    name: str
    value: str


@dataclass(frozen=True)
class ProductDetail:
    name: str
    card: ProductCard
    gallery: list[GalleryImage]
    variants: list[VariantRow]
    origin: str
    attributes: list[AttributeRow]
    description_html: str
    merchant: Merchant
    merchant_kind: str | Promise
    is_on_sale: bool


def gallery(product: Product) -> list[GalleryImage]:
    return [
        GalleryImage(
            url=media_url(media, GALLERY_IMAGE_SIZE),
            thumbnail_url=media_url(media, GALLERY_THUMBNAIL_SIZE),
            alt=media.alt or product.name,
        )
        for media in product.listed_media
        if media.type == ProductMedia.Type.IMAGE and media.image
    ]


def variant_rows(product: Product, *, member: bool = False) -> list[VariantRow]:
    rows = []
    for variant in product.listed_variants:
        prices = pricing.variant_pricing(variant, member=member)
        member_price, list_price = _comparison(
            prices.price, prices.price_undiscounted, prices.member_price, member=member
        )
        rows.append(
            VariantRow(
                name=variant.name or variant.sku,
                sku=variant.sku,
                price=prices.price,
                member_price=member_price,
                stock_state=variant_stock_state(variant),
                quantity_limit_per_customer=variant.quantity_limit_per_customer,
                list_price=list_price,
                pays_member_price=bool(list_price),
                id=variant.pk,
            )
        )
    return rows


def attribute_rows(product: Product) -> tuple[str, list[AttributeRow]]:
    """The origin (产地) and the other visible attributes, values of one attribute joined."""
    origin = ""
    rows = []
    for attribute, values in selectors.visible_attributes(product.attribute_values.all()):
        text = "、".join(value.name for value in values)
        if attribute.slug == ORIGIN_ATTRIBUTE_SLUG:
            origin = text
        else:
            rows.append(AttributeRow(name=attribute.name, value=text))
    return origin, rows


def product_detail(product: Product, *, member: bool = False) -> ProductDetail:
    """Load the product with catalog.selectors.product_detail (with its attributes) first."""
    origin, attributes = attribute_rows(product)
    listing = next(iter(product.channel_listing_list), None)
    return ProductDetail(
        name=product.name,
        card=product_card(product, member=member),
        gallery=gallery(product),
        variants=variant_rows(product, member=member),
        origin=origin,
        attributes=attributes,
        description_html=editorjs_to_html(product.description),
        merchant=product.merchant,
        merchant_kind=MERCHANT_KIND_LABELS.get(product.merchant.kind, ""),
        is_on_sale=pricing.is_available_for_purchase(listing),
    )
