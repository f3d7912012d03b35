"""Mutations of pages and menus (Saleor's names, inputs and error codes); each calls content.services."""

import graphene

from catalog.models import Category, Collection
from content import services
from content.graphql.loading import ChannelContext, channel_slug_or_default
from content.graphql.types import Menu, MenuError, MenuItem, Page, PageError
from content.models import Menu as MenuModel
from content.models import MenuItem as MenuItemModel
from content.models import Page as PageModel
from content.models import PageType as PageTypeModel
from mall.graphql.mutations import BaseMutation
from mall.permissions import PermissionEnum

LINK_MODELS = {
    "category": (Category, "Category"),
    "collection": (Collection, "Collection"),
    "page": (PageModel, "Page"),
}


class MenuItemInput(graphene.InputObjectType):
    name = graphene.String(description="Name of the menu item.")
    url = graphene.String(description="URL of the pointed item.")
    category = graphene.ID(description="Category to which item points.")
    collection = graphene.ID(description="Collection to which item points.")
    page = graphene.ID(description="Page to which item points.")


class MenuCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="Name of the menu.")
    slug = graphene.String(description="Slug of the menu. Will be generated if not provided.")
    items = graphene.List(graphene.NonNull(MenuItemInput), description="List of menu items.")


class MenuItemCreateInput(MenuItemInput):
    name = graphene.String(required=True, description="Name of the menu item.")
    menu = graphene.ID(required=True, description="Menu to which item belongs.")
    parent = graphene.ID(description="ID of the parent menu. If empty, menu will be top level menu.")


class MenuInput(graphene.InputObjectType):
    name = graphene.String(description="Name of the menu.")
    slug = graphene.String(description="Slug of the menu.")


class SeoInput(graphene.InputObjectType):
    title = graphene.String(description="SEO title.")
    description = graphene.String(description="SEO description.")


class PageInput(graphene.InputObjectType):
    slug = graphene.String(description="Page internal name.")
    title = graphene.String(description="Page title.")
    content = graphene.JSONString(description="Page content. Rich text format. For reference see https://editorjs.io/")
    is_published = graphene.Boolean(description="Determines if page is visible in the storefront.")
    published_at = graphene.DateTime(description="Publication date time. ISO 8601 standard.")
    seo = SeoInput(description="Search engine optimization fields.")


class PageCreateInput(PageInput):
    page_type = graphene.ID(required=True, description="ID of the page type that page belongs to.")


def _links(mutation, data: dict) -> dict:
    """The category, collection or page a menu item input names, as rows."""
    links = {}
    for field, (model, type_name) in LINK_MODELS.items():
        if data.get(field):
            links[field] = mutation.get_instance(model.objects.all(), data[field], type_name=type_name, field=field)
    return links


def _page_changes(data: dict) -> dict:
    changes = {
        field: data[field] for field in ("slug", "title", "content", "is_published", "published_at") if field in data
    }
    seo = data.get("seo") or {}
    if "title" in seo:
        changes["seo_title"] = seo["title"] or ""
    if "description" in seo:
        changes["seo_description"] = seo["description"] or ""
    return changes


