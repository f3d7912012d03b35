"""Variants: prices (member price never above the price) and stock."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min

from catalog.errors import InvalidPrice, MemberPriceAboveListPrice
from catalog.models import (
    Product,
    ProductVariant,
    Stock,
    Warehouse,
)
from catalog.services.search_index import schedule_search_refresh
from mall.money import quantize


def clean_prices(price, member_price) -> tuple[Decimal, Decimal | None]:
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


@transaction.atomic
def create_variant(
    *,
    product: Product,
    sku: str,
    price,
    member_price=None,
    name: str = "",
    weight: Decimal | None = None,
    track_inventory: bool = True,
    quantity_limit_per_customer: int | None = None,
) -> ProductVariant:
    variant = ProductVariant(
        product=product,
        sku=sku,
        name=name,
        weight=weight,
        price_amount=price,
        member_price_amount=member_price,
        track_inventory=track_inventory,
        quantity_limit_per_customer=quantity_limit_per_customer,
    )
    return save_variant(variant)


@transaction.atomic
def save_variant(variant: ProductVariant) -> ProductVariant:
    """Check and save a new or edited variant; the product's price range and search text follow.

    The admin's variant rows are filled by a form and saved here, so they keep the same rules.
    """
    variant.price_amount, variant.member_price_amount = clean_prices(variant.price_amount, variant.member_price_amount)
    if variant.pk is None:
        variant.sort_order = variant.product.variants.count()
    variant.full_clean()
    variant.save()
    refresh_product_price_range(variant.product)
    schedule_search_refresh(variant.product)
    return variant


@transaction.atomic
def delete_variant(variant: ProductVariant) -> None:
    product = variant.product
    variant.delete()
    refresh_product_price_range(product)
    schedule_search_refresh(product)


@transaction.atomic
def update_variant_prices(*, variant: ProductVariant, price, member_price=None) -> ProductVariant:
    variant.price_amount, variant.member_price_amount = clean_prices(price, member_price)
    variant.full_clean()
    variant.save(update_fields=["price_amount", "member_price_amount", "updated_at"])
    refresh_product_price_range(variant.product)
    return variant


def refresh_product_price_range(product: Product) -> None:
    prices = product.variants.aggregate(low=Min("price_amount"), high=Max("price_amount"))
    Product.objects.filter(pk=product.pk).update(min_price=prices["low"], max_price=prices["high"])
    product.min_price, product.max_price = prices["low"], prices["high"]


@transaction.atomic
def set_stock(*, variant: ProductVariant, warehouse: Warehouse, quantity: int) -> Stock:
    """Set how many of a variant a warehouse holds; refused below what orders have allocated."""
    stock, _ = Stock.objects.select_for_update().get_or_create(warehouse=warehouse, product_variant=variant)
    stock.quantity = quantity
    stock.full_clean()
    stock.save(update_fields=["quantity"])
    return stock
