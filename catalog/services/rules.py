"""The rules every way of writing products applies: the one-by-one services and bulk creation both call
these, so the two can never drift apart (prices, price ranges, derived text, field checks, attributes,
channel listing times)."""

from datetime import datetime
from decimal import Decimal

from catalog.errors import InvalidPrice, MemberPriceAboveListPrice
from catalog.models import Attribute, AttributeValue, Product, ProductVariant
from catalog.richtext import editorjs_to_plaintext
from catalog.slugs import slug_from_name
from mall.money import quantize

# Bulk creation passes rows it already holds for these, so checking that each exists (a query per
# row and field) is skipped there; uniqueness is checked for the whole batch at once instead.
PRODUCT_RELATIONS = ["product_type", "merchant", "category"]


def clean_prices(price, member_price) -> tuple[Decimal, Decimal | None]:
    """Prices rounded to the cent; none negative, and the member price never above the price."""
    try:
        price = quantize(price)
        member_price = quantize(member_price) if member_price is not None else None
    except (TypeError, ValueError) as error:
        raise InvalidPrice(str(error)) from error
    if price < 0:
        raise InvalidPrice("售价不能为负数。")
    if member_price is not None and member_price < 0:
        raise InvalidPrice("会员价不能为负数。", field="memberPrice")
    if member_price is not None and member_price > price:
        raise MemberPriceAboveListPrice(price, member_price)
    return price, member_price


def price_range(prices) -> tuple[Decimal | None, Decimal | None]:
    """A product's denormalised (min_price, max_price): the range of its variants' prices."""
    prices = list(prices)
    return (min(prices), max(prices)) if prices else (None, None)


def check_product(product: Product, *, in_bulk: bool = False) -> None:
    """Fill the product's plain-text description and check its fields (and, one by one, its uniqueness)."""
    product.description_plaintext = editorjs_to_plaintext(product.description)
    if in_bulk:
        product.full_clean(
            exclude=["search_vector", "search_name_vector", *PRODUCT_RELATIONS],
            validate_unique=False,
            validate_constraints=False,
        )
    else:
        product.full_clean(exclude=["search_vector", "search_name_vector"])


def check_variant(variant: ProductVariant, *, in_bulk: bool = False) -> None:
    """Round and check the variant's prices, then its fields (and, one by one, its uniqueness)."""
    variant.price_amount, variant.member_price_amount = clean_prices(variant.price_amount, variant.member_price_amount)
    if in_bulk:
        variant.full_clean(exclude=["product"], validate_unique=False, validate_constraints=False)
    else:
        variant.full_clean()


def attribute_value(attribute_name: str, value: str) -> AttributeValue:
    """The value of an attribute (产地: 云南省保山市), creating either when new; both found by their slugs."""
    attribute, _ = Attribute.objects.get_or_create(
        slug=slug_from_name(attribute_name), defaults={"name": attribute_name}
    )
    attribute_value, _ = AttributeValue.objects.get_or_create(
        attribute=attribute, slug=slug_from_name(value), defaults={"name": value}
    )
    return attribute_value


def listing_times(
    *, now: datetime, published_at: datetime | None, available_for_purchase_at: datetime | None
) -> dict[str, datetime]:
    """A channel listing's times: both default to now (published and on sale at once)."""
    return {"published_at": published_at or now, "available_for_purchase_at": available_for_purchase_at or now}
