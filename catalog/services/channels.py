"""Channels, the merchants who sell in them and the warehouses they ship from."""

from django.db import transaction

from catalog.models import (
    Channel,
    Merchant,
    Warehouse,
)
from catalog.slugs import unique_slug
from mall.money import default_currency


def create_channel(*, name: str, slug: str, currency_code: str | None = None) -> Channel:
    channel = Channel(name=name, slug=slug, currency_code=currency_code or default_currency())
    channel.full_clean()
    channel.save()
    return channel


def create_merchant(*, name: str, slug: str | None = None, kind=Merchant.Kind.MEMBER_GOODS, **fields) -> Merchant:
    merchant = Merchant(name=name, slug=slug or unique_slug(Merchant, name), kind=kind, **fields)
    merchant.full_clean()
    merchant.save()
    return merchant


@transaction.atomic
def create_warehouse(*, name: str, slug: str | None = None, channels=(), **fields) -> Warehouse:
    warehouse = Warehouse(name=name, slug=slug or unique_slug(Warehouse, name), **fields)
    warehouse.full_clean()
    warehouse.save()
    warehouse.channels.set(channels)
    return warehouse


def mark_relief_supplier(merchant: Merchant, *, region_label: str = "") -> Merchant:
    """Make `merchant` a relief supplier (帮扶供应商); relief sourcing calls this when it registers one."""
    merchant.kind = Merchant.Kind.RELIEF_SUPPLIER.value
    fields = ["kind"]
    if region_label:
        merchant.region = region_label
        fields.append("region")
    merchant.full_clean()
    merchant.save(update_fields=fields)
    return merchant
