"""The root GraphQL schema, composed from the apps' schemas."""

import graphene


class Query(graphene.ObjectType):
    ping = graphene.String()


schema = graphene.Schema(query=Query)
