"""Every change to pages and menus: the API's mutations, the admin and the demo seed call these.

`requestor` is the user asking; the Saleor permission (MANAGE_PAGES, MANAGE_MENUS) is checked
here. None stands for a trusted internal caller (the demo seed, data migrations).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.models import Category, Collection
from catalog.slugs import unique_slug
from content import selectors
from content.editorjs import clean_editorjs
from content.models import Menu, MenuItem, Page, PageType
from mall.permissions import PermissionEnum, require_permissions

PAGE_EDITABLE_FIELDS = {
    "title",
    "slug",
    "content",
    "seo_title",
    "seo_description",
    "is_published",
    "published_at",
    "page_type",
}
MENU_ITEM_EDITABLE_FIELDS = {"name", "parent", "sort_order", "category", "collection", "page", "url"}
MAX_MENU_DEPTH = 3


def _require(requestor, permission: PermissionEnum) -> None:
    if requestor is not None:
        require_permissions(requestor, permission)


# --- Pages ------------------------------------------------------------------------------
@transaction.atomic
def create_page_type(*, requestor, name: str, slug: str | None = None) -> PageType:
    _require(requestor, PermissionEnum.MANAGE_PAGE_TYPES_AND_ATTRIBUTES)
    page_type = PageType(name=name, slug=slug or unique_slug(PageType, name))
    page_type.full_clean()
    page_type.save()
    return page_type


def _publish_time(page: Page) -> None:
    # As in Saleor: publishing without a date publishes now.
    if page.is_published and page.published_at is None:
        page.published_at = timezone.now()


@transaction.atomic
def create_page(
    *,
    requestor,
    page_type: PageType,
    title: str,
    slug: str | None = None,
    content: dict | None = None,
    seo_title: str = "",
    seo_description: str = "",
    is_published: bool = False,
    published_at: datetime | None = None,
) -> Page:
    _require(requestor, PermissionEnum.MANAGE_PAGES)
    page = Page(
        page_type=page_type,
        title=title,
        slug=slug or unique_slug(Page, title),
        content=content,
        seo_title=seo_title,
        seo_description=seo_description,
        is_published=is_published,
        published_at=published_at,
    )
    return save_page(page, requestor=None)


@transaction.atomic
def update_page(page: Page, *, requestor, **changes) -> Page:
    _require(requestor, PermissionEnum.MANAGE_PAGES)
    unknown = set(changes) - PAGE_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_page cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(page, field, value)
    return save_page(page, requestor=None)


@transaction.atomic
def save_page(page: Page, *, requestor) -> Page:
    """Check and save a new or edited page (the admin's form fills the row, then calls this)."""
    _require(requestor, PermissionEnum.MANAGE_PAGES)
    page.content = clean_editorjs(page.content)
    _publish_time(page)
    page.full_clean()
    page.save()
    transaction.on_commit(selectors.forget_storefront_menus)
    return page


@transaction.atomic
def delete_page(page: Page, *, requestor) -> None:
    """Delete a page; menu items linking to it go with it (as in Saleor)."""
    _require(requestor, PermissionEnum.MANAGE_PAGES)
    page.delete()
    transaction.on_commit(selectors.forget_storefront_menus)


# --- Menus ------------------------------------------------------------------------------
@transaction.atomic
def create_menu(*, requestor, name: str, slug: str | None = None, items=()) -> Menu:
    """A menu, with top-level `items` given as dicts of create_menu_item's link arguments."""
    _require(requestor, PermissionEnum.MANAGE_MENUS)
    menu = save_menu(Menu(name=name, slug=slug or unique_slug(Menu, name)), requestor=None)
    for position, item in enumerate(items):
        create_menu_item(requestor=None, menu=menu, sort_order=position, **item)
    return menu


def save_menu(menu: Menu, *, requestor) -> Menu:
    _require(requestor, PermissionEnum.MANAGE_MENUS)
    menu.full_clean()
    menu.save()
    transaction.on_commit(selectors.forget_storefront_menus)
    return menu


@transaction.atomic
def update_menu(menu: Menu, *, requestor, **changes) -> Menu:
    unknown = set(changes) - {"name", "slug"}
    if unknown:
        raise TypeError(f"update_menu cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(menu, field, value)
    return save_menu(menu, requestor=requestor)


@transaction.atomic
def delete_menu(menu: Menu, *, requestor) -> None:
    _require(requestor, PermissionEnum.MANAGE_MENUS)
    menu.delete()
    transaction.on_commit(selectors.forget_storefront_menus)


@transaction.atomic
def delete_menu_item(item: MenuItem, *, requestor) -> None:
    """Delete an item and the items below it."""
    _require(requestor, PermissionEnum.MANAGE_MENUS)
    item.delete()
    transaction.on_commit(selectors.forget_storefront_menus)


@transaction.atomic
def create_menu_item(
    *,
    requestor,
    menu: Menu,
    name: str,
    parent: MenuItem | None = None,
    category: Category | None = None,
    collection: Collection | None = None,
    page: Page | None = None,
    url: str = "",
    sort_order: int | None = None,
) -> MenuItem:
    _require(requestor, PermissionEnum.MANAGE_MENUS)
    if sort_order is None:
        sort_order = MenuItem.objects.filter(menu=menu, parent=parent).count()
    item = MenuItem(
        menu=menu,
        parent=parent,
        name=name,
        category=category,
        collection=collection,
        page=page,
        url=url or "",
        sort_order=sort_order,
    )
    return save_menu_item(item, requestor=None)


@transaction.atomic
def update_menu_item(item: MenuItem, *, requestor, **changes) -> MenuItem:
    _require(requestor, PermissionEnum.MANAGE_MENUS)
    unknown = set(changes) - MENU_ITEM_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_menu_item cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(item, field, value if field != "url" else value or "")
    return save_menu_item(item, requestor=None)


@transaction.atomic
def save_menu_item(item: MenuItem, *, requestor) -> MenuItem:
    """Check an item's place in its menu's tree, save it and keep the levels below it right."""
    _require(requestor, PermissionEnum.MANAGE_MENUS)
    check_menu_item_place(item)
    item.level = item.parent.level + 1 if item.parent else 0
    item.full_clean()
    item.save()
    transaction.on_commit(selectors.forget_storefront_menus)
    _relevel_below(item)
    return item


def _place_error(message: str) -> ValidationError:
    return ValidationError({"parent": ValidationError(message, code="invalid_menu_item")})


def check_menu_item_place(item: MenuItem) -> None:
    """The item's parent is in the same menu, not below the item itself, and the branch not too deep."""
    parent = item.parent
    if parent is None:
        return
    if parent.menu_id != item.menu_id:
        raise _place_error("上级菜单项必须属于同一个菜单。")
    parents = (
        {} if item.pk is None else dict(MenuItem.objects.filter(menu_id=item.menu_id).values_list("pk", "parent_id"))
    )
    ancestor = parent.pk
    while ancestor is not None:
        if ancestor == item.pk:
            raise _place_error("不能把菜单项移到它自己的下级。")
        ancestor = parents.get(ancestor)
    if parent.level + 1 + _height_below(item.pk, parents) >= MAX_MENU_DEPTH:
        raise _place_error(f"菜单最多 {MAX_MENU_DEPTH} 层。")


def _height_below(pk: int | None, parents: dict[int, int | None]) -> int:
    """How many levels of items hang below the item `pk` (0 for a leaf or a new item)."""
    children_of: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children_of.setdefault(parent, []).append(child)
    height, generation = 0, [pk] if pk is not None else []
    while True:
        generation = [child for item in generation for child in children_of.get(item, [])]
        if not generation:
            return height
        height += 1


def _relevel_below(item: MenuItem) -> None:
    children_of: dict[int, list[MenuItem]] = {}
    for child in MenuItem.objects.filter(menu_id=item.menu_id, parent__isnull=False).only("pk", "parent_id", "level"):
        children_of.setdefault(child.parent_id, []).append(child)
    changed, stack = [], [(item.pk, item.level)]
    while stack:
        parent_pk, parent_level = stack.pop()
        for child in children_of.get(parent_pk, []):
            if child.level != parent_level + 1:
                child.level = parent_level + 1
                changed.append(child)
            stack.append((child.pk, child.level))
    MenuItem.objects.bulk_update(changed, ["level"])
