"""Object types of pages and menus, named and shaped as in Saleor 3.21."""

import graphene
from graphene import relay

from catalog.graphql.loading import channel_for, in_channel
from catalog.graphql.types import RICH_TEXT, Category, Collection
from content import selectors
from content.graphql.loading import ChannelContext, MenuTrees
from mall.graphql.mutations import error_type
from mall.graphql.pagination import CountableConnection


def node_attribute(attname, default_value, root, info, **_args):
    """Fields of a type whose root is a ChannelContext read the wrapped model instance."""
    return getattr(root.node, attname, default_value)


# --- Pages ------------------------------------------------------------------------------
class PageType(graphene.ObjectType):
    name = graphene.String(required=True, description="Name of the page type.")
    slug = graphene.String(required=True, description="Slug of the page type.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents a type of page. It defines what attributes are available to pages of this type."


class Page(graphene.ObjectType):
    seo_title = graphene.String(description="SEO title of the page.")
    seo_description = graphene.String(description="SEO description of the page.")
    title = graphene.String(required=True, description="Title of the page.")
    content = graphene.JSONString(description=f"Content of the page. {RICH_TEXT}")
    published_at = graphene.DateTime(description="The page publication date.")
    is_published = graphene.Boolean(required=True, description="Determines if the page is visible in the storefront.")
    slug = graphene.String(required=True, description="Slug of the page.")
    page_type = graphene.Field(PageType, required=True, description="Determines the type of page")
    created = graphene.DateTime(required=True, description="Date and time at which page was created.")

    class Meta:
        interfaces = (relay.Node,)
        description = "A static page that can be manually added by a shop operator through the dashboard."

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_page_type(root, _info):
        return root.page_type


class PageCountableConnection(CountableConnection):
    class Meta:
        node = Page


# --- Menus ------------------------------------------------------------------------------
def _trees(info, root: ChannelContext) -> MenuTrees:
    return MenuTrees.for_request(info.context, root.channel_slug)


class Menu(graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    items = graphene.List(graphene.NonNull(lambda: MenuItem))

    class Meta:
        interfaces = (relay.Node,)
        default_resolver = node_attribute
        description = "Represents a single menu - an object that is used to help navigate through the store."

    @staticmethod
    def resolve_id(root, _info):
        return root.node.pk

    @staticmethod
    def resolve_items(root, info):
        trees = _trees(info, root)
        return trees.in_channel(trees.menu_items(root.node))


class MenuItem(graphene.ObjectType):
    name = graphene.String(required=True)
    menu = graphene.Field(Menu, required=True)
    parent = graphene.Field(lambda: MenuItem)
    category = graphene.Field(Category)
    collection = graphene.Field(Collection)
    page = graphene.Field(Page)
    level = graphene.Int(required=True)
    children = graphene.List(graphene.NonNull(lambda: MenuItem))
    url = graphene.String(description="URL to the menu item.")

    class Meta:
        interfaces = (relay.Node,)
        default_resolver = node_attribute
        description = "Represents a single item of the related menu. Can store categories, collection or pages."

    @staticmethod
    def resolve_id(root, _info):
        return root.node.pk

    @staticmethod
    def resolve_menu(root, info):
        return ChannelContext(node=_trees(info, root).loaded_item(root.node).menu, channel_slug=root.channel_slug)

    @staticmethod
    def resolve_parent(root, info):
        item = _trees(info, root).loaded_item(root.node)
        return ChannelContext(node=item.parent, channel_slug=root.channel_slug) if item.parent_id else None

    @staticmethod
    def resolve_children(root, info):
        trees = _trees(info, root)
        return trees.in_channel(trees.item_children(root.node))

    @staticmethod
    def resolve_category(root, info):
        return _trees(info, root).loaded_item(root.node).category

    @staticmethod
    def resolve_collection(root, info):
        item = _trees(info, root).loaded_item(root.node)
        if item.collection_id is None or not getattr(item, "collection_listed", False):
            return None
        return in_channel([item.collection], channel_for(info, root.channel_slug))[0]

    @staticmethod
    def resolve_page(root, info):
        item = _trees(info, root).loaded_item(root.node)
        if item.page_id is None:
            return None
        visible = selectors.can_see_unpublished_pages(info.context.user) or item.page.is_visible()
        return item.page if visible else None

    @staticmethod
    def resolve_url(root, _info):
        return root.node.url or None


class MenuCountableConnection(CountableConnection):
    class Meta:
        node = Menu


# --- Errors -----------------------------------------------------------------------------
class MenuErrorCode(graphene.Enum):
    CANNOT_ASSIGN_NODE = "cannot_assign_node"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    INVALID_MENU_ITEM = "invalid_menu_item"
    NO_MENU_ITEM_PROVIDED = "no_item_provided"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    TOO_MANY_MENU_ITEMS = "too_many_items"
    UNIQUE = "unique"

    class Meta:
        description = "An enumeration."


class PageErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    ATTRIBUTE_ALREADY_ASSIGNED = "attribute_already_assigned"

    class Meta:
        description = "An enumeration."


MenuError = error_type("MenuError", MenuErrorCode, description="Represents errors in menus.")
PageError = error_type(
    "PageError",
    PageErrorCode,
    description="Represents errors in pages.",
    attributes=graphene.List(
        graphene.NonNull(graphene.ID), description="List of attributes IDs which causes the error."
    ),
    values=graphene.List(
        graphene.NonNull(graphene.ID), description="List of attribute values IDs which causes the error."
    ),
)
