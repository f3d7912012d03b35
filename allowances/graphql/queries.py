"""Root query fields about welfare allowances: the operators' list of grants."""

import graphene

from allowances import selectors
from allowances.graphql.types import AllowanceGrantCountableConnection
from mall.errors import PermissionDenied
from mall.graphql.dataloaders import note_siblings
from mall.graphql.mutations import permission_denied_error
from mall.graphql.pagination import connection_field, paginate
from mall.permissions import PermissionEnum

GRANT_ORDER = ["-created_at", "-pk"]


class AllowanceQueries(graphene.ObjectType):
    allowance_grants = connection_field(
        AllowanceGrantCountableConnection,
        description="Union Mall extension: welfare allowance grants, newest first. "
        f"Requires one of the following permissions: {PermissionEnum.MANAGE_ALLOWANCES.name}.",
    )

    @staticmethod
    def resolve_allowance_grants(_root, info, **args):
        try:
            queryset = selectors.allowance_grants(info.context.user)
        except PermissionDenied as error:
            raise permission_denied_error(error) from error
        connection = paginate(
            queryset, info, args, ordering=GRANT_ORDER, connection_type=AllowanceGrantCountableConnection
        )
        note_siblings(info.context, "allowance_grant", [edge.node.pk for edge in connection.edges])
        return connection
