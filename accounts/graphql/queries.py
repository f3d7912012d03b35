"""Root query fields about accounts, with Saleor 3.21's names."""

import graphene

from accounts.graphql.types import User


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(User, description="Return the currently authenticated user.")

    @staticmethod
    def resolve_me(_root, info):
        user = info.context.user
        return user if user.is_authenticated else None
