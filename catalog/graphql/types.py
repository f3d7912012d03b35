"""Object types of the catalogue API, named and shaped as in Saleor 3.21, with the mall's additions.

Products reach these resolvers loaded by loading.with_product_data and marked with their channel
(loading.in_channel), so no field below runs a query per product.
"""

from itertools import groupby

import graphene
from graphene import relay

from catalog import pricing, selectors
from catalog.graphql.filters import ProductFilterInput, product_filter
from catalog.graphql.loading import channel_for, in_channel, requestor, with_product_data
from catalog.graphql.sorters import ProductOrder, product_sort
from catalog.models import Merchant as MerchantModel
from catalog.models import ProductMedia as ProductMediaModel
from catalog.thumbnails import thumbnail_url
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
    """Assigned values grouped by attribute, in assignment order; hidden attributes only for operators."""
    show_hidden = selectors.can_see_unpublished(requestor(info))
    values = [assignment.value for assignment in assignments]
    visible = [value for value in values if show_hidden or value.attribute.visible_in_storefront]
    return [
        {"attribute": attribute, "values": list(group)}
        for attribute, group in groupby(visible, key=lambda value: value.attribute)
    ]


def _assignments(owner):
    """The prefetched attribute assignments of a product or variant (a query only when not prefetched)."""
    if "attribute_values" in getattr(owner, "_prefetched_objects_cache", {}):
        return owner.attribute_values.all()
    return owner.attribute_values.select_related("value__attribute")


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
    on_sale = graphene.Boolean(description="Whether it is in sale or not.")
    discount = graphene.Field(TaxedMoney, description="The discount amount if in sale (null otherwise).")
    price = graphene.Field(TaxedMoney, description="The price, with any discount subtracted.")
    price_undiscounted = graphene.Field(TaxedMoney, description="The price without any discount.")
    member_price = graphene.Field(
        TaxedMoney,
        description="Union Mall extension: the price a verified member (实名认证会员) pays at checkout; "
        "null when the variant has no member price.",
    )

    class Meta:
        description = "Represents availability of a variant in the storefront."


class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean(description="Whether it is in sale or not.")
    discount = graphene.Field(TaxedMoney, description="The discount amount if in sale (null otherwise).")
    display_gross_prices = graphene.Boolean(
        required=True, description="Determines whether displayed prices should include taxes."
    )
    price_range = graphene.Field(TaxedMoneyRange, description="The discounted price range of the product variants.")
    price_range_undiscounted = graphene.Field(
        TaxedMoneyRange, description="The undiscounted price range of the product variants."
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
        description="Quantity of a product available for sale in the channel's warehouses. "
        "Null when the variant's stock is not tracked."
    )
    created = graphene.DateTime(required=True, description="The date and time when the product variant was created.")
    updated_at = graphene.DateTime(
        required=True, description="The date and time when the product variant was last updated."
    )
    member_price = graphene.Field(
        Money,
        description="Union Mall extension: the price a verified member (实名认证会员) pays at checkout "
        "(VAT included); null when the variant has no member price.",
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents a version of a product such as different size or color."

    @staticmethod
    def resolve_weight(root, _info):
        return weight_in_grams(root.weight)

    @staticmethod
    def resolve_channel(root, _info):
        return root.product.api_channel.slug

    @staticmethod
    def resolve_pricing(root, _info):
        if pricing.channel_listing(root.product) is None:
            return None
        variant_pricing = pricing.variant_pricing(root)
        return {
            "on_sale": variant_pricing.on_sale,
            "discount": None,
            "price": taxed(variant_pricing.price),
            "price_undiscounted": taxed(variant_pricing.price_undiscounted),
            "member_price": taxed(variant_pricing.member_price),
        }

    @staticmethod
    def resolve_attributes(root, info):
        return selected_attributes(_assignments(root), info)

    @staticmethod
    def resolve_quantity_available(root, _info):
        return pricing.quantity_available(root) if root.track_inventory else None

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_member_price(root, _info):
        return pricing.variant_pricing(root).member_price


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
        "paid by verified members at checkout (VAT included); null when no variant has a member price.",
    )
    merchant = graphene.Field(Merchant, required=True, description="Union Mall extension: the seller of the product.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents an individual item for sale in the storefront."

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_weight(root, _info):
        return weight_in_grams(root.weight)

    @staticmethod
    def resolve_default_variant(root, _info):
        return next(iter(root.listed_variants), None)

    @staticmethod
    def resolve_channel(root, _info):
        return root.api_channel.slug

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format=None):
        media = next((media for media in root.listed_media if media.image), None)
        if media is None:
            return None
        url = _image_url(info, "ProductMedia", media.pk, media.image, size=size, format=format)
        return {"url": url, "alt": media.alt}

    @staticmethod
    def resolve_pricing(root, _info):
        if pricing.channel_listing(root) is None:
            return None
        product_pricing = pricing.product_pricing(root)
        return {
            "on_sale": product_pricing.on_sale,
            "discount": None,
            "display_gross_prices": True,
            "price_range": taxed_range(product_pricing.price_range),
            "price_range_undiscounted": taxed_range(product_pricing.price_range_undiscounted),
        }

    @staticmethod
    def resolve_is_available(root, _info):
        return pricing.is_available(root)

    @staticmethod
    def resolve_attributes(root, info):
        return selected_attributes(_assignments(root), info)

    @staticmethod
    def resolve_variants(root, _info):
        return root.listed_variants

    @staticmethod
    def resolve_media(root, _info):
        return root.listed_media

    @staticmethod
    def resolve_collections(root, info):
        collections = getattr(root, "visible_collections", None)
        if collections is None:
            collections = selectors.visible_collections(root.api_channel, user=requestor(info)).filter(products=root)
        return in_channel(list(collections), root.api_channel)

    @staticmethod
    def resolve_available_for_purchase_at(root, _info):
        listing = pricing.channel_listing(root)
        return listing.available_for_purchase_at if listing else None

    @staticmethod
    def resolve_is_available_for_purchase(root, _info):
        return pricing.is_available_for_purchase(root)

    @staticmethod
    def resolve_member_price_range(root, _info):
        return pricing.product_pricing(root).member_price_range


