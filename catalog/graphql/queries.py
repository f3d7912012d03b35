"""Root query fields of the catalogue, with Saleor 3.21's names and arguments."""

import graphene

from catalog import selectors
from catalog.graphql import dataloaders
from catalog.graphql.filters import CategoryFilterInput, CollectionFilterInput, ProductFilterInput, listed
from catalog.graphql.loading import (
    ChannelContext,
    categories_loaded,
    channel_for,
    collections_in_channel,
    products_in_channel,
    requestor,
    validate_one_of_args,
)
from catalog.graphql.sorters import (
    CategorySortingInput,
    CollectionSortingInput,
    ProductOrder,
    category_sort,
    collection_sort,
)
from catalog.graphql.types import (
    CHANNEL_ARGUMENT,
    RELATION_FIELDS,
    Category,
    CategoryCountableConnection,
    Channel,
    Collection,
    CollectionCountableConnection,
    Product,
    ProductCountableConnection,
    ProductVariant,
    category_connection,
    collection_connection,
    product_connection,
)
from mall.errors import PermissionDenied
from mall.graphql.ids import from_global_id_or_error, from_global_ids_or_error
from mall.graphql.mutations import permission_denied_error
from mall.graphql.pagination import connection_field
from mall.graphql.selections import below, requested_paths
from mall.permissions import PermissionEnum, has_permissions

STAFF_SEE_UNPUBLISHED = "Operators (staff) also see unpublished items."
CHANNELS_PERMISSION_MESSAGE = (
    "You need one of the following permissions: AUTHENTICATED_STAFF_USER, AUTHENTICATED_APP, MANAGE_CHANNELS"
)


