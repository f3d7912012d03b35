"""The `shop` query: the mall's name and address, as Saleor's Shop type shows them."""

from urllib.parse import urlsplit

import graphene
from django.conf import settings

from catalog import selectors
from mall.graphql.types import CountryDisplay, country_display


class Domain(graphene.ObjectType):
    host = graphene.String(required=True, description="The host name of the domain.")
    ssl_enabled = graphene.Boolean(required=True, description="Inform if SSL is enabled.")
    url = graphene.String(required=True, description="The absolute URL of the API.")

    class Meta:
        description = "Represents API domain."


class Shop(graphene.ObjectType):
    name = graphene.String(required=True, description="Shop's name.")
    description = graphene.String(description="Shop's description.")
    domain = graphene.Field(Domain, required=True, description="Shop's domain data.")
    default_country = graphene.Field(CountryDisplay, description="Shop's default country.")

    class Meta:
        description = "Represents a shop resource containing general shop data and configuration."

    @staticmethod
    def resolve_name(_root, _info):
        return settings.MALL_NAME

    @staticmethod
    def resolve_description(_root, _info):
        return settings.MALL_DESCRIPTION

    @staticmethod
    def resolve_domain(_root, info):
        public_url = urlsplit(settings.PUBLIC_URL)
        return {
            "host": public_url.netloc,
            "ssl_enabled": public_url.scheme == "https",
            "url": info.context.build_absolute_uri("/graphql/"),
        }

    @staticmethod
    def resolve_default_country(_root, _info):
        channel = selectors.channel_by_slug(None)
        return country_display(channel.default_country) if channel else None


class ShopQueries(graphene.ObjectType):
    shop = graphene.Field(Shop, required=True, description="Return information about the shop.")

    @staticmethod
    def resolve_shop(_root, _info):
        return Shop()
