"""How the catalogue API finds its channel and loads products for the fields a query selects."""

from django.db.models import QuerySet
from graphql import GraphQLError

from catalog import selectors
from catalog.models import Channel, Product


def requestor(info):
    return info.context.user


def channel_for(info, slug: str | None) -> Channel:
    """The channel named by `slug`, or the default channel; looked up once per request.

    Saleor answers an unknown slug with an empty list or null; here it is an error, so a typo
    in a client's channel setting shows at once instead of as an empty shop.
    """
    cache = info.context.__dict__.setdefault("_graphql_channels", {})
    key = slug or None
    if key not in cache:
        channel = selectors.channel_by_slug(key)
        if channel is None:
            raise GraphQLError(
                f"Channel with '{slug}' slug does not exist." if key else "A default channel does not exist."
            )
        cache[key] = channel
    return cache[key]


# Product fields that read a related row → the relation to join for them.
RELATION_FIELDS = {
    "category": "category",
    "category.parent": "category__parent",
    "merchant": "merchant",
    "productType": "product_type",
}


def with_product_data(queryset: QuerySet[Product], channel: Channel, info, paths: frozenset[str]) -> QuerySet[Product]:
    """Attach, once for all rows, what the fields in `paths` (relative to a product) will read."""
    queryset = selectors.with_listing_data(
        queryset,
        channel,
        attributes="attributes" in paths,
        descriptions=bool({"description", "category.description"} & paths),
        relations=[name for field, name in RELATION_FIELDS.items() if field in paths],
    )
    if "collections" in paths:
        queryset = selectors.with_visible_collections(queryset, channel, user=requestor(info))
    if {"variants.attributes", "defaultVariant.attributes"} & paths:
        queryset = selectors.with_variant_attributes(queryset)
    return queryset


def in_channel(nodes, channel: Channel):
    """Mark loaded products or collections with the channel they were read for (Saleor's ChannelContext)."""
    for node in nodes:
        node.api_channel = channel
    return nodes


def validate_one_of_args(**arguments) -> None:
    """Exactly one of the keyword arguments must be given (Saleor's messages)."""
    given = [name for name, value in arguments.items() if value]
    if len(given) > 1:
        others = ", ".join(f"'{name}'" for name in given[1:])
        raise GraphQLError(f"Argument '{given[0]}' cannot be combined with {others}")
    if not given:
        names = ", ".join(f"'{name}'" for name in arguments)
        raise GraphQLError(f"At least one of arguments is required: {names}.")
