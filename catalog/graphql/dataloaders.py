"""Per-request loaders of the catalogue's related rows, by key (see mall.graphql.dataloaders)."""

from collections import defaultdict

from catalog import selectors
from catalog.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttributeValue,
    Category,
    Channel,
    Merchant,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
    Stock,
)
from mall.graphql.dataloaders import DataLoader, note_siblings


def _by_id(queryset, ids) -> dict:
    return {row.pk: row for row in queryset.filter(pk__in=ids)}


def _grouped(rows, attribute: str) -> dict:
    groups = defaultdict(list)
    for row in rows:
        groups[getattr(row, attribute)].append(row)
    return groups


def _split_by_tail(keys) -> dict:
    """{key[1:]: [key[0]...]}: keys asked with different arguments are loaded in separate queries."""
    groups = defaultdict(list)
    for key in keys:
        groups[key[1:]].append(key[0])
    return groups


def _split_by_channel(keys) -> dict:
    """{channel_id: [node ids]} of (node_id, channel_id) keys."""
    channels = defaultdict(list)
    for node_id, channel_id in keys:
        channels[channel_id].append(node_id)
    return channels


# --- Registering rows read together --------------------------------------------------------
def _prime_joined(context, row) -> None:
    """Related rows the query joined (select_related) go into their loaders' caches."""
    loaders = {
        "category": CategoryByIdLoader,
        "parent": CategoryByIdLoader,
        "merchant": MerchantByIdLoader,
        "product_type": ProductTypeByIdLoader,
    }
    for relation, loader in loaders.items():
        related = row._state.fields_cache.get(relation)
        if related is not None:
            loader(context).prime(related.pk, related)
            _prime_joined(context, related)


def register_products(context, products) -> None:
    """Products read together: loaders fetch their related rows (and those of their category,
    merchant, product type) for all of them at once."""
    note_siblings(context, "product", [product.pk for product in products])
    note_siblings(context, "category", [product.category_id for product in products])
    note_siblings(context, "merchant", [product.merchant_id for product in products])
    note_siblings(context, "product_type", [product.product_type_id for product in products])
    by_id = ProductByIdLoader(context)
    for product in products:
        by_id.prime(product.pk, product)
        _prime_joined(context, product)


def register_categories(context, categories) -> None:
    """Categories read together: their children and products are then loaded for all at once."""
    note_siblings(context, "category", [category.pk for category in categories])
    by_id = CategoryByIdLoader(context)
    for category in categories:
        by_id.prime(category.pk, category)
        _prime_joined(context, category)


# --- Rows by their own id ---------------------------------------------------------------
class ChannelByIdLoader(DataLoader):
    """Primed with the channels a request names (loading.channel_for), so loaders get them without a query."""

    kind = "channel"

    def batch_load(self, keys):
        channels = _by_id(Channel.objects.all(), keys)
        return [channels.get(key) for key in keys]


class ProductByIdLoader(DataLoader):
    kind = "product"

    def batch_load(self, keys):
        products = _by_id(selectors.product_rows(Product.objects.all()), keys)
        return [products.get(key) for key in keys]


class CategoryByIdLoader(DataLoader):
    kind = "category"

    def batch_load(self, keys):
        categories = _by_id(Category.objects.all(), keys)
        return [categories.get(key) for key in keys]


class MerchantByIdLoader(DataLoader):
    kind = "merchant"

    def batch_load(self, keys):
        merchants = _by_id(Merchant.objects.all(), keys)
        return [merchants.get(key) for key in keys]


class ProductTypeByIdLoader(DataLoader):
    kind = "product_type"

    def batch_load(self, keys):
        product_types = _by_id(ProductType.objects.all(), keys)
        return [product_types.get(key) for key in keys]


# --- A product's rows -------------------------------------------------------------------
class VariantsByProductIdLoader(DataLoader):
    kind = "product"

    def batch_load(self, keys):
        variants = list(ProductVariant.objects.filter(product_id__in=keys).order_by("sort_order", "pk"))
        # The variants of all these products are asked about together (stocks, attributes).
        note_siblings(self.context, "variant", [variant.pk for variant in variants])
        by_product = _grouped(variants, "product_id")
        return [by_product.get(key, []) for key in keys]


