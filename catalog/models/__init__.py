"""The catalogue: what is sold, by whom, where it is stocked and in which channel it is shown."""

from catalog.models.attributes import (
    AssignedProductAttributeValue,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeValue,
)
from catalog.models.categories import Category, Collection, CollectionChannelListing, CollectionProduct
from catalog.models.channels import Channel
from catalog.models.merchants import Merchant
from catalog.models.products import (
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
)
from catalog.models.stock import Stock, Warehouse

__all__ = [
    "AssignedProductAttributeValue",
    "AssignedVariantAttributeValue",
    "Attribute",
    "AttributeValue",
    "Category",
    "Channel",
    "Collection",
    "CollectionChannelListing",
    "CollectionProduct",
    "Merchant",
    "Product",
    "ProductChannelListing",
    "ProductMedia",
    "ProductType",
    "ProductVariant",
    "Stock",
    "Warehouse",
]
