"""Root query fields about members: the operators' review queue."""

import graphene

from mall.errors import PermissionDenied
from mall.graphql.mutations import permission_denied_error
from mall.graphql.pagination import connection_field, paginate
from mall.permissions import PermissionEnum
from members import selectors
from members.graphql.types import MemberCountableConnection, MemberVerificationStatusEnum

# Oldest request first, so the queue is worked in the order members asked; never-asked last.
REVIEW_ORDER = ["verification_requested_at", "pk"]


class MemberFilterInput(graphene.InputObjectType):
    verification_status = graphene.List(
        graphene.NonNull(MemberVerificationStatusEnum), description="Only members in these verification states."
    )
    search = graphene.String(description="Part of the member number, real name or e-mail address.")


class MemberQueries(graphene.ObjectType):
    members = connection_field(
        MemberCountableConnection,
        description="Union Mall extension: members with their real-name verification, oldest request first. "
        f"Requires one of the following permissions: {PermissionEnum.MANAGE_USERS.name}.",
        filter=MemberFilterInput(description="Filtering options for members."),
    )

    @staticmethod
    def resolve_members(_root, info, filter=None, **args):
        filter = filter or {}
        try:
            queryset = selectors.members_for_review(
                info.context.user,
                statuses=[status.value for status in filter.get("verification_status") or []],
                search=filter.get("search") or "",
            )
        except PermissionDenied as error:
            raise permission_denied_error(error) from error
        return paginate(queryset, info, args, ordering=REVIEW_ORDER, connection_type=MemberCountableConnection)
