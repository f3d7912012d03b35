"""Filter and sorting inputs of pages and menus (Saleor's names) and the orderings they stand for."""

import graphene

from mall.graphql.types import OrderDirection, enum_name


class PageFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of the page's title, slug or content.")
    page_types = graphene.List(graphene.NonNull(graphene.ID), description="Pages of these page types.")
    ids = graphene.List(graphene.NonNull(graphene.ID), description="Pages with these IDs.")
    slugs = graphene.List(graphene.NonNull(graphene.String), description="Pages with these slugs.")

    class Meta:
        description = "Filtering options for pages."


class PageSortField(graphene.Enum):
    TITLE = "TITLE"
    SLUG = "SLUG"
    VISIBILITY = "VISIBILITY"
    CREATION_DATE = "CREATION_DATE"
    PUBLICATION_DATE = "PUBLICATION_DATE"
    PUBLISHED_AT = "PUBLISHED_AT"
    CREATED_AT = "CREATED_AT"

    class Meta:
        description = "Fields pages can be sorted by."

    @property
    def description(self):
        return f"Sort pages by {self.name.lower().replace('_', ' ')}."

    @property
    def deprecation_reason(self):
        return {"PUBLICATION_DATE": "Use `PUBLISHED_AT` instead.", "CREATION_DATE": "Use `CREATED_AT` instead."}.get(
            self.name
        )


class PageSortingInput(graphene.InputObjectType):
    direction = OrderDirection(required=True, description="Specifies the direction in which to sort pages.")
    field = PageSortField(required=True, description="Sort pages by the selected field.")

    class Meta:
        description = "Sorting options for pages."


class MenuFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of the menu's name or slug.")
    slug = graphene.List(graphene.NonNull(graphene.String), description="Menus with these slugs.")
    slugs = graphene.List(graphene.NonNull(graphene.String), description="Menus with these slugs.")

    class Meta:
        description = "Filtering options for menus."


class MenuSortField(graphene.Enum):
    NAME = "NAME"
    ITEMS_COUNT = "ITEMS_COUNT"

    class Meta:
        description = "Fields menus can be sorted by."

    @property
    def description(self):
        return f"Sort menus by {self.name.lower().replace('_', ' ')}."


class MenuSortingInput(graphene.InputObjectType):
    direction = OrderDirection(required=True, description="Specifies the direction in which to sort menus.")
    field = MenuSortField(required=True, description="Sort menus by the selected field.")

    class Meta:
        description = "Sorting options for menus."


# Every ordering ends with the primary key, so keyset pagination can continue from any row.
PAGE_DEFAULT_ORDERING = ["slug", "pk"]
PAGE_ORDERINGS = {
    "TITLE": ["title", "slug", "pk"],
    "SLUG": ["slug", "pk"],
    "VISIBILITY": ["is_published", "title", "slug", "pk"],
    "CREATION_DATE": ["created_at", "title", "slug", "pk"],
    "CREATED_AT": ["created_at", "title", "slug", "pk"],
    "PUBLICATION_DATE": ["published_at", "title", "slug", "pk"],
    "PUBLISHED_AT": ["published_at", "title", "slug", "pk"],
}
MENU_DEFAULT_ORDERING = ["slug", "pk"]
MENU_ORDERINGS = {"NAME": ["name", "slug", "pk"], "ITEMS_COUNT": ["items_count", "name", "pk"]}


def _ordering(sort_by, orderings: dict, default: list[str]) -> list[str]:
    if not sort_by:
        return default
    columns = orderings[enum_name(sort_by["field"])]
    descending = enum_name(sort_by.get("direction")) == "DESC"
    return [f"-{column}" if descending else column for column in columns]


def page_sort(sort_by) -> list[str]:
    return _ordering(sort_by, PAGE_ORDERINGS, PAGE_DEFAULT_ORDERING)


def menu_sort(sort_by) -> list[str]:
    return _ordering(sort_by, MENU_ORDERINGS, MENU_DEFAULT_ORDERING)
