"""Object types of the catalogue API, named and shaped as in Saleor 3.21, with the mall's additions.

Products, variants and collections reach these resolvers as loading.ChannelContext (the row and the
channel it was read for); related rows come from the per-request loaders of catalog.graphql.dataloaders,
so no field below runs a query per row, however the object was reached.
"""

import graphene
from graphene import relay

from catalog import pricing, selectors
from catalog.graphql import dataloaders as loaders
from catalog.graphql.filters import ProductFilterInput, product_filter
from catalog.graphql.loading import (
    ChannelContext,
    categories_loaded,
    channel_for,
    collections_in_channel,
    in_channel,
    node_resolver,
    products_in_channel,
    requestor,
)
from catalog.graphql.sorters import ProductOrder, product_sort
from catalog.models import Category as CategoryModel
from catalog.models import Merchant as MerchantModel
from catalog.models import Product as ProductModel
from catalog.models import ProductMedia as ProductMediaModel
from catalog.thumbnails import thumbnail_url
from mall.graphql.dataloaders import PreloadedRows, batchable
from mall.graphql.pagination import CountableConnection, connection_field, paginate
from mall.graphql.selections import below, requested_paths
from mall.graphql.types import (
    CountryDisplay,
    Image,
    Money,
    MoneyRange,
    TaxedMoney,
    TaxedMoneyRange,
    Weight,
    country_display,
    enum_name,
    taxed,
    taxed_range,
    thumbnail_arguments,
    weight_in_grams,
)
from relief_sourcing.graphql import dataloaders as relief_loaders
from search.graphql.types import FacetSource, SearchFacet, resolve_product_facets

RICH_TEXT = "Rich text format. For reference see https://editorjs.io/"
CHANNEL_ARGUMENT = "Slug of a channel for which the data should be returned."


def _image_url(info, type_name: str, pk: int, image, *, size, format) -> str:
    """Saleor's rule: size 0 is the original file, anything else a thumbnail made on first request."""
    if size == 0:
        return absolute_url(info, image.url)
    return absolute_url(info, thumbnail_url(type_name, pk, size=size, format=enum_name(format)))


def absolute_url(info, path: str) -> str:
    """`path` on this server; the scheme and host are worked out once per request, not per image."""
    request = info.context
    if not hasattr(request, "_absolute_url_base"):
        request._absolute_url_base = request.build_absolute_uri("/").rstrip("/")
    return path if "://" in path else request._absolute_url_base + path


# --- Small node types -------------------------------------------------------------------
class MerchantKindEnum(graphene.Enum):
    MEMBER_GOODS = MerchantModel.Kind.MEMBER_GOODS.value
    RELIEF_SUPPLIER = MerchantModel.Kind.RELIEF_SUPPLIER.value

    class Meta:
        description = "Union Mall extension: what a merchant sells."

    @property
    def description(self):
        return {
            "MEMBER_GOODS": "A merchant selling member-discounted goods (会员商品商户).",
            "RELIEF_SUPPLIER": "A relief supplier registered in a partner region (帮扶供应商).",
        }.get(self.name)