class CatalogQueries(graphene.ObjectType):
    product = graphene.Field(
        Product,
        id=graphene.ID(description="ID of the product."),
        slug=graphene.String(description="Slug of the product."),
        channel=graphene.String(description=CHANNEL_ARGUMENT),
        description=f"Look up a product by ID or slug. {STAFF_SEE_UNPUBLISHED}",
    )
    products = connection_field(
        ProductCountableConnection,
        description=f"List of the shop's products. {STAFF_SEE_UNPUBLISHED}",
        filter=ProductFilterInput(description="Filtering options for products."),
        sort_by=ProductOrder(description="Sort products."),
        search=graphene.String(description="Search products."),
        channel=graphene.String(description=CHANNEL_ARGUMENT),
    )
    product_variant = graphene.Field(
        ProductVariant,
        id=graphene.ID(description="ID of the product variant."),
        sku=graphene.String(description="SKU of the product variant."),
        channel=graphene.String(description=CHANNEL_ARGUMENT),
        description=f"Look up a product variant by ID or SKU. {STAFF_SEE_UNPUBLISHED}",
    )
    category = graphene.Field(
        Category,
        id=graphene.ID(description="ID of the category."),
        slug=graphene.String(description="Slug of the category"),
        description="Look up a category by ID or slug.",
    )
    categories = connection_field(
        CategoryCountableConnection,
        description="List of the shop's categories.",
        filter=CategoryFilterInput(description="Filtering options for categories."),
        sort_by=CategorySortingInput(description="Sort categories."),
        level=graphene.Int(description="Filter categories by the nesting level in the category tree."),
    )
    collection = graphene.Field(
        Collection,
        id=graphene.ID(description="ID of the collection."),
        slug=graphene.String(description="Slug of the category"),
        channel=graphene.String(description=CHANNEL_ARGUMENT),
        description=f"Look up a collection by ID or slug. {STAFF_SEE_UNPUBLISHED}",
    )
    collections = connection_field(
        CollectionCountableConnection,
        description=f"List of the shop's collections. {STAFF_SEE_UNPUBLISHED}",
        filter=CollectionFilterInput(description="Filtering options for collections."),
        sort_by=CollectionSortingInput(description="Sort collections."),
        channel=graphene.String(description=CHANNEL_ARGUMENT),
    )
    channel = graphene.Field(
        Channel,
        id=graphene.ID(description="ID of the channel."),
        slug=graphene.String(description="Slug of the channel."),
        description="Look up a channel by ID or slug.",
    )
    channels = graphene.List(
        graphene.NonNull(Channel),
        description="List of all channels (operators also see inactive ones).\n\nRequires one of the following "
        "permissions: AUTHENTICATED_STAFF_USER, AUTHENTICATED_APP, MANAGE_CHANNELS.",
    )

    @staticmethod
    def resolve_product(_root, info, id=None, slug=None, channel=None):
        validate_one_of_args(id=id, slug=slug)
        channel = channel_for(info, channel)
        lookup = {"pk": from_global_id_or_error(id, "Product")} if id else {"slug": slug}
        paths = requested_paths(info)
        relations = [name for field, name in RELATION_FIELDS.items() if field in paths]
        user = requestor(info)
        if selectors.can_see_unpublished(user):
            queryset = selectors.visible_products(channel, user=user, in_listings=False)
            product = selectors.product_rows(queryset.filter(**lookup), relations=relations).first()
        else:
            # A shopper sees the product only through its listing: read both in one query.
            listing = selectors.published_listing(channel, relations=relations, **lookup)
            product = listing.product if listing else None
            if listing:
                dataloaders.ChannelListingByProductIdAndChannelIdLoader(info.context).prime(
                    (product.pk, channel.pk), listing
                )
        if product is None:
            return None
        if "isAvailable" in paths or any(path.endswith("quantityAvailable") for path in paths):
            # Its variants will be shown with their stock: read both in one query now.
            dataloaders.VariantsWithStocksByProductIdAndChannelIdLoader(info.context).load((product.pk, channel.pk))
        return products_in_channel(info.context, [product], channel)[0]

    @staticmethod
    def resolve_products(_root, info, channel=None, filter=None, search=None, sort_by=None, **args):
        channel = channel_for(info, channel)
        queryset = selectors.visible_products(channel, user=requestor(info))
        return product_connection(info, queryset, channel, args, sort_by=sort_by, filter=filter, search=search)

    @staticmethod
    def resolve_product_variant(_root, info, id=None, sku=None, channel=None):
        validate_one_of_args(id=id, sku=sku)
        channel = channel_for(info, channel)
        pk = from_global_id_or_error(id, "ProductVariant") if id else None
        variant = selectors.visible_variant(channel, user=requestor(info), pk=pk, sku=sku)
        return ChannelContext(variant, channel) if variant else None

    @staticmethod
    def resolve_category(_root, info, id=None, slug=None):
        validate_one_of_args(id=id, slug=slug)
        if id:
            category = selectors.categories_matching(ids=[from_global_id_or_error(id, "Category")]).first()
        else:
            category = selectors.categories_matching(slugs=[slug]).first()
        return categories_loaded(info.context, [category])[0] if category else None

    @staticmethod
    def resolve_categories(_root, info, filter=None, sort_by=None, level=None, **args):
        filter = filter or {}
        queryset = selectors.categories_matching(
            level=level,
            search=(filter.get("search") or "").strip(),
            ids=listed(from_global_ids_or_error(filter.get("ids"), "Category")),
            slugs=listed(filter.get("slugs")),
        )
        if "parent" in below(requested_paths(info), "edges.node"):
            queryset = queryset.select_related("parent")
        return category_connection(info, queryset, args, ordering=category_sort(sort_by))

    @staticmethod
    def resolve_collection(_root, info, id=None, slug=None, channel=None):
        validate_one_of_args(id=id, slug=slug)
        channel = channel_for(info, channel)
        if id:
            queryset = selectors.collections_matching(
                channel, user=requestor(info), ids=[from_global_id_or_error(id, "Collection")]
            )
        else:
            queryset = selectors.collections_matching(channel, user=requestor(info), slugs=[slug])
        collection = queryset.first()
        return collections_in_channel(info.context, [collection], channel)[0] if collection else None

    @staticmethod
    def resolve_collections(_root, info, channel=None, filter=None, sort_by=None, **args):
        channel = channel_for(info, channel)
        filter = filter or {}
        queryset = selectors.collections_matching(
            channel,
            user=requestor(info),
            search=(filter.get("search") or "").strip(),
            ids=listed(from_global_ids_or_error(filter.get("ids"), "Collection")),
            slugs=listed(filter.get("slugs")),
        )
        return collection_connection(info, queryset, channel, args, ordering=collection_sort(sort_by))

    @staticmethod
    def resolve_channel(_root, info, id=None, slug=None):
        validate_one_of_args(id=id, slug=slug)
        channels = selectors.visible_channels(user=requestor(info))
        if id:
            return channels.filter(pk=from_global_id_or_error(id, "Channel")).first()
        return channels.filter(slug=slug).first()

    @staticmethod
    def resolve_channels(_root, info):
        # As in Saleor: the list of channels is for operators and apps; one channel by slug is public.
        user = requestor(info)
        if not (user.is_authenticated and user.is_active and user.is_staff) and not has_permissions(
            user, [PermissionEnum.MANAGE_CHANNELS]
        ):
            raise permission_denied_error(PermissionDenied(message=CHANNELS_PERMISSION_MESSAGE))
        return selectors.visible_channels(user=user)
