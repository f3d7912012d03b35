"""How the catalogue API finds its channel and hands out nodes with the channel they were read for."""

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError

from catalog import selectors
from catalog.graphql import dataloaders
from catalog.models import Channel
from mall.graphql.dataloaders import note_siblings


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
        dataloaders.ChannelByIdLoader(info.context).prime(channel.pk, channel)
    return cache[key]


@dataclass(frozen=True)
class ChannelContext:
    """A product, variant or collection with the channel it was read for (Saleor's ChannelContext).

    Prices, stock and visibility depend on the channel, so resolvers below get it as a value.
    """

    node: Any
    channel: Channel


def node_resolver(attname, default_value, root, info, **args):
    """Default resolver of types whose roots are ChannelContext: plain fields read the node."""
    return getattr(root.node, attname, default_value)


def products_in_channel(context, products, channel: Channel) -> list[ChannelContext]:
    """Wrap products read together, registering them so that loaders fetch for all of them at once."""
    products = [product for product in products if product is not None]
    dataloaders.register_products(context, products)
    return in_channel(products, channel)


def in_channel(nodes, channel: Channel) -> list[ChannelContext]:
    return [ChannelContext(node, channel) for node in nodes]


def collections_in_channel(context, collections, channel: Channel) -> list[ChannelContext]:
    note_siblings(context, "collection", [collection.pk for collection in collections])
    return in_channel(collections, channel)


def categories_loaded(context, categories) -> list:
    categories = [category for category in categories if category is not None]
    dataloaders.register_categories(context, categories)
    return categories


def validate_one_of_args(**arguments) -> None:
    """Exactly one of the keyword arguments must be given (Saleor's messages)."""
    given = [name for name, value in arguments.items() if value]
    if len(given) > 1:
        others = ", ".join(f"'{name}'" for name in given[1:])
        raise GraphQLError(f"Argument '{given[0]}' cannot be combined with {others}")
    if not given:
        names = ", ".join(f"'{name}'" for name in arguments)
        raise GraphQLError(f"At least one of arguments is required: {names}.")
