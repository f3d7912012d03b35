"""The root GraphQL schema, composed from the apps' schemas."""

import graphene

from catalog.graphql.queries import CatalogQueries
from mall.graphql.shop import ShopQueries


class Query(CatalogQueries, ShopQueries, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query)