class MenuCreate(BaseMutation):
    """Creates a new Menu."""

    menu = graphene.Field(Menu)

    class Arguments:
        input = MenuCreateInput(required=True, description="Fields required to create a menu.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_MENUS,)
        error_type_class = MenuError

    @classmethod
    def perform_mutation(cls, _root, info, input):
        items = [
            {"name": item.get("name") or "", "url": item.get("url") or "", **_links(cls, item)}
            for item in input.get("items") or []
        ]
        menu = services.create_menu(
            requestor=info.context.user, name=input["name"], slug=input.get("slug"), items=items
        )
        return cls(menu=ChannelContext(node=menu, channel_slug=channel_slug_or_default(None)))


class MenuItemCreate(BaseMutation):
    """Creates a new menu item."""

    menu_item = graphene.Field(MenuItem)

    class Arguments:
        input = MenuItemCreateInput(
            required=True,
            description="Fields required to update a menu item. Only one of `url`, `category`, `page`, "
            "`collection` is allowed per item.",
        )

    class Meta:
        permissions = (PermissionEnum.MANAGE_MENUS,)
        error_type_class = MenuError

    @classmethod
    def perform_mutation(cls, _root, info, input):
        menu = cls.get_instance(MenuModel.objects.all(), input["menu"], type_name="Menu", field="menu")
        parent = None
        if input.get("parent"):
            parent = cls.get_instance(
                MenuItemModel.objects.all(), input["parent"], type_name="MenuItem", field="parent"
            )
        item = services.create_menu_item(
            requestor=info.context.user,
            menu=menu,
            parent=parent,
            name=input["name"],
            url=input.get("url") or "",
            **_links(cls, input),
        )
        return cls(menu_item=ChannelContext(node=item, channel_slug=channel_slug_or_default(None)))


class PageCreate(BaseMutation):
    """Creates a new page."""

    page = graphene.Field(Page)

    class Arguments:
        input = PageCreateInput(required=True, description="Fields required to create a page.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_PAGES,)
        error_type_class = PageError

    @classmethod
    def perform_mutation(cls, _root, info, input):
        page_type = cls.get_instance(
            PageTypeModel.objects.all(), input["page_type"], type_name="PageType", field="pageType"
        )
        page = services.create_page(requestor=info.context.user, page_type=page_type, **_page_changes(input))
        return cls(page=page)


class PageUpdate(BaseMutation):
    """Updates an existing page."""

    page = graphene.Field(Page)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a page to update.")
        input = PageInput(required=True, description="Fields required to update a page.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_PAGES,)
        error_type_class = PageError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        page = cls.get_instance(PageModel.objects.select_related("page_type"), id, type_name="Page")
        page = services.update_page(page, requestor=info.context.user, **_page_changes(input))
        return cls(page=page)


class PageDelete(BaseMutation):
    """Deletes a page."""

    page = graphene.Field(Page)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a page to delete.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_PAGES,)
        error_type_class = PageError

    @classmethod
    def perform_mutation(cls, _root, info, id):
        page = cls.get_instance(PageModel.objects.select_related("page_type"), id, type_name="Page")
        pk = page.pk
        services.delete_page(page, requestor=info.context.user)
        page.pk = pk  # the payload names what was deleted, as in Saleor
        return cls(page=page)


class MenuUpdate(BaseMutation):
    """Updates a menu."""

    menu = graphene.Field(Menu)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a menu to update.")
        input = MenuInput(required=True, description="Fields required to update a menu.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_MENUS,)
        error_type_class = MenuError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        menu = cls.get_instance(MenuModel.objects.all(), id, type_name="Menu")
        changes = {field: input[field] for field in ("name", "slug") if input.get(field) is not None}
        menu = services.update_menu(menu, requestor=info.context.user, **changes)
        return cls(menu=ChannelContext(node=menu, channel_slug=channel_slug_or_default(None)))


class MenuDelete(BaseMutation):
    """Deletes a menu."""

    menu = graphene.Field(Menu)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a menu to delete.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_MENUS,)
        error_type_class = MenuError

    @classmethod
    def perform_mutation(cls, _root, info, id):
        menu = cls.get_instance(MenuModel.objects.all(), id, type_name="Menu")
        pk = menu.pk
        services.delete_menu(menu, requestor=info.context.user)
        menu.pk = pk
        return cls(menu=ChannelContext(node=menu, channel_slug=channel_slug_or_default(None)))


class MenuItemUpdate(BaseMutation):
    """Updates a menu item."""

    menu_item = graphene.Field(MenuItem)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a menu item to update.")
        input = MenuItemInput(
            required=True,
            description="Fields required to update a menu item. Only one of `url`, `category`, `page`, "
            "`collection` is allowed per item.",
        )

    class Meta:
        permissions = (PermissionEnum.MANAGE_MENUS,)
        error_type_class = MenuError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        item = cls.get_instance(MenuItemModel.objects.select_related("menu", "parent"), id, type_name="MenuItem")
        changes = {"name": input["name"]} if input.get("name") else {}
        if any(input.get(field) for field in ("url", *LINK_MODELS)):
            # A new link replaces the old one: an item links to one thing only.
            changes.update({"url": input.get("url") or "", "category": None, "collection": None, "page": None})
            changes.update(_links(cls, input))
        item = services.update_menu_item(item, requestor=info.context.user, **changes)
        return cls(menu_item=ChannelContext(node=item, channel_slug=channel_slug_or_default(None)))


class MenuItemDelete(BaseMutation):
    """Deletes a menu item."""

    menu_item = graphene.Field(MenuItem)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a menu item to delete.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_MENUS,)
        error_type_class = MenuError

    @classmethod
    def perform_mutation(cls, _root, info, id):
        item = cls.get_instance(MenuItemModel.objects.select_related("menu", "parent"), id, type_name="MenuItem")
        pk = item.pk
        services.delete_menu_item(item, requestor=info.context.user)
        item.pk = pk
        return cls(menu_item=ChannelContext(node=item, channel_slug=channel_slug_or_default(None)))


class ContentMutations(graphene.ObjectType):
    menu_create = MenuCreate.Field()
    menu_delete = MenuDelete.Field()
    menu_update = MenuUpdate.Field()
    menu_item_create = MenuItemCreate.Field()
    menu_item_delete = MenuItemDelete.Field()
    menu_item_update = MenuItemUpdate.Field()
    page_create = PageCreate.Field()
    page_delete = PageDelete.Field()
    page_update = PageUpdate.Field()
