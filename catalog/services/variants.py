"""Variants: prices (member price never above the price) and stock."""

from decimal import Decimal

from django.db import transaction

from catalog.models import (
    Product,
    ProductVariant,
    Stock,
    Warehouse,
)
from catalog.services.rules import check_variant, clean_prices, price_range
from catalog.services.search_index import schedule_search_refresh


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
    if variant.pk is None:
        variant.sort_order = variant.product.variants.count()
    check_variant(variant)
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
    product.min_price, product.max_price = price_range(product.variants.values_list("price_amount", flat=True))
    Product.objects.filter(pk=product.pk).update(min_price=product.min_price, max_price=product.max_price)


@transaction.atomic
def set_stock(*, variant: ProductVariant, warehouse: Warehouse, quantity: int) -> Stock:
    """Set how many of a variant a warehouse holds; refused below what orders have allocated."""
    stock, _ = Stock.objects.select_for_update().get_or_create(warehouse=warehouse, product_variant=variant)
    stock.quantity = quantity
    stock.full_clean()
    stock.save(update_fields=["quantity"])
    return stock