class VariantsWithStocksByProductIdAndChannelIdLoader(DataLoader):
    """Key (product_id, channel_id) → the product's variants, read with their stock rows in the channel's
    warehouses in one query; primes VariantsByProductIdLoader and StocksByVariantIdAndChannelIdLoader,
    so that a page showing the variants' stock costs one query for both."""

    kind = "product"

    def batch_load(self, keys):
        found = {}
        variant_loader = VariantsByProductIdLoader(self.context)
        stock_loader = StocksByVariantIdAndChannelIdLoader(self.context)
        for channel_id, product_ids in _split_by_channel(keys).items():
            variants = list(selectors.variants_with_channel_stocks(product_ids, channel_id))
            note_siblings(self.context, "variant", [variant.pk for variant in variants])
            by_product = _grouped(variants, "product_id")
            for product_id in product_ids:
                product_variants = by_product.get(product_id, [])
                variant_loader.prime(product_id, product_variants)
                for variant in product_variants:
                    stock_loader.prime((variant.pk, channel_id), variant.channel_stocks)
                found[(product_id, channel_id)] = product_variants
        return [found.get(key, []) for key in keys]


class ChannelListingByProductIdAndChannelIdLoader(DataLoader):
    """Key (product_id, channel_id) → the product's listing in the channel, or None."""

    kind = "product"

    def batch_load(self, keys):
        listings = {}
        for channel_id, product_ids in _split_by_channel(keys).items():
            for listing in ProductChannelListing.objects.filter(channel_id=channel_id, product_id__in=product_ids):
                listings[(listing.product_id, channel_id)] = listing
        return [listings.get(key) for key in keys]


class MediaByProductIdLoader(DataLoader):
    kind = "product"

    def batch_load(self, keys):
        by_product = _grouped(ProductMedia.objects.filter(product_id__in=keys), "product_id")
        return [by_product.get(key, []) for key in keys]


class AttributeAssignmentsByProductIdLoader(DataLoader):
    kind = "product"

    def batch_load(self, keys):
        assignments = AssignedProductAttributeValue.objects.filter(product_id__in=keys).select_related(
            "value__attribute"
        )
        by_product = _grouped(assignments, "product_id")
        return [by_product.get(key, []) for key in keys]


class CollectionsByProductIdAndChannelIdLoader(DataLoader):
    """Key (product_id, channel_id) → the product's collections the requestor may see in the channel."""

    kind = "product"

    def batch_load(self, keys):
        found = defaultdict(list)
        for channel_id, product_ids in _split_by_channel(keys).items():
            channel = ChannelByIdLoader(self.context).load(channel_id)
            collections = list(selectors.collections_of_products(channel, product_ids, user=self.context.user))
            # The collections of all these products are asked about together (their products).
            note_siblings(self.context, "collection", [collection.pk for collection in collections])
            for collection in collections:
                found[(collection.product_id, channel_id)].append(collection)
        return [found.get(key, []) for key in keys]


# --- A variant's rows -------------------------------------------------------------------
class StocksByVariantIdAndChannelIdLoader(DataLoader):
    """Key (variant_id, channel_id) → the variant's stock rows in the channel's warehouses."""

    kind = "variant"

    def batch_load(self, keys):
        stocks = {}
        for channel_id, variant_ids in _split_by_channel(keys).items():
            rows = Stock.objects.filter(product_variant_id__in=variant_ids, warehouse__channels=channel_id)
            for variant_id, variant_stocks in _grouped(rows, "product_variant_id").items():
                stocks[(variant_id, channel_id)] = variant_stocks
        return [stocks.get(key, []) for key in keys]


class AttributeAssignmentsByVariantIdLoader(DataLoader):
    kind = "variant"

    def batch_load(self, keys):
        assignments = AssignedVariantAttributeValue.objects.filter(variant_id__in=keys).select_related(
            "value__attribute"
        )
        by_variant = _grouped(assignments, "variant_id")
        return [by_variant.get(key, []) for key in keys]


