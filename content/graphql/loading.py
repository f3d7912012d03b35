"""How the content API reads menus: a menu's whole item tree in one query, once per request.

Menus and their items reach the types as ChannelContext values (the item and the channel it was
read for), so a menu item reached from a menu, a list of menus or a mutation payload resolves
its children, category, collection and page the same way and without a query per item.
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings

from content import selectors
from content.models import Menu, MenuItem

Node = TypeVar("Node")


@dataclass(frozen=True)
class ChannelContext(Generic[Node]):
    """A row and the slug of the channel it was read for (the default channel's when none was asked)."""

    node: Node
    channel_slug: str


def channel_slug_or_default(slug: str | None) -> str:
    return slug or settings.DEFAULT_CHANNEL_SLUG


class MenuTrees:
    """The item trees of the menus read in one request for one channel, loaded menu by menu on demand."""

    def __init__(self, request, channel_slug: str):
        self.user = request.user
        self.channel_slug = channel_slug
        self.menus: dict[int, Menu] = {}
        self.items: dict[int, MenuItem] = {}
        self.top_level: dict[int, list[MenuItem]] = {}
        self.children: dict[int, list[MenuItem]] = {}

    @classmethod
    def for_request(cls, request, channel_slug: str) -> "MenuTrees":
        trees = request.__dict__.setdefault("_content_menu_trees", {})
        if channel_slug not in trees:
            trees[channel_slug] = cls(request, channel_slug)
        return trees[channel_slug]

    def load(self, menus) -> None:
        """Read the items of every menu in `menus` not read yet, in one query."""
        missing = [menu for menu in menus if menu.pk not in self.top_level]
        for menu in missing:
            self.menus[menu.pk] = menu
            self.top_level[menu.pk] = []
        if not missing:
            return
        items = selectors.menu_items([menu.pk for menu in missing], channel_slug=self.channel_slug, user=self.user)
        for item in items:
            item.menu = self.menus[item.menu_id]
            self.items[item.pk] = item
            self.children.setdefault(item.pk, [])
        for item in items:
            if item.parent_id is None:
                self.top_level[item.menu_id].append(item)
            else:
                item.parent = self.items[item.parent_id]
                self.children[item.parent_id].append(item)

    def menu_items(self, menu: Menu) -> list[MenuItem]:
        self.load([menu])
        return self.top_level[menu.pk]

    def loaded_item(self, item: MenuItem) -> MenuItem:
        """`item` as read with its menu's tree (a mutation payload's item is read here first)."""
        if item.pk not in self.items:
            self.load([item.menu])
        # A deleted item (a delete mutation's payload) is no longer in its menu's tree.
        return self.items.get(item.pk, item)

    def item_children(self, item: MenuItem) -> list[MenuItem]:
        return self.children.get(self.loaded_item(item).pk, [])

    def in_channel(self, nodes) -> list[ChannelContext]:
        return [ChannelContext(node=node, channel_slug=self.channel_slug) for node in nodes]
