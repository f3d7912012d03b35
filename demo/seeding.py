"""Writes the demo data through catalog.services; whatever already exists (by slug, SKU or e-mail) is kept."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from catalog import services
from catalog.models import (
    Category,
    Channel,
    Collection,
    CollectionChannelListing,
    Merchant,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
    Stock,
    Warehouse,
)
from catalog.richtext import editorjs_from_paragraphs
from catalog.slugs import slug_from_name
from demo import catalogue, images, people
from demo.buying import seed_buying
from demo.content import seed_content
from demo.plans import ProductPlan, curated_plans, generated_plan
from demo.relief import seed_relief
from demo.relief_demo import seed_relief_demo
from demo.synonyms import seed_synonyms

PRESALE_DELAY = timedelta(days=10)
BULK_CHUNK = 1000
POOL_PER_LEAF = 2


@dataclass
class Context:
    channel: Channel
    central: Warehouse
    relief_hub: Warehouse
    categories: dict[str, Category]  # by name
    merchants: dict[str, Merchant]  # by slug
    product_types: dict[str, ProductType]  # by name

    def warehouse_for(self, plan: ProductPlan) -> Warehouse:
        return self.relief_hub if plan.merchant.relief else self.central


def seed(*, products: int = 0, log: Callable[[str], None] = lambda message: None) -> dict:
    """Create the demo catalogue (and, with `products`, generated products up to that many); return counts."""
    from search import indexing

    started = time.monotonic()
    with indexing.deferred():  # indexed once, at the end
        context = _base_data()
        created = _seed_curated(context, log)
        _seed_collections(context)
        seed_synonyms()
        seed_content()
        seed_buying(context.channel)
        generated = _seed_generated(context, products - len(curated_plans()), log) if products else 0
        _seed_operator()
        seed_relief()
        people.seed_people()
        relief = seed_relief_demo()
    _index_for_search()
    summary = _summary(context, created=created, generated=generated, seconds=time.monotonic() - started)
    return {**summary, "relief_orders": relief["orders"]}


# --- Channel, warehouses, categories, merchants -----------------------------------------
@transaction.atomic
def _index_for_search() -> None:
    """The demo is searchable the moment seeding ends, worker or not: the year of orders gives popularity,
    the products certified along the way are indexed again, and the suggestions know every name."""
    from search import indexing, popularity, suggestions

    popularity.refresh_popularity()
    indexing.index_stale_products(max_batches=10_000)
    suggestions.rebuild()


def _base_data() -> Context:
    channel = Channel.objects.filter(slug=catalogue.CHANNEL_SLUG).first() or services.create_channel(
        name=catalogue.CHANNEL_NAME, slug=catalogue.CHANNEL_SLUG
    )
    central, relief_hub = (
        Warehouse.objects.filter(slug=slug).first()
        or services.create_warehouse(
            name=name, slug=slug, channels=[channel], company_name="工会商城运营中心", street_address=address
        )
        for name, slug, address in (catalogue.CENTRAL_WAREHOUSE, catalogue.RELIEF_WAREHOUSE)
    )
    return Context(
        channel=channel,
        central=central,
        relief_hub=relief_hub,
        categories=_categories(),
        merchants=_merchants(),
        product_types={
            root.product_type: services.get_or_create_product_type(name=root.product_type)
            for root in catalogue.CATEGORIES
        },
    )


def _category(name: str, *, parent: Category | None, sort_order: int, text: str) -> Category:
    slug = slug_from_name(name)
    return Category.objects.filter(slug=slug).first() or services.create_category(
        name=name, slug=slug, parent=parent, sort_order=sort_order, description=editorjs_from_paragraphs(text)
    )


def _categories() -> dict[str, Category]:
    categories = {}
    for position, root in enumerate(catalogue.CATEGORIES):
        parent = _category(root.name, parent=None, sort_order=position, text=f"{root.name}：工会会员的放心之选。")
        categories[root.name] = parent
        for index, leaf in enumerate(root.leaves):
            text = f"{leaf.name}：{'，'.join(leaf.highlights)}。"
            categories[leaf.name] = _category(leaf.name, parent=parent, sort_order=index, text=text)
    return categories


def _merchants() -> dict[str, Merchant]:
    merchants = {}
    for data in catalogue.MERCHANTS:
        merchants[data.slug] = Merchant.objects.filter(slug=data.slug).first() or services.create_merchant(
            name=data.name,
            slug=data.slug,
            kind=Merchant.Kind.RELIEF_SUPPLIER if data.relief else Merchant.Kind.MEMBER_GOODS,
            region=data.region,
            description=data.description,
        )
    return merchants


# --- The hand-written catalogue, one product at a time ----------------------------------
def _seed_curated(context: Context, log) -> int:
    plans = curated_plans()
    existing = set(Product.objects.filter(slug__in=[plan.slug for plan in plans]).values_list("slug", flat=True))
    missing = [plan for plan in plans if plan.slug not in existing]
    for number, plan in enumerate(missing, start=1):
        _create_product(context, plan)
        if number % 50 == 0:
            log(f"  商品 {number}/{len(missing)}")
    return len(missing)


@transaction.atomic
def _create_product(context: Context, plan: ProductPlan) -> Product:
    product = services.create_product(
        product_type=context.product_types[plan.root.product_type],
        merchant=context.merchants[plan.merchant.slug],
        category=context.categories[plan.leaf.name],
        name=plan.name,
        slug=plan.slug,
        description=plan.description,
        seo_title=plan.name[:70],
    )
    for position, (attribute, value) in enumerate(plan.attributes):
        services.assign_attribute(product=product, attribute_name=attribute, value=value, sort_order=position)
    warehouse = context.warehouse_for(plan)
    for variant_plan in plan.variants:
        variant = services.create_variant(
            product=product,
            sku=variant_plan.sku,
            name=variant_plan.name,
            price=variant_plan.price,
            member_price=variant_plan.member_price,
        )
        services.set_stock(variant=variant, warehouse=warehouse, quantity=variant_plan.quantity)
    services.publish_product(
        product=product,
        channel=context.channel,
        is_published=plan.is_published,
        available_for_purchase_at=timezone.now() + PRESALE_DELAY if plan.presale else None,
    )
    picture = ContentFile(_card(plan), name=f"{plan.slug}.jpg")
    services.add_product_media(product=product, image=picture, alt=plan.name)
    return product


def _card(plan: ProductPlan, *, title: str | None = None) -> bytes:
    badge = "帮扶" if plan.merchant.relief else ("会员价" if plan.is_deal else "")
    return images.product_card(
        title=title or plan.name,
        label=f"{plan.root.name} · {plan.leaf.name}",
        footer=plan.merchant.region or plan.merchant.name,
        color=plan.root.color,
        badge=badge,
        ascii_title=plan.slug,
    )


# --- Collections ------------------------------------------------------------------------
def _seed_collections(context: Context) -> None:
    plans = curated_plans()
    members = {
        "relief-zone": [plan.slug for plan in plans if plan.merchant.relief],
        "member-deals": [plan.slug for plan in plans if plan.is_deal],
        "festival-gifts": [plan.slug for plan in plans if plan.is_gift],
    }
    for position, (slug, name, text) in enumerate(catalogue.COLLECTIONS):
        with transaction.atomic():
            collection = Collection.objects.filter(slug=slug).first() or services.create_collection(
                name=name, slug=slug, description=editorjs_from_paragraphs(text), sort_order=position, seo_title=name
            )
            products = Product.objects.filter(slug__in=members[slug]).order_by("name", "pk").only("pk")
            services.add_products_to_collection(collection=collection, products=products)
            listed = CollectionChannelListing.objects.filter(
                collection=collection, channel=context.channel, is_published=True
            )
            if not listed.exists():
                services.publish_collection(collection=collection, channel=context.channel)


# --- Large catalogues, in bulk ----------------------------------------------------------
def _seed_generated(context: Context, count: int, log) -> int:
    """Products 1…count of the generated catalogue that do not exist yet, BULK_CHUNK at a time."""
    if count <= 0:
        return 0
    pool = _image_pool()
    plans = [generated_plan(number) for number in range(1, count + 1)]
    existing = set(
        Product.objects.filter(slug__in=[plan.slug for plan in plans]).values_list("slug", flat=True).iterator()
    )
    missing = [plan for plan in plans if plan.slug not in existing]
    for start in range(0, len(missing), BULK_CHUNK):
        chunk = missing[start : start + BULK_CHUNK]
        services.bulk_create_products(drafts=[_draft(context, plan, pool) for plan in chunk], channel=context.channel)
        log(f"  生成商品 {start + len(chunk)}/{len(missing)}")
    return len(missing)


def _draft(context: Context, plan: ProductPlan, pool: dict[str, list[str]]) -> services.ProductDraft:
    warehouse = context.warehouse_for(plan)
    images_of_leaf = pool[plan.leaf.name]
    number = int(plan.slug.rsplit("-g", 1)[1])
    return services.ProductDraft(
        product_type=context.product_types[plan.root.product_type],
        merchant=context.merchants[plan.merchant.slug],
        category=context.categories[plan.leaf.name],
        name=plan.name,
        slug=plan.slug,
        description=plan.description,
        attributes=plan.attributes,
        images=((images_of_leaf[number % len(images_of_leaf)], plan.name),),
        variants=tuple(
            services.VariantDraft(
                sku=variant.sku,
                name=variant.name,
                price=variant.price,
                member_price=variant.member_price,
                stock=((warehouse, variant.quantity),),
            )
            for variant in plan.variants
        ),
    )


def _image_pool() -> dict[str, list[str]]:
    """A few shared pictures per category for generated products, drawn once into storage."""
    pool = {}
    for root in catalogue.CATEGORIES:
        for leaf in root.leaves:
            names = []
            for number in range(1, POOL_PER_LEAF + 1):
                name = f"products/demo-pool/{slug_from_name(leaf.name)}-{number}.jpg"
                if not default_storage.exists(name):
                    color = root.color if number == 1 else images.shade(root.color, -0.15)
                    picture = images.product_card(
                        title=leaf.name, label=root.name, footer="工会商城精选", color=color, ascii_title=leaf.name
                    )
                    name = default_storage.save(name, ContentFile(picture))
                names.append(name)
            pool[leaf.name] = names
    return pool


# --- Accounts and the summary -----------------------------------------------------------
def _seed_operator() -> None:
    User = get_user_model()
    if not User.objects.filter(email=catalogue.OPERATOR_EMAIL).exists():
        User.objects.create_superuser(
            catalogue.OPERATOR_EMAIL, catalogue.DEMO_PASSWORD, first_name="运营", last_name="演示"
        )


def _summary(context: Context, *, created: int, generated: int, seconds: float) -> dict:
    listings = ProductChannelListing.objects.filter(channel=context.channel)
    low = settings.LOW_STOCK_THRESHOLD
    return {
        "channel": f"{context.channel.name} ({context.channel.slug}, {context.channel.currency_code})",
        "products": Product.objects.count(),
        "created": created,
        "generated": generated,
        "unpublished": listings.filter(is_published=False).count(),
        "presale": listings.filter(is_published=True, available_for_purchase_at__gt=timezone.now()).count(),
        "variants": ProductVariant.objects.count(),
        "sold_out_products": Product.objects.annotate(
            units=Count("variants__stocks", filter=Q(variants__stocks__quantity__gt=0))
        )
        .filter(units=0)
        .count(),
        "low_stock_variants": Stock.objects.filter(quantity__gte=1, quantity__lte=low).count(),
        "categories": Category.objects.count(),
        "merchants": Merchant.objects.count(),
        "relief_suppliers": Merchant.objects.filter(kind=Merchant.Kind.RELIEF_SUPPLIER).count(),
        "warehouses": Warehouse.objects.filter(channels=context.channel).count(),
        "collections": Collection.objects.filter(slug__in=[slug for slug, _, _ in catalogue.COLLECTIONS]).count(),
        "images": ProductMedia.objects.count(),
        "operator": catalogue.OPERATOR_EMAIL,
        "password": catalogue.DEMO_PASSWORD,
        "seconds": round(seconds, 1),
    }
