"""Sorting inputs of the catalogue API (Saleor's names) and the orderings they stand for.

Every ordering ends with the primary key, so that it is total and keyset pagination can
continue from any row.
"""

import graphene
from graphql import GraphQLError

from catalog.selectors import product_ordering
from mall.graphql.types import OrderDirection, enum_name


class ProductOrderField(graphene.Enum):
    NAME = "NAME"
    PRICE = "PRICE"
    MINIMAL_PRICE = "MINIMAL_PRICE"
    CREATED_AT = "CREATED_AT"
    LAST_MODIFIED_AT = "LAST_MODIFIED_AT"
    RANK = "RANK"

    class Meta:
        description = "Fields products can be sorted by."

    @property
    def description(self):
        return {
            "NAME": "Sort products by name.",
            "PRICE": "Sort products by price (the lowest price of their variants).",
            "MINIMAL_PRICE": "Sort products by a minimal price of a product's variant.",
            "CREATED_AT": "Sort products by creation date.",
            "LAST_MODIFIED_AT": "Sort products by update date.",
            "RANK": "Sort products by rank. Note: This option is available only with the `search` filter.",
        }.get(self.name)


class ProductOrder(graphene.InputObjectType):
    direction = OrderDirection(required=True, description="Specifies the direction in which to sort products.")
    field = ProductOrderField(description="Sort products by the selected field.")

    class Meta:
        description = "Sorting options for products."


class CategorySortField(graphene.Enum):
    NAME = "NAME"

    class Meta:
        description = "Fields categories can be sorted by."


class CategorySortingInput(graphene.InputObjectType):
    direction = OrderDirection(required=True, description="Specifies the direction in which to sort categories.")
    field = CategorySortField(required=True, description="Sort categories by the selected field.")

    class Meta:
        description = "Sorting options for categories."


class CollectionSortField(graphene.Enum):
    NAME = "NAME"

    class Meta:
        description = "Fields collections can be sorted by."


class CollectionSortingInput(graphene.InputObjectType):
    direction = OrderDirection(required=True, description="Specifies the direction in which to sort collections.")
    field = CollectionSortField(required=True, description="Sort collections by the selected field.")

    class Meta:
        description = "Sorting options for collections."


def _descending(sort_by) -> bool:
    return enum_name(sort_by.get("direction")) == "DESC"


def _apply_direction(columns: list[str], descending: bool) -> list[str]:
    return [f"-{column}" if descending else column for column in columns]


RANK_WITHOUT_SEARCH = "Sorting by RANK is available only when using a search filter or search argument."


def product_sort(sort_by, *, searching: bool = False) -> list[str]:
    """The ordering of a `sortBy: ProductOrder` argument. Without one: the best match first when searching
    (as Saleor), by name otherwise. RANK without a search is an error, as in Saleor."""
    if not sort_by:
        return product_ordering("RANK", descending=True) if searching else product_ordering("NAME")
    field = enum_name(sort_by.get("field"))
    if field is None:
        raise GraphQLError("You must provide `field` to sort the products.")
    if field == "RANK" and not searching:
        raise GraphQLError(RANK_WITHOUT_SEARCH)
    return product_ordering(field, _descending(sort_by))


# Without sortBy, categories come as the tree shows them: level by level, each in its set order.
CATEGORY_DEFAULT_ORDERING = ["level", "sort_order", "name", "pk"]
CATEGORY_ORDERINGS = {"NAME": ["name", "slug", "pk"]}
COLLECTION_DEFAULT_ORDERING = ["sort_order", "slug", "pk"]
COLLECTION_ORDERINGS = {"NAME": ["name", "slug", "pk"]}


def category_sort(sort_by) -> list[str]:
    if not sort_by:
        return CATEGORY_DEFAULT_ORDERING
    return _apply_direction(CATEGORY_ORDERINGS[enum_name(sort_by["field"])], _descending(sort_by))


def collection_sort(sort_by) -> list[str]:
    if not sort_by:
        return COLLECTION_DEFAULT_ORDERING
    return _apply_direction(COLLECTION_ORDERINGS[enum_name(sort_by["field"])], _descending(sort_by))
