"""The root GraphQL schema, composed from the apps' schemas."""

import graphene

from accounts.graphql.queries import AccountQueries
from catalog.graphql.queries import CatalogQueries
from content.graphql.mutations import ContentMutations
from content.graphql.queries import ContentQueries
from mall.graphql.shop import ShopQueries


class Query(AccountQueries, CatalogQueries, ContentQueries, ShopQueries, graphene.ObjectType):
    pass


class Mutation(ContentMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
