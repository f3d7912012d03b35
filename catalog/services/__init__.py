"""Every change to the catalogue goes through these functions: the API, pages, admin, tasks and
commands call them, so they can never disagree. Import them from here: `from catalog import services`."""

from catalog.services.bulk import ProductDraft, VariantDraft, bulk_create_products
from catalog.services.categories import (
    add_products_to_collection,
    create_category,
    create_collection,
    publish_collection,
    save_new_category,
)
from catalog.services.channels import create_channel, create_merchant, create_warehouse, mark_relief_supplier
from catalog.services.products import (
    PRODUCT_EDITABLE_FIELDS,
    add_product_media,
    assign_attribute,
    create_product,
    get_or_create_product_type,
    publish_product,
    save_new_product,
    update_product,
)
from catalog.services.rules import clean_prices
from catalog.services.search_index import refresh_search_document, schedule_search_refresh
from catalog.services.variants import (
    create_variant,
    delete_variant,
    refresh_product_price_range,
    save_variant,
    set_stock,
    update_variant_prices,
)

__all__ = [
    "PRODUCT_EDITABLE_FIELDS",
    "ProductDraft",
    "VariantDraft",
    "add_product_media",
    "add_products_to_collection",
    "assign_attribute",
    "bulk_create_products",
    "clean_prices",
    "create_category",
    "create_channel",
    "create_collection",
    "create_merchant",
    "mark_relief_supplier",
    "create_product",
    "create_variant",
    "create_warehouse",
    "delete_variant",
    "get_or_create_product_type",
    "publish_collection",
    "publish_product",
    "refresh_product_price_range",
    "refresh_search_document",
    "save_new_category",
    "save_new_product",
    "save_variant",
    "schedule_search_refresh",
    "set_stock",
    "update_product",
    "update_variant_prices",
]
