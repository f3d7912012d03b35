"""Keeping the PostgreSQL search documents fresh."""

from catalog import services as catalog_services
from catalog.models import Product


def index_products(product_ids) -> int:
    return sum(1 for product_id in product_ids if catalog_services.refresh_search_document(product_id))


def reindex(progress=None) -> int:
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    for done, product_id in enumerate(ids, 1):
        catalog_services.refresh_search_document(product_id)
        if progress:
            progress(done, len(ids))
    return len(ids)
