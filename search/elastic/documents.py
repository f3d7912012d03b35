"""The product document in Elasticsearch, and how it is built from the database.

What is found by text: name, category path, partner region, description, merchant (analysed by the Chinese
analyzer of search.elastic.analysis), and the pinyin of the name and category words (full and initials,
worked out in Python with pypinyin so that no ES pinyin plugin is needed). What is filtered and counted:
category ids (the category and its ancestors, so a parent category finds its branch), prices, the relief
certifications with their validity as a date range (so "certified today" is read at query time, not at
indexing time), and each channel listing with its dates and stock. Popularity lifts the score a little.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from elasticsearch_dsl import (
    Boolean,
    Completion,
    Date,
    DateRange,
    Document,
    InnerDoc,
    Integer,
    Keyword,
    Nested,
    ScaledFloat,
    Text,
)

from catalog.models import Category, Product, ProductVariant, Stock, Warehouse
from search import text as search_text
from search.elastic.analysis import PINYIN_ANALYZER, SUGGEST_ANALYZER, TEXT_ANALYZER, TEXT_SEARCH_ANALYZER

# Completion inputs longer than this are cut by Elasticsearch anyway (its default max_input_length).
SUGGEST_INPUT_LENGTH = 50
CATEGORY_SEPARATOR = " / "


def _text(**kwargs) -> Text:
    return Text(analyzer=TEXT_ANALYZER, search_analyzer=TEXT_SEARCH_ANALYZER, **kwargs)


def _pinyin() -> Text:
    return Text(analyzer=PINYIN_ANALYZER)


class Certification(InnerDoc):
    """A relief certification naming the product, with the partner county it certifies as origin."""

    number = Keyword()
    status = Keyword()
    region_code = Keyword()
    province = Keyword()
    prefecture = Keyword()
    county = Keyword()
    valid = DateRange(format="yyyy-MM-dd")


class Listing(InnerDoc):
    """The product in one channel: shown from `published_at`, on sale from `available_from`, with stock or not."""

    channel_id = Integer()
    published = Boolean()
    published_at = Date()
    visible_in_listings = Boolean()
    available_from = Date()
    in_stock = Boolean()


class ProductDocument(Document):
    id = Integer()
    slug = Keyword(index=False)
    name = _text(fields={"raw": Keyword()})
    description = _text()
    category_path = _text()
    category_id = Integer()
    category_ids = Integer(multi=True)
    merchant = _text()
    merchant_id = Integer()
    # The partner regions the product comes from, as words (怒江 finds 怒江州's products), and the merchant's region.
    region = _text()
    pinyin = _pinyin()
    initials = _pinyin()
    category_pinyin = _pinyin()
    price = ScaledFloat(scaling_factor=100)  # the lowest variant price
    price_max = ScaledFloat(scaling_factor=100)
    member_price = ScaledFloat(scaling_factor=100)  # the lowest price a verified member pays
    relief_certified = Boolean()  # at indexing time, for reading; queries use the certifications' dates
    certifications = Nested(Certification)
    listings = Nested(Listing)
    popularity = Integer()
    suggest = Completion(
        analyzer=SUGGEST_ANALYZER,
        contexts=[{"name": "channel", "type": "category"}],
        max_input_length=SUGGEST_INPUT_LENGTH,
    )


@dataclass
class IndexingContext:
    """What every document of a batch shares, loaded once: the category tree and which channels each
    warehouse serves."""

    categories: dict[int, Category]
    warehouse_channels: dict[int, set[int]] = field(default_factory=dict)
    today: object = None
    now: object = None

    @classmethod
    def load(cls) -> IndexingContext:
        categories = {category.pk: category for category in Category.objects.only("id", "name", "tree_path")}
        warehouse_channels = defaultdict(set)
        for warehouse_id, channel_id in Warehouse.channels.through.objects.values_list("warehouse_id", "channel_id"):
            warehouse_channels[warehouse_id].add(channel_id)
        return cls(categories, dict(warehouse_channels), timezone.localdate(), timezone.now())

    def category_path(self, category: Category | None) -> list[Category]:
        if category is None:
            return []
        ids = [int(part) for part in category.tree_path.strip("/").split("/") if part] or [category.pk]
        return [self.categories[pk] for pk in ids if pk in self.categories]


def products_for_indexing(product_ids: Iterable[int] | None = None):
    """Products with everything their documents read, in a fixed number of queries per batch."""
    from relief_sourcing.models import ReliefCertification

    queryset = Product.objects.select_related("merchant", "category").defer(
        "search_vector", "search_document", "description"
    )
    if product_ids is not None:
        queryset = queryset.filter(pk__in=list(product_ids))
    return queryset.order_by("pk").prefetch_related(
        Prefetch(
            "variants",
            queryset=ProductVariant.objects.prefetch_related(
                Prefetch(
                    "stocks",
                    queryset=Stock.objects.only("warehouse_id", "product_variant_id", "quantity", "quantity_allocated"),
                )
            ),
        ),
        "channel_listings",
        Prefetch("relief_certifications", queryset=ReliefCertification.objects.select_related("origin")),
    )


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(search_text.segment(text)))


def pinyin_tokens(text: str) -> tuple[str, str]:
    """The full pinyin and the initials of every word of `text` and of the whole text, space separated:
    赣南脐橙 → ("gannanqicheng gannan qicheng", "gnqc gn qc"); 5L电压力锅 also gives "dianyaliguo"."""
    han_only = "".join(char for char in text if search_text.has_han(char))
    words = [text, han_only, *_words(text)] if han_only else _words(text)
    full = [search_text.pinyin_full(word) for word in words if search_text.has_han(word)]
    initials = [search_text.pinyin_initials(word) for word in words if search_text.has_han(word)]
    return " ".join(dict.fromkeys(filter(None, full))), " ".join(dict.fromkeys(filter(None, initials)))


def suggest_inputs(name: str) -> list[str]:
    """What typing reaches a product by: its name, each word in it, and their pinyin and initials."""
    words = [name, *(word for word in _words(name) if len(word) > 1)]
    inputs = []
    for word in words:
        inputs.append(word)
        if search_text.has_han(word):
            inputs += [search_text.pinyin_full(word), search_text.pinyin_initials(word)]
    return [value[:SUGGEST_INPUT_LENGTH] for value in dict.fromkeys(value.lower() for value in inputs if value)]


def _listing(listing, variants, context: IndexingContext) -> dict:
    channel_id = listing.channel_id
    in_stock = any(
        not variant.track_inventory
        or any(
            stock.quantity > stock.quantity_allocated
            and channel_id in context.warehouse_channels.get(stock.warehouse_id, ())
            for stock in variant.stocks.all()
        )
        for variant in variants
    )
    return {
        "channel_id": channel_id,
        "published": listing.is_published,
        "published_at": listing.published_at,
        "visible_in_listings": listing.visible_in_listings,
        "available_from": listing.available_for_purchase_at,
        "in_stock": in_stock,
    }


def _certification(certification) -> dict:
    origin = certification.origin
    return {
        "number": certification.number,
        "status": certification.status,
        "region_code": origin.code,
        "province": origin.province,
        "prefecture": origin.prefecture,
        "county": origin.county,
        "valid": {"gte": certification.valid_from.isoformat(), "lte": certification.valid_to.isoformat()},
    }


def _is_valid(certification, today) -> bool:
    return certification.status == "VALID" and certification.valid_from <= today <= certification.valid_to


def build_document(product: Product, context: IndexingContext) -> ProductDocument:
    """The document of one product loaded by products_for_indexing()."""
    variants = list(product.variants.all())
    certifications = list(product.relief_certifications.all())
    listings = [_listing(listing, variants, context) for listing in product.channel_listings.all()]
    path = context.category_path(product.category)
    member_prices = [
        variant.member_price_amount if variant.member_price_amount is not None else variant.price_amount
        for variant in variants
    ]
    regions = [
        " ".join(part for part in (c.origin.province, c.origin.prefecture, c.origin.county) if part)
        for c in certifications
        if c.status == "VALID"
    ]
    pinyin, initials = pinyin_tokens(product.name)
    category_pinyin = " ".join(dict.fromkeys(" ".join(" ".join(pinyin_tokens(c.name)) for c in path).split()))
    published_channels = sorted({str(row["channel_id"]) for row in listings if row["published"]})
    return ProductDocument(
        meta={"id": product.pk},
        id=product.pk,
        slug=product.slug,
        name=product.name,
        description=product.description_plaintext,
        category_path=CATEGORY_SEPARATOR.join(category.name for category in path),
        category_id=product.category_id,
        category_ids=[category.pk for category in path],
        merchant=product.merchant.name,
        merchant_id=product.merchant_id,
        region=" ".join(dict.fromkeys(filter(None, [*regions, product.merchant.region]))),
        pinyin=pinyin,
        initials=initials,
        category_pinyin=category_pinyin,
        price=product.min_price,
        price_max=product.max_price,
        member_price=min(member_prices) if member_prices else None,
        relief_certified=any(_is_valid(c, context.today) for c in certifications),
        certifications=[_certification(c) for c in certifications],
        listings=listings,
        popularity=product.popularity,
        suggest={
            "input": suggest_inputs(product.name),
            "weight": min(product.popularity, 2**31 - 2) + 1,
            # A completion needs a context value; "none" stands for a product listed in no channel.
            "contexts": {"channel": published_channels or ["none"]},
        },
    )
