"""Relay global IDs (base64 of "Product:12") and the errors Saleor gives for bad ones."""

from graphql import GraphQLError
from graphql_relay import from_global_id, to_global_id

__all__ = ["from_global_id_or_error", "from_global_ids_or_error", "to_global_id"]

# Primary keys are PostgreSQL bigints; a larger number cannot name a row.
MAX_PRIMARY_KEY = 2**63 - 1


def from_global_id_or_error(global_id: str, only_type: str) -> int:
    """The primary key inside `global_id`, which must name an object of `only_type`."""
    type_name, raw_pk = from_global_id(global_id or "")
    try:
        pk = int(raw_pk)
    except ValueError:
        pk = None
    if not type_name or pk is None or not 0 < pk <= MAX_PRIMARY_KEY:
        raise GraphQLError(f"Couldn't resolve id: {global_id}.")
    if type_name != only_type:
        raise GraphQLError(f"Must receive a {only_type} id.")
    return pk


def from_global_ids_or_error(global_ids, only_type: str) -> list[int]:
    return [from_global_id_or_error(global_id, only_type) for global_id in global_ids or []]
