"""Every read of pages and menus, for the API and the storefront."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from catalog.models import CollectionChannelListing
from catalog.selectors import can_see_unpublished
from content.models import Menu, MenuItem, Page, visible_pages_condition
from mall.permissions import PermissionEnum, has_permissions

# Saleor's default menu slugs, read by the storefront's header and footer.
STOREFRONT_MENUS = ("navbar", "footer")


# --- Pages ------------------------------------------------------------------------------
def can_see_unpublished_pages(user) -> bool:
    return has_permissions(user, [PermissionEnum.MANAGE_PAGES])


def visible_pages(*, user=None) -> QuerySet[Page]:
    """Pages a person may read; operators with MANAGE_PAGES also see unpublished ones."""
    pages = Page.objects.select_related("page_type")
    return pages if can_see_unpublished_pages(user) else pages.filter(visible_pages_condition())


def pages_matching(*, user=None, search: str = "", ids=None, slugs=None, page_type_ids=None) -> QuerySet[Page]:
    pages = visible_pages(user=user)
    if search:
        pages = pages.filter(Q(title__icontains=search) | Q(slug__icontains=search) | Q(content__icontains=search))
    if ids is not None:
        pages = pages.filter(pk__in=ids)
    if slugs is not None:
        pages = pages.filter(slug__in=slugs)
    if page_type_ids is not None:
        pages = pages.filter(page_type_id__in=page_type_ids)
    return pages


def page_by_slug(slug: str, *, user=None) -> Page | None:
    return visible_pages(user=user).filter(slug=slug).first()


# --- Menus ------------------------------------------------------------------------------
def menus_matching(*, search: str = "", slugs=None, ids=None, names=None) -> QuerySet[Menu]:
    menus = Menu.objects.all()
    if search:
        menus = menus.filter(Q(name__icontains=search) | Q(slug__icontains=search))
    if slugs is not None:
        menus = menus.filter(slug__in=slugs)
    if ids is not None:
        menus = menus.filter(pk__in=ids)
    if names is not None:
        menus = menus.filter(name__in=names)
    return menus


def menu_item_by_id(pk: int) -> MenuItem | None:
    return MenuItem.objects.select_related("menu").filter(pk=pk).first()


def with_items_count(menus: QuerySet[Menu]) -> QuerySet[Menu]:
    """`items_count` as a subquery, so that keyset pagination can filter on it without GROUP BY."""
    counts = MenuItem.objects.filter(menu=OuterRef("pk")).values("menu").annotate(total=Count("pk")).values("total")
    return menus.annotate(items_count=Coalesce(Subquery(counts), Value(0)))


# What a link to a category, collection or page needs of it; their rich text is the costly part to read.
LINK_TARGET_TEXT = ("category__description", "collection__description", "page__content")


def menu_items(
    menu_ids, *, channel_slug: str, user=None, with_menu: bool = False, links_only: bool = False
) -> list[MenuItem]:
    """Every item of the menus, with its linked category, collection and page, in one query.

    `collection_listed` says whether the linked collection may be shown in the channel to `user`.
    `links_only` leaves out the targets' descriptions and content, for callers that only link to them.
    """
    related = ["category", "collection", "page", *(["menu"] if with_menu else [])]
    items = MenuItem.objects.filter(menu_id__in=menu_ids).select_related(*related)
    if links_only:
        items = items.defer(*LINK_TARGET_TEXT)
    if can_see_unpublished(user):
        return list(items.annotate(collection_listed=Value(True)))
    listing = CollectionChannelListing.objects.filter(
        collection=OuterRef("collection_id"),
        channel__slug=channel_slug,
        channel__is_active=True,
        is_published=True,
        published_at__lte=timezone.now(),
    )
    return list(items.annotate(collection_listed=Exists(listing)))


# --- The storefront's header and footer -------------------------------------------------
@dataclass
class MenuLink:
    name: str
    url: str
    children: list["MenuLink"] = field(default_factory=list)


def _link_url(item: MenuItem, now) -> str | None:
    """Where an item leads on the storefront; None when its target is hidden from visitors."""
    if item.category_id:
        return reverse("storefront:category", args=[item.category.slug])
    if item.collection_id:
        return reverse("storefront:collection", args=[item.collection.slug]) if item.collection_listed else None
    if item.page_id:
        return reverse("storefront:page", args=[item.page.slug]) if item.page.is_visible(now) else None
    return item.url or ""


STOREFRONT_MENUS_CACHE_KEY = "storefront-menus"


def cached_storefront_menus(*, channel_slug: str) -> dict[str, list[MenuLink]]:
    """storefront_menus, kept in the cache: every page shows them and they change rarely.

    content.services forgets them when a menu, item or page changes; a renamed category or an
    unpublished collection shows within STOREFRONT_MENUS_CACHE_SECONDS.
    """
    menus_by_channel = cache.get(STOREFRONT_MENUS_CACHE_KEY) or {}
    if channel_slug not in menus_by_channel:
        menus_by_channel[channel_slug] = storefront_menus(channel_slug=channel_slug)
        cache.set(STOREFRONT_MENUS_CACHE_KEY, menus_by_channel, timeout=settings.STOREFRONT_MENUS_CACHE_SECONDS)
    return menus_by_channel[channel_slug]


def forget_storefront_menus() -> None:
    cache.delete(STOREFRONT_MENUS_CACHE_KEY)


def storefront_menus(*, channel_slug: str, slugs=STOREFRONT_MENUS) -> dict[str, list[MenuLink]]:
    """The links of each menu in `slugs` as visitors see them (one query for all of them)."""
    now = timezone.now()
    menus = Menu.objects.filter(slug__in=list(slugs)).values("pk")
    items = menu_items(menus, channel_slug=channel_slug, with_menu=True, links_only=True)
    result: dict[str, list[MenuLink]] = {slug: [] for slug in slugs}
    links: dict[int, MenuLink] = {}
    for item in items:
        url = _link_url(item, now)
        if url is None:
            continue
        links[item.pk] = MenuLink(name=item.name, url=url)
    for item in items:
        link = links.get(item.pk)
        if link is None:
            continue
        if item.parent_id is None:
            result[item.menu.slug].append(link)
        elif item.parent_id in links:
            links[item.parent_id].children.append(link)
    return result
