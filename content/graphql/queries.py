"""Root query fields of pages and menus, with Saleor 3.21's names and arguments."""

import graphene

from catalog.graphql.loading import validate_one_of_args
from catalog.graphql.types import CHANNEL_ARGUMENT
from content import selectors
from content.graphql.filters import (
    MenuFilterInput,
    MenuSortingInput,
    PageFilterInput,
    PageSortingInput,
    menu_sort,
    page_sort,
)
from content.graphql.loading import ChannelContext, MenuTrees, channel_slug_or_default
from content.graphql.types import Menu, MenuCountableConnection, MenuItem, Page, PageCountableConnection
from mall.graphql.ids import from_global_id_or_error, from_global_ids_or_error
from mall.graphql.pagination import connection_field, paginate
from mall.graphql.selections import below, requested_paths
from mall.graphql.types import enum_name

STAFF_SEE_UNPUBLISHED_PAGES = "Operators with MANAGE_PAGES also see unpublished pages."


def _listed(values) -> list | None:
    return list(values) if values else None


class ContentQueries(graphene.ObjectType):
    page = graphene.Field(
        Page,
        id=graphene.ID(description="ID of the page."),
        slug=graphene.String(description="The slug of the page."),
        description=f"Look up a page by ID or slug. {STAFF_SEE_UNPUBLISHED_PAGES}",
    )
    pages = connection_field(
        PageCountableConnection,
        description=f"List of the shop's pages. {STAFF_SEE_UNPUBLISHED_PAGES}",
        sort_by=PageSortingInput(description="Sort pages."),
        filter=PageFilterInput(description="Filtering options for pages."),
    )
    menu = graphene.Field(
        Menu,
        channel=graphene.String(description=CHANNEL_ARGUMENT),
        id=graphene.ID(description="ID of the menu."),
        name=graphene.String(description="The menu's name."),
        slug=graphene.String(description="The menu's slug."),
        description="Look up a navigation menu by ID or name.",
    )
    menus = connection_field(
        MenuCountableConnection,
        description="List of the storefront's menus.",
        channel=graphene.String(description=CHANNEL_ARGUMENT),
        sort_by=MenuSortingInput(description="Sort menus."),
        filter=MenuFilterInput(description="Filtering options for menus."),
    )
    menu_item = graphene.Field(
        MenuItem,
        id=graphene.ID(required=True, description="ID of the menu item."),
        channel=graphene.String(description=CHANNEL_ARGUMENT),
        description="Look up a menu item by ID.",
    )

    @staticmethod
    def resolve_page(_root, info, id=None, slug=None):
        validate_one_of_args(id=id, slug=slug)
        user = info.context.user
        if id:
            return selectors.pages_matching(user=user, ids=[from_global_id_or_error(id, "Page")]).first()
        return selectors.page_by_slug(slug, user=user)

    @staticmethod
    def resolve_pages(_root, info, filter=None, sort_by=None, **args):
        filter = filter or {}
        pages = selectors.pages_matching(
            user=info.context.user,
            search=(filter.get("search") or "").strip(),
            ids=_listed(from_global_ids_or_error(filter.get("ids"), "Page")),
            slugs=_listed(filter.get("slugs")),
            page_type_ids=_listed(from_global_ids_or_error(filter.get("page_types"), "PageType")),
        )
        return paginate(pages, info, args, ordering=page_sort(sort_by), connection_type=PageCountableConnection)

    @staticmethod
    def resolve_menu(_root, info, channel=None, id=None, name=None, slug=None):
        validate_one_of_args(id=id, name=name, slug=slug)
        channel = channel_slug_or_default(channel)
        if id:
            menus = selectors.menus_matching(ids=[from_global_id_or_error(id, "Menu")])
        elif name:
            menus = selectors.menus_matching(names=[name])
        else:
            menus = selectors.menus_matching(slugs=[slug])
        menu = menus.first()
        return ChannelContext(node=menu, channel_slug=channel) if menu else None

    @staticmethod
    def resolve_menus(_root, info, channel=None, filter=None, sort_by=None, **args):
        channel = channel_slug_or_default(channel)
        filter = filter or {}
        menus = selectors.menus_matching(
            search=(filter.get("search") or "").strip(),
            slugs=_listed([*(filter.get("slug") or []), *(filter.get("slugs") or [])]),
        )
        if enum_name((sort_by or {}).get("field")) == "ITEMS_COUNT":
            menus = selectors.with_items_count(menus)
        connection = paginate(menus, info, args, ordering=menu_sort(sort_by), connection_type=MenuCountableConnection)
        loaded = [edge.node for edge in connection.edges]
        trees = MenuTrees.for_request(info.context, channel)
        if "items" in below(requested_paths(info), "edges.node"):
            trees.load(loaded)  # one query for the items of the whole page of menus
        for edge in connection.edges:
            edge.node = ChannelContext(node=edge.node, channel_slug=channel)
        return connection

    @staticmethod
    def resolve_menu_item(_root, info, id, channel=None):
        item = selectors.menu_item_by_id(from_global_id_or_error(id, "MenuItem"))
        return ChannelContext(node=item, channel_slug=channel_slug_or_default(channel)) if item else None