# --- Nested lists: the first page of each parent in one query -----------------------------
class ChildrenByCategoryIdLoader(DataLoader):
    """Key (category_id, count) → the first `count` children of the category, in the tree's order."""

    kind = "category"

    def batch_load(self, keys):
        rows = {}
        for (count,), category_ids in _split_by_tail(keys).items():
            found = selectors.first_children(category_ids, limit=count)
            register_categories(self.context, [child for children in found.values() for child in children])
            for category_id, children in found.items():
                rows[(category_id, count)] = children
        return [rows.get(key, []) for key in keys]


class AncestorsByCategoryIdLoader(DataLoader):
    """Key category id → its ancestors from the root down, read by id from the tree paths of all
    the categories asked about: one query for the lot."""

    kind = "category"

    def batch_load(self, keys):
        by_id = CategoryByIdLoader(self.context)
        categories = by_id.load_many(keys)
        ancestor_ids = {pk for category in categories if category is not None for pk in category.ancestor_ids}
        ancestors = dict(zip(ancestor_ids, by_id.load_many(ancestor_ids), strict=True))
        return [
            [ancestors[pk] for pk in category.ancestor_ids if ancestors[pk] is not None] if category else []
            for category in categories
        ]


class ChildCountByCategoryIdLoader(DataLoader):
    kind = "category"

    def batch_load(self, keys):
        counts = selectors.child_counts(keys)
        return [counts.get(key, 0) for key in keys]


class FirstProductsLoader(DataLoader):
    """Key (parent_id, channel_id, count, ordering) → the first `count` products the requestor may see
    under the parent (a category with its branch, or a collection), in `ordering`."""

    def conditions(self, parent_ids) -> dict:
        raise NotImplementedError

    def batch_load(self, keys):
        rows = {}
        for (channel_id, count, ordering), parent_ids in _split_by_tail(keys).items():
            channel = ChannelByIdLoader(self.context).load(channel_id)
            visible = selectors.visible_products(channel, user=self.context.user)
            found = selectors.first_products_per_parent(
                visible, self.conditions(parent_ids), limit=count, ordering=list(ordering)
            )
            register_products(self.context, [product for products in found.values() for product in products])
            for parent_id, products in found.items():
                rows[(parent_id, channel_id, count, ordering)] = products
        return [rows.get(key, []) for key in keys]


class ProductCountLoader(DataLoader):
    """Key (parent_id, channel_id) → how many products the requestor may see under the parent."""

    def conditions(self, parent_ids) -> dict:
        raise NotImplementedError

    def batch_load(self, keys):
        counts = {}
        for (channel_id,), parent_ids in _split_by_tail(keys).items():
            channel = ChannelByIdLoader(self.context).load(channel_id)
            visible = selectors.visible_products(channel, user=self.context.user)
            for parent_id, count in selectors.product_counts_per_parent(visible, self.conditions(parent_ids)).items():
                counts[(parent_id, channel_id)] = count
        return [counts.get(key, 0) for key in keys]


class CategoryBranchConditions:
    def conditions(self, parent_ids) -> dict:
        categories = CategoryByIdLoader(self.context).load_many(parent_ids)
        return {category.pk: selectors.in_category_branch(category) for category in categories if category is not None}


class CollectionConditions:
    def conditions(self, parent_ids) -> dict:
        return {collection_id: selectors.in_collection(collection_id) for collection_id in parent_ids}


class FirstProductsByCategoryIdLoader(CategoryBranchConditions, FirstProductsLoader):
    kind = "category"


class ProductCountByCategoryIdLoader(CategoryBranchConditions, ProductCountLoader):
    kind = "category"


class FirstProductsByCollectionIdLoader(CollectionConditions, FirstProductsLoader):
    kind = "collection"


class ProductCountByCollectionIdLoader(CollectionConditions, ProductCountLoader):
    kind = "collection"
