"""Graphene middleware applied to every field of the schema."""

from graphql import GraphQLError

NUL = "\x00"


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_contains_nul(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_nul(item) for item in value)
    return False


class RefuseNulCharacters:
    """PostgreSQL cannot store or compare text with NUL, so such arguments are refused up front
    with a clear error instead of failing deep inside a query."""

    def resolve(self, next, root, info, **arguments):
        if arguments and _contains_nul(arguments):
            raise GraphQLError("Arguments must not contain the NUL character (\\u0000).")
        return next(root, info, **arguments)
