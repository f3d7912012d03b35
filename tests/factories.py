"""Test data built through the catalogue services, so tests see what the API and pages create."""

import itertools
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image

from catalog import services
from catalog.models import Channel, Merchant, Warehouse
from catalog.richtext import editorjs_from_paragraphs

_sequence = itertools.count(1)


def next_number() -> int:
    return next(_sequence)


def channel(slug: str = "union-mall", name: str = "工会商城") -> Channel:
    existing = Channel.objects.filter(slug=slug).first()
    return existing or services.create_channel(name=name, slug=slug)


def merchant(name: str | None = None, **fields) -> Merchant:
    return services.create_merchant(name=name or f"商户{next_number()}", **fields)


def warehouse(channels=(), name: str | None = None) -> Warehouse:
    return services.create_warehouse(name=name or f"仓库{next_number()}", channels=channels)


def category(name: str | None = None, parent=None, **fields):
    return services.create_category(name=name or f"分类{next_number()}", parent=parent, **fields)


def product(
    *,
    channel: Channel,
    name: str | None = None,
    category=None,
    merchant=None,
    price: str = "10.00",
    member_price: str | None = None,
    quantity: int = 10,
    warehouse: Warehouse | None = None,
    published: bool = True,
    variants: int = 1,
    **product_fields,
):
    """A product with `variants` variants priced from `price`, stocked in `warehouse`, published in `channel`."""
    number = next_number()
    created = services.create_product(
        product_type=services.get_or_create_product_type(name="农产品"),
        merchant=merchant or globals()["merchant"](),
        category=category,
        name=name or f"商品{number}",
        description=editorjs_from_paragraphs("产地直供，新鲜采摘。"),
        **product_fields,
    )
    stock_in = warehouse or globals()["warehouse"](channels=[channel])
    for index in range(variants):
        variant = services.create_variant(
            product=created,
            sku=f"SKU-{number}-{index}",
            name=f"规格{index + 1}",
            price=Decimal(price) + index,
            member_price=Decimal(member_price) + index if member_price is not None else None,
        )
        services.set_stock(variant=variant, warehouse=stock_in, quantity=quantity)
    if published:
        services.publish_product(product=created, channel=channel)
    return created


def collection(*, channel: Channel, slug: str, name: str | None = None, products=(), published: bool = True):
    """A collection (商品专区) holding `products` in order, published in `channel`."""
    created = services.create_collection(name=name or slug, slug=slug)
    services.add_products_to_collection(collection=created, products=products)
    if published:
        services.publish_collection(collection=created, channel=channel)
    return created


def png_file(name: str = "picture.png", *, color=(200, 40, 40), size=(64, 64)):
    """A small real PNG image, as an uploaded file would be."""
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def product_image(product, *, color=(200, 40, 40), alt: str = ""):
    """Add a PNG picture to a product's gallery (point MEDIA_ROOT at a tmp_path first)."""
    return services.add_product_media(product=product, image=png_file(f"{product.slug}.png", color=color), alt=alt)


def grassroots_union(code: str, name: str):
    """A grassroots union (level 3) under a small test tree 测试市总工会 → 测试区总工会 → 测试街道工会, made
    once and shared: members belong to grassroots unions only."""
    from branches.models import UnionBranch
    from branches.services import create_union_branch

    def existing_or(code: str, name: str, parent, kind: str):
        return UnionBranch.objects.filter(code=code).first() or create_union_branch(
            code=code, name=name, parent=parent, kind=kind
        )

    city = existing_or("T-CITY", "测试市总工会", None, "federation")
    district = existing_or("T-DISTRICT", "测试区总工会", city, "federation")
    street = existing_or("T-STREET", "测试街道工会", district, "street")
    return create_union_branch(code=code, name=name, parent=street, kind="enterprise")