class Merchant(graphene.ObjectType):
    name = graphene.String(required=True, description="Name of the merchant.")
    slug = graphene.String(required=True, description="Slug of the merchant.")
    kind = graphene.Field(MerchantKindEnum, required=True, description="What the merchant sells.")
    region = graphene.String(
        required=True, description="Where the merchant is registered: province, prefecture and county."
    )
    description = graphene.String(required=True, description="A short introduction of the merchant.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: 商户 (merchant), the seller of a product. A relief supplier is one too."


class ProductType(graphene.ObjectType):
    name = graphene.String(required=True, description="Name of the product type.")
    slug = graphene.String(required=True, description="Slug of the product type.")
    has_variants = graphene.Boolean(required=True, description="Whether the product type has variants.")
    is_shipping_required = graphene.Boolean(
        required=True, description="Whether shipping is required for products of this product type."
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents a type of product. It defines what attributes are available to products of this type."


class AttributeInputTypeEnum(graphene.Enum):
    DROPDOWN = "dropdown"
    PLAIN_TEXT = "plain-text"

    class Meta:
        description = "An enumeration."


class Attribute(graphene.ObjectType):
    name = graphene.String(description="Name of an attribute displayed in the interface.")
    slug = graphene.String(description="Internal representation of an attribute name.")
    input_type = graphene.Field(
        AttributeInputTypeEnum, description="The input type to use for entering attribute values."
    )
    visible_in_storefront = graphene.Boolean(
        required=True, description="Whether the attribute should be visible or not in storefront."
    )
    filterable_in_storefront = graphene.Boolean(
        required=True, description="Whether the attribute can be filtered in storefront."
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Custom attribute of a product. Attributes can be assigned to products and variants."


class AttributeValue(graphene.ObjectType):
    name = graphene.String(description="Name of a value displayed in the interface.")
    slug = graphene.String(description="Internal representation of a value (unique per attribute).")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents a value of an attribute."


class SelectedAttribute(graphene.ObjectType):
    attribute = graphene.Field(Attribute, required=True, description="Name of an attribute displayed in the interface.")
    values = graphene.NonNull(graphene.List(graphene.NonNull(AttributeValue)), description="Values of an attribute.")

    class Meta:
        description = "Represents an assigned attribute to an object."


def selected_attributes(assignments, info) -> list[dict]:
    """Assigned values grouped by attribute; attributes hidden from the storefront only for operators."""
    show_hidden = selectors.can_see_unpublished(requestor(info))
    return [
        {"attribute": attribute, "values": values}
        for attribute, values in selectors.visible_attributes(assignments, show_hidden=show_hidden)
    ]


class ProductMediaType(graphene.Enum):
    IMAGE = ProductMediaModel.Type.IMAGE.value
    VIDEO = ProductMediaModel.Type.VIDEO.value

    class Meta:
        description = "An enumeration."


class ProductMedia(graphene.ObjectType):
    sort_order = graphene.Int(description="The sort order of the media.")
    alt = graphene.String(required=True, description="The alt text of the media.")
    type = graphene.Field(ProductMediaType, required=True, description="The type of the media.")
    oembed_data = graphene.JSONString(required=True, description="The oEmbed data of the media.")
    url = graphene.String(required=True, description="The URL of the media.", **thumbnail_arguments())
    product_id = graphene.ID(description="Product id the media refers to.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents a product media."

    @staticmethod
    def resolve_oembed_data(_root, _info):
        return {}

    @staticmethod
    def resolve_product_id(root, _info):
        return relay.Node.to_global_id("Product", root.product_id)

    @staticmethod
    def resolve_url(root, info, size=None, format=None):
        if root.external_url:
            return root.external_url
        if not root.image:
            return ""
        return _image_url(info, "ProductMedia", root.pk, root.image, size=size, format=format)


# --- Pricing ----------------------------------------------------------------------------
class VariantPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean(
        description="Whether it is in sale or not: true when the requestor pays less than the list price "
        "(a verified member paying the member price)."
    )
    discount = graphene.Field(
        TaxedMoney, description="The discount amount if in sale (null otherwise): list price minus `price`."
    )
    price = graphene.Field(
        TaxedMoney,
        description="The price, with any discount subtracted: the price the requestor pays — the member price "
        "for a verified member (实名认证会员) where the variant has one, the list price for everyone else.",
    )
    price_undiscounted = graphene.Field(TaxedMoney, description="The price without any discount: the list price.")
    member_price = graphene.Field(
        TaxedMoney,
        description="Union Mall extension: the price a verified member (实名认证会员) pays at checkout, shown to "
        "everyone for comparison; null when the variant has no member price.",
    )

    class Meta:
        description = "Represents availability of a variant in the storefront."


class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean(description="Whether it is in sale or not.")
    discount = graphene.Field(TaxedMoney, description="The discount amount if in sale (null otherwise).")
    display_gross_prices = graphene.Boolean(
        required=True, description="Determines whether displayed prices should include taxes."
    )
    price_range = graphene.Field(
        TaxedMoneyRange,
        description="The discounted price range of the product variants: the prices the requestor pays — member "
        "prices for a verified member (实名认证会员) where a variant has one, list prices for everyone else.",
    )
    price_range_undiscounted = graphene.Field(
        TaxedMoneyRange, description="The undiscounted price range of the product variants: their list prices."
    )

    class Meta:
        description = "Represents availability of a product in the storefront."


# --- Variants and products --------------------------------------------------------------
class ProductVariant(graphene.ObjectType):
    name = graphene.String(required=True, description="The name of the product variant.")
    sku = graphene.String(description="The SKU (stock keeping unit) of the product variant.")
    product = graphene.Field(lambda: Product, required=True, description="The product to which the variant belongs.")
    track_inventory = graphene.Boolean(
        required=True,
        description="Determines if the inventory of this variant should be tracked. "
        "If false, the quantity won't change when customers buy this item.",
    )
    quantity_limit_per_customer = graphene.Int(
        description="The maximum quantity of this variant that a customer can purchase."
    )
    weight = graphene.Field(Weight, description="The weight of the product variant.")
    channel = graphene.String(description="Channel given to retrieve this product variant.")
    pricing = graphene.Field(
        VariantPricingInfo,
        description="Lists the storefront variant's pricing, the current price and discounts, only meant for "
        "displaying. Null when the product is not listed in the channel.",
    )
    attributes = graphene.NonNull(
        graphene.List(graphene.NonNull(SelectedAttribute)), description="List of attributes assigned to this variant."
    )
    quantity_available = graphene.Int(
        description="Quantity of a product available for sale in the channel's warehouses, capped (as in Saleor) "
        "at the most one checkout line may hold and at the variant's limit per customer. "
        "Null when the variant's stock is not tracked."
    )
    created = graphene.DateTime(required=True, description="The date and time when the product variant was created.")
    updated_at = graphene.DateTime(
        required=True, description="The date and time when the product variant was last updated."
    )
    member_price = graphene.Field(
        Money,
        description="Union Mall extension: the price a verified member (实名认证会员) pays at checkout "
        "(VAT included), shown to everyone for comparison; null when the variant has no member price. "
        "`pricing.price` already is this price when the requestor is a verified member.",
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents a version of a product such as different size or color."
        default_resolver = node_resolver

    @staticmethod
    def resolve_product(root, info):
        product = loaders.ProductByIdLoader(info.context).load(root.node.product_id)
        return ChannelContext(product, root.channel)

    @staticmethod
    def resolve_weight(root, _info):
        return weight_in_grams(root.node.weight)

    @staticmethod
    def resolve_channel(root, _info):
        return root.channel.slug

    @staticmethod
    def resolve_pricing(root, info):
        if _listing(info, root.node.product_id, root.channel) is None:
            return None
        prices = pricing.variant_pricing(root.node, member=pricing.pays_member_price(info.context))
        return {
            "on_sale": prices.on_sale,
            "discount": taxed(prices.discount),
            "price": taxed(prices.price),
            "price_undiscounted": taxed(prices.price_undiscounted),
            "member_price": taxed(prices.member_price),
        }

    @staticmethod
    def resolve_attributes(root, info):
        assignments = loaders.AttributeAssignmentsByVariantIdLoader(info.context).load(root.node.pk)
        return selected_attributes(assignments, info)

    @staticmethod
    def resolve_quantity_available(root, info):
        if not root.node.track_inventory:
            return None
        return pricing.quantity_available_to_show(root.node, _stocks(info, root.node, root.channel))

    @staticmethod
    def resolve_created(root, _info):
        return root.node.created_at

    @staticmethod
    def resolve_member_price(root, _info):
        return pricing.variant_pricing(root.node, member=False).member_price


def _listing(info, product_id: int, channel):
    return loaders.ChannelListingByProductIdAndChannelIdLoader(info.context).load((product_id, channel.pk))


def _variants(info, product_id: int) -> list:
    return loaders.VariantsByProductIdLoader(info.context).load(product_id)


def _stocks(info, variant, channel) -> list:
    return loaders.StocksByVariantIdAndChannelIdLoader(info.context).load((variant.pk, channel.pk))


class Product(graphene.ObjectType):
    seo_title = graphene.String(description="SEO title of the product.")
    seo_description = graphene.String(description="SEO description of the product.")
    name = graphene.String(required=True, description="Name of the product.")
    description = graphene.JSONString(description=f"Description of the product. {RICH_TEXT}")
    product_type = graphene.Field(ProductType, required=True, description="Type of the product.")
    slug = graphene.String(required=True, description="Slug of the product.")
    category = graphene.Field(lambda: Category, description="Category of the product.")
    created = graphene.DateTime(required=True, description="The date and time when the product was created.")
    updated_at = graphene.DateTime(required=True, description="The date and time when the product was last updated.")
    weight = graphene.Field(Weight, description="Weight of the product.")
    default_variant = graphene.Field(ProductVariant, description="Default variant of the product.")
    channel = graphene.String(description="Channel given to retrieve this product.")
    thumbnail = graphene.Field(Image, description="Thumbnail of the product.", **thumbnail_arguments())
    pricing = graphene.Field(
        ProductPricingInfo,
        description="Lists the storefront product's pricing, the current price and discounts, only meant for "
        "displaying. Null when the product is not listed in the channel.",
    )
    is_available = graphene.Boolean(
        description="Whether the product is in stock, set as available for purchase in the given channel, "
        "and published."
    )
    attributes = graphene.NonNull(
        graphene.List(graphene.NonNull(SelectedAttribute)), description="List of attributes assigned to this product."
    )
    variants = graphene.List(graphene.NonNull(ProductVariant), description="List of variants for the product.")
    media = graphene.List(graphene.NonNull(ProductMedia), description="List of media for the product.")
    collections = graphene.List(
        graphene.NonNull(lambda: Collection), description="List of collections for the product."
    )
    available_for_purchase_at = graphene.DateTime(description="Date when product is available for purchase.")
    is_available_for_purchase = graphene.Boolean(description="Whether the product is available for purchase.")
    member_price_range = graphene.Field(
        MoneyRange,
        description="Union Mall extension: the range of member prices (会员价) of the variants that have one, "
        "paid by verified members at checkout (VAT included), shown to everyone for comparison; null when no "
        "variant has a member price. `pricing.priceRange` already uses it when the requestor is a verified member.",
    )
    merchant = graphene.Field(Merchant, required=True, description="Union Mall extension: the seller of the product.")
    relief_certification = graphene.Field(
        "relief_sourcing.graphql.types.ReliefCertification",
        description="Union Mall extension: the relief certification (帮扶产品认定) in force today; null when the "
        "product is not a certified relief product (none, expired, revoked, or its supplier suspended).",
    )
    origin = graphene.Field(
        "relief_sourcing.graphql.types.PartnerRegion",
        description="Union Mall extension: the partner county the product comes from: its certificate's origin, "
        "else its relief supplier's county; null for other merchants' products.",
    )
    current_batch = graphene.Field(
        "relief_sourcing.graphql.types.ProductBatch",
        description="Union Mall extension: the latest batch (批次) with its 承诺达标合格证 data; null when none.",
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents an individual item for sale in the storefront."
        default_resolver = node_resolver

    @staticmethod
    def resolve_product_type(root, info):
        return loaders.ProductTypeByIdLoader(info.context).load(root.node.product_type_id)

    @staticmethod
    def resolve_category(root, info):
        category_id = root.node.category_id
        return loaders.CategoryByIdLoader(info.context).load(category_id) if category_id else None

    @staticmethod
    def resolve_merchant(root, info):
        return loaders.MerchantByIdLoader(info.context).load(root.node.merchant_id)

    @staticmethod
    def resolve_relief_certification(root, info):
        return relief_loaders.CurrentCertificationByProductIdLoader(info.context).load(root.node.pk)

    @staticmethod
    def resolve_origin(root, info):
        certification = relief_loaders.CurrentCertificationByProductIdLoader(info.context).load(root.node.pk)
        if certification is not None:
            return certification.origin
        supplier = relief_loaders.ReliefSupplierByMerchantIdLoader(info.context).load(root.node.merchant_id)
        return supplier.region if supplier else None

    @staticmethod
    def resolve_current_batch(root, info):
        return relief_loaders.CurrentBatchByProductIdLoader(info.context).load(root.node.pk)

    @staticmethod
    def resolve_created(root, _info):
        return root.node.created_at

    @staticmethod
    def resolve_weight(root, _info):
        return weight_in_grams(root.node.weight)

    @staticmethod
    def resolve_default_variant(root, info):
        variants = _variants(info, root.node.pk)
        return ChannelContext(variants[0], root.channel) if variants else None

    @staticmethod
    def resolve_channel(root, _info):
        return root.channel.slug

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format=None):
        media = loaders.MediaByProductIdLoader(info.context).load(root.node.pk)
        first = next((media for media in media if media.image), None)
        if first is None:
            return None
        url = _image_url(info, "ProductMedia", first.pk, first.image, size=size, format=format)
        return {"url": url, "alt": first.alt}

    @staticmethod
    def resolve_pricing(root, info):
        if _listing(info, root.node.pk, root.channel) is None:
            return None
        prices = pricing.product_pricing(_variants(info, root.node.pk), member=pricing.pays_member_price(info.context))
        return {
            "on_sale": prices.on_sale,
            "discount": taxed(prices.discount),
            "display_gross_prices": True,
            "price_range": taxed_range(prices.price_range),
            "price_range_undiscounted": taxed_range(prices.price_range_undiscounted),
        }

    @staticmethod
    def resolve_is_available(root, info):
        variants = _variants(info, root.node.pk)
        variant_stocks = [(variant, _stocks(info, variant, root.channel)) for variant in variants]
        return pricing.is_available(_listing(info, root.node.pk, root.channel), variant_stocks)

    @staticmethod
    def resolve_attributes(root, info):
        assignments = loaders.AttributeAssignmentsByProductIdLoader(info.context).load(root.node.pk)
        return selected_attributes(assignments, info)

    @staticmethod
    def resolve_variants(root, info):
        return in_channel(_variants(info, root.node.pk), root.channel)

    @staticmethod
    def resolve_media(root, info):
        return loaders.MediaByProductIdLoader(info.context).load(root.node.pk)

    @staticmethod
    def resolve_collections(root, info):
        key = (root.node.pk, root.channel.pk)
        return in_channel(loaders.CollectionsByProductIdAndChannelIdLoader(info.context).load(key), root.channel)

    @staticmethod
    def resolve_available_for_purchase_at(root, info):
        listing = _listing(info, root.node.pk, root.channel)
        return listing.available_for_purchase_at if listing else None

    @staticmethod
    def resolve_is_available_for_purchase(root, info):
        return pricing.is_available_for_purchase(_listing(info, root.node.pk, root.channel))

    @staticmethod
    def resolve_member_price_range(root, info):
        return pricing.product_pricing(_variants(info, root.node.pk), member=False).member_price_range


class ProductCountableConnection(CountableConnection):
    class Meta:
        node = Product

    facets = graphene.List(
        graphene.NonNull(SearchFacet),
        description="Union Mall extension: facet counts of these products (category, partner region, price, relief "
        "certified, in stock), each counted with the other facets' selections applied. Computed only when asked.",
    )

    @staticmethod
    def resolve_facets(root, info):
        return resolve_product_facets(getattr(root, "facet_source", None))


def visible_products_where(info, channel, **scope):
    """The products the requestor may see in `channel`, narrowed by ProductFilter fields."""
    visible = selectors.visible_products(channel, user=requestor(info))
    return selectors.filter_products(visible, channel, selectors.ProductFilter(**scope))


# Product fields that read a related row → the relation a list query joins for them.
RELATION_FIELDS = {
    "category": "category",
    "category.parent": "category__parent",
    "merchant": "merchant",
    "productType": "product_type",
}


def product_connection(info, queryset, channel, args, *, sort_by=None, filter=None, search=None):
    """A page of products from `queryset` (already limited to what the requestor may see).

    The page's query joins the relations the query selects and reads descriptions only when they
    are shown; everything else comes from loaders, once for the whole page.
    """
    facet_source = FacetSource(queryset, channel, filter, search)
    if filter:
        queryset = selectors.filter_products(queryset, channel, product_filter(filter))
    if search:
        queryset = selectors.filter_products(queryset, channel, selectors.ProductFilter(search=search.strip()))
    paths = below(requested_paths(info), "edges.node")
    rows = selectors.product_rows(
        queryset,
        descriptions=bool({"description", "category.description"} & paths),
        relations=[name for field, name in RELATION_FIELDS.items() if field in paths],
    )
    searching = "search_rank" in queryset.query.annotations
    ordering = product_sort(sort_by, searching=searching)
    connection = paginate(rows, info, args, ordering=ordering, connection_type=ProductCountableConnection)
    connection.facet_source = facet_source
    nodes = products_in_channel(info.context, [edge.node for edge in connection.edges], channel)
    for edge, node in zip(connection.edges, nodes, strict=True):
        edge.node = node
    return connection


def nested_product_connection(info, parent_id: int, channel, args, *, loader, count_loader, sort_by, filter, fallback):
    """The products under one of many parents (categories of a page, collections…).

    A first page is read by `loader` for all the parents at once; a page after a cursor, from the
    end, or filtered is read for this parent alone by `fallback()` (a product connection).
    """
    if filter or not batchable(args):
        return fallback()
    ordering = tuple(product_sort(sort_by))
    key = (parent_id, channel.pk, args["first"] + 1, ordering)
    rows = PreloadedRows(
        ProductModel,
        rows=lambda: loader(info.context).load(key),
        count=lambda: count_loader(info.context).load((parent_id, channel.pk)),
    )
    connection = paginate(rows, info, args, ordering=list(ordering), connection_type=ProductCountableConnection)
    for edge in connection.edges:
        edge.node = ChannelContext(edge.node, channel)
    return connection


def product_connection_field(description: str, **arguments) -> graphene.Field:
    return connection_field(
        ProductCountableConnection,
        description=description,
        filter=ProductFilterInput(description="Filtering options for products."),
        sort_by=ProductOrder(description="Sort products."),
        channel=graphene.String(description=CHANNEL_ARGUMENT),
        **arguments,
    )


# --- Categories and collections ---------------------------------------------------------
class Category(graphene.ObjectType):
    seo_title = graphene.String(description="SEO title of the category.")
    seo_description = graphene.String(description="SEO description of the category.")
    name = graphene.String(required=True, description="Name of category")
    description = graphene.JSONString(description=f"Description of the category. {RICH_TEXT}")
    slug = graphene.String(required=True, description="Slug of the category.")
    parent = graphene.Field(lambda: Category, description="Parent category.")
    level = graphene.Int(required=True, description="Level of the category.")
    updated_at = graphene.DateTime(required=True, description="The date and time when the category was last updated.")
    ancestors = connection_field(lambda: CategoryCountableConnection, description="List of ancestors of the category.")
    products = product_connection_field(
        "List of products in the category and the categories below it. Requires staff rights to include the "
        "unpublished items."
    )
    children = connection_field(lambda: CategoryCountableConnection, description="List of children of the category.")
    background_image = graphene.Field(Image, description="Background image of the category.", **thumbnail_arguments())

    class Meta:
        interfaces = (relay.Node,)
        description = (
            "Represents a single category of products. Categories allow to organize products in a tree-hierarchies "
            "which can be used for navigation in the storefront."
        )

    @staticmethod
    def resolve_parent(root, info):
        return loaders.CategoryByIdLoader(info.context).load(root.parent_id) if root.parent_id else None

    @staticmethod
    def resolve_ancestors(root, info, **args):
        ordering = ["level", "pk"]
        if not batchable(args):
            ancestors = selectors.categories_matching(ids=root.ancestor_ids)
            return paginate(ancestors, info, args, ordering=ordering, connection_type=CategoryCountableConnection)
        rows = PreloadedRows(
            CategoryModel,
            rows=lambda: loaders.AncestorsByCategoryIdLoader(info.context).load(root.pk),
            count=lambda: len(root.ancestor_ids),
        )
        return paginate(rows, info, args, ordering=ordering, connection_type=CategoryCountableConnection)

    @staticmethod
    def resolve_children(root, info, **args):
        ordering = selectors.CHILD_CATEGORY_ORDERING

        def fallback():
            children = selectors.categories_matching(parent=root)
            return paginate(children, info, args, ordering=ordering, connection_type=CategoryCountableConnection)

        if not batchable(args):
            return fallback()
        key = (root.pk, args["first"] + 1)
        rows = PreloadedRows(
            CategoryModel,
            rows=lambda: loaders.ChildrenByCategoryIdLoader(info.context).load(key),
            count=lambda: loaders.ChildCountByCategoryIdLoader(info.context).load(root.pk),
        )
        return paginate(rows, info, args, ordering=ordering, connection_type=CategoryCountableConnection)

    @staticmethod
    def resolve_products(root, info, channel=None, filter=None, sort_by=None, **args):
        channel = channel_for(info, channel)

        def fallback():
            queryset = visible_products_where(info, channel, category_ids=[root.pk])
            return product_connection(info, queryset, channel, args, sort_by=sort_by, filter=filter)

        return nested_product_connection(
            info,
            root.pk,
            channel,
            args,
            loader=loaders.FirstProductsByCategoryIdLoader,
            count_loader=loaders.ProductCountByCategoryIdLoader,
            sort_by=sort_by,
            filter=filter,
            fallback=fallback,
        )

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        if not root.background_image:
            return None
        url = _image_url(info, "Category", root.pk, root.background_image, size=size, format=format)
        return {"url": url, "alt": root.background_image_alt}


class CategoryCountableConnection(CountableConnection):
    class Meta:
        node = Category


class Collection(graphene.ObjectType):
    seo_title = graphene.String(description="SEO title of the collection.")
    seo_description = graphene.String(description="SEO description of the collection.")
    name = graphene.String(required=True, description="Name of the collection.")
    description = graphene.JSONString(description=f"Description of the collection. {RICH_TEXT}")
    slug = graphene.String(required=True, description="Slug of the collection.")
    channel = graphene.String(description="Channel given to retrieve this collection.")
    products = connection_field(
        ProductCountableConnection,
        description="List of products in this collection.",
        filter=ProductFilterInput(description="Filtering options for products."),
        sort_by=ProductOrder(description="Sort products."),
    )
    background_image = graphene.Field(Image, description="Background image of the collection.", **thumbnail_arguments())

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents a collection of products."
        default_resolver = node_resolver

    @staticmethod
    def resolve_channel(root, _info):
        return root.channel.slug

    @staticmethod
    def resolve_products(root, info, filter=None, sort_by=None, **args):
        channel, collection = root.channel, root.node

        def fallback():
            queryset = visible_products_where(info, channel, collection_ids=[collection.pk])
            return product_connection(info, queryset, channel, args, sort_by=sort_by, filter=filter)

        return nested_product_connection(
            info,
            collection.pk,
            channel,
            args,
            loader=loaders.FirstProductsByCollectionIdLoader,
            count_loader=loaders.ProductCountByCollectionIdLoader,
            sort_by=sort_by,
            filter=filter,
            fallback=fallback,
        )

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        collection = root.node
        if not collection.background_image:
            return None
        url = _image_url(info, "Collection", collection.pk, collection.background_image, size=size, format=format)
        return {"url": url, "alt": collection.background_image_alt}


class CollectionCountableConnection(CountableConnection):
    class Meta:
        node = Collection


def collection_connection(info, queryset, channel, args, *, ordering):
    connection = paginate(queryset, info, args, ordering=ordering, connection_type=CollectionCountableConnection)
    nodes = collections_in_channel(info.context, [edge.node for edge in connection.edges], channel)
    for edge, node in zip(connection.edges, nodes, strict=True):
        edge.node = node
    return connection


def category_connection(info, queryset, args, *, ordering):
    connection = paginate(queryset, info, args, ordering=ordering, connection_type=CategoryCountableConnection)
    categories_loaded(info.context, [edge.node for edge in connection.edges])
    return connection


# --- Channels ---------------------------------------------------------------------------
class Channel(graphene.ObjectType):
    slug = graphene.String(required=True, description="Slug of the channel.")
    name = graphene.String(required=True, description="Name of the channel.")
    is_active = graphene.Boolean(required=True, description="Whether the channel is active.")
    currency_code = graphene.String(required=True, description="A currency that is assigned to the channel.")
    default_country = graphene.Field(
        CountryDisplay,
        required=True,
        description="Default country for the channel. Default country can be used in checkout to determine the "
        "stock quantities or calculate taxes when the country was not explicitly provided.",
    )
    countries = graphene.List(
        graphene.NonNull(CountryDisplay), description="List of shippable countries for the channel."
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents channel."

    @staticmethod
    def resolve_countries(root, _info):
        return [country_display(code) for code in selectors.channel_countries(root)]

    @staticmethod
    def resolve_default_country(root, _info):
        return country_display(root.default_country)
