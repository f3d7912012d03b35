"""The root GraphQL schema, composed from the apps' schemas."""

import graphene

from accounts.graphql.mutations import AccountMutations
from accounts.graphql.queries import AccountQueries
from catalog.graphql.queries import CatalogQueries
from mall.graphql.shop import ShopQueries


class Query(AccountQueries, CatalogQueries, ShopQueries, graphene.ObjectType):
    pass


# Each app adds its root mutations as one more base class here (account mutations, members, ...).
class Mutation(
    AccountMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
