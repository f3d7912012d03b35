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
