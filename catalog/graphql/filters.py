"""Filter inputs of the catalogue API (Saleor's names) and their translation to selector filters."""

from decimal import Decimal

import graphene

from catalog.selectors import ProductFilter
from mall.graphql.ids import from_global_ids_or_error


class PriceRangeInput(graphene.InputObjectType):
    gte = graphene.Float(description="Price greater than or equal to.")
    lte = graphene.Float(description="Price less than or equal to.")


class StockAvailability(graphene.Enum):
    IN_STOCK = "IN_STOCK"
    OUT_OF_STOCK = "OUT_OF_STOCK"


class ProductFilterInput(graphene.InputObjectType):
    search = graphene.String(
        description="Words that each matching product's name, merchant, category, "
        "attributes or description contain (Chinese is segmented with jieba)."
    )
    categories = graphene.List(
        graphene.NonNull(graphene.ID), description="Products in these categories or any category below them."
    )
    collections = graphene.List(graphene.NonNull(graphene.ID), description="Products in any of these collections.")
    merchants = graphene.List(
        graphene.NonNull(graphene.ID),
        description="Union Mall extension: products sold by any of these merchants (商户).",
    )
    ids = graphene.List(graphene.NonNull(graphene.ID), description="Products with these IDs.")
    price = graphene.Field(
        PriceRangeInput, description="Products with a variant priced within the range (prices include VAT)."
    )
    is_available = graphene.Boolean(
        description="Products that can (true) or cannot (false) be bought now in the channel: "
        "on sale and with stock in one of its warehouses."
    )

    stock_availability = StockAvailability(
        description="Products with (IN_STOCK) or without (OUT_OF_STOCK) stock left in a warehouse of the channel.",
    )
    partner_regions = graphene.List(
        graphene.NonNull(graphene.String),
        description="Union Mall extension: products whose relief certification in force names one of these "
        "partner regions (county codes, GB/T 2260) as origin.",
    )
    relief_certified = graphene.Boolean(
        description="Union Mall extension: products with (true) or without (false) a relief certification in force."
    )
    price_bucket = graphene.String(
        description="Union Mall extension: one bucket of the price facet by its value "
        "(0-50, 50-100, 100-200, 200-500, 500-), on the product's lowest price."
    )

    class Meta:
        description = "Filtering options for products."


class CategoryFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of the category's name or slug.")
    ids = graphene.List(graphene.NonNull(graphene.ID), description="Categories with these IDs.")
    slugs = graphene.List(graphene.NonNull(graphene.String), description="Categories with these slugs.")

    class Meta:
        description = "Filtering options for categories."


class CollectionFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of the collection's name or slug.")
    ids = graphene.List(graphene.NonNull(graphene.ID), description="Collections with these IDs.")
    slugs = graphene.List(graphene.NonNull(graphene.String), description="Collections with these slugs.")

    class Meta:
        description = "Filtering options for collections."


def _decimal(value: float | None) -> Decimal | None:
    # Through str() so that 12.3 becomes Decimal("12.3"), not its binary approximation.
    return None if value is None else Decimal(str(value))


def product_filter(filter_input) -> ProductFilter:
    """The selector filter for a `filter: ProductFilterInput` argument."""
    filter_input = filter_input or {}
    price = filter_input.get("price") or {}
    return ProductFilter(
        search=(filter_input.get("search") or "").strip(),
        category_ids=from_global_ids_or_error(filter_input.get("categories"), "Category"),
        collection_ids=from_global_ids_or_error(filter_input.get("collections"), "Collection"),
        merchant_ids=from_global_ids_or_error(filter_input.get("merchants"), "Merchant"),
        product_ids=from_global_ids_or_error(filter_input.get("ids"), "Product"),
        price_gte=_decimal(price.get("gte")),
        price_lte=_decimal(price.get("lte")),
        is_available=filter_input.get("is_available"),
        **filter_extras(filter_input),
    )


def filter_extras(filter_input) -> dict:
    """The Union Mall extras of ProductFilterInput (and Saleor's stockAvailability) as ProductFilter fields."""
    availability = filter_input.get("stock_availability")
    availability = getattr(availability, "value", availability)
    in_stock = None if availability is None else availability == StockAvailability.IN_STOCK.value
    return {
        "region_codes": [code.strip() for code in filter_input.get("partner_regions") or [] if code.strip()][:50],
        "relief_certified": filter_input.get("relief_certified"),
        "in_stock": in_stock,
        "price_bucket": (filter_input.get("price_bucket") or "").strip()[:16],
    }


def listed(values) -> list | None:
    """An id or slug list to filter by, or None when the client gave none (an empty list filters nothing)."""
    return list(values) if values else None