class ProductCountableConnection(CountableConnection):
    class Meta:
        node = Product


def visible_products_where(info, channel, **scope):
    """The products the requestor may see in `channel`, narrowed by ProductFilter fields."""
    visible = selectors.visible_products(channel, user=requestor(info))
    return selectors.filter_products(visible, channel, selectors.ProductFilter(**scope))


def product_connection(info, queryset, channel, args, *, sort_by=None, filter=None, search=None):
    """A page of products from `queryset` (already limited to what the requestor may see)."""
    if filter:
        queryset = selectors.filter_products(queryset, channel, product_filter(filter))
    if search:
        queryset = selectors.filter_products(queryset, channel, selectors.ProductFilter(search=search.strip()))
    paths = below(requested_paths(info), "edges.node")
    connection = paginate(
        with_product_data(queryset, channel, info, paths),
        info,
        args,
        ordering=product_sort(sort_by),
        connection_type=ProductCountableConnection,
    )
    in_channel([edge.node for edge in connection.edges], channel)
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
    def resolve_ancestors(root, info, **args):
        return paginate(
            selectors.categories_matching(ids=root.ancestor_ids),
            info,
            args,
            ordering=["level", "pk"],
            connection_type=CategoryCountableConnection,
        )

    @staticmethod
    def resolve_children(root, info, **args):
        return paginate(
            selectors.categories_matching(parent=root),
            info,
            args,
            ordering=["sort_order", "name", "pk"],
            connection_type=CategoryCountableConnection,
        )

    @staticmethod
    def resolve_products(root, info, channel=None, filter=None, sort_by=None, **args):
        channel = channel_for(info, channel)
        queryset = visible_products_where(info, channel, category_ids=[root.pk])
        return product_connection(info, queryset, channel, args, sort_by=sort_by, filter=filter)

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

    @staticmethod
    def resolve_channel(root, _info):
        return root.api_channel.slug

    @staticmethod
    def resolve_products(root, info, filter=None, sort_by=None, **args):
        channel = root.api_channel
        queryset = visible_products_where(info, channel, collection_ids=[root.pk])
        return product_connection(info, queryset, channel, args, sort_by=sort_by, filter=filter)

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        if not root.background_image:
            return None
        url = _image_url(info, "Collection", root.pk, root.background_image, size=size, format=format)
        return {"url": url, "alt": root.background_image_alt}


class CollectionCountableConnection(CountableConnection):
    class Meta:
        node = Collection


def collection_connection(info, queryset, channel, args, *, ordering):
    connection = paginate(queryset, info, args, ordering=ordering, connection_type=CollectionCountableConnection)
    in_channel([edge.node for edge in connection.edges], channel)
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

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents channel."

    @staticmethod
    def resolve_default_country(root, _info):
        return country_display(root.default_country)
