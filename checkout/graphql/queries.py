"""Root query fields about checkouts, and the `User.checkouts` connection, with Saleor 3.21's names."""

import graphene
from graphql import GraphQLError

from catalog.graphql.loading import channel_for, validate_one_of_args
from checkout.graphql.dataloaders import register_checkouts
from checkout.graphql.mutations import uuid_from_global_id
from checkout.graphql.types import Checkout, CheckoutCountableConnection
from checkout.selectors import CHECKOUT_STAFF_PERMISSIONS, can_access, checkout_rows, checkouts_of
from mall.errors import DomainError, PermissionDenied
from mall.graphql.mutations import permission_denied_error
from mall.graphql.pagination import paginate
from mall.permissions import PermissionEnum, has_permissions


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(
        Checkout,
        description="Look up a checkout by id. A guest's checkout is read by whoever holds its ID (its token); "
        "a customer's only by that customer and by staff with MANAGE_CHECKOUTS or IMPERSONATE_USER.",
        id=graphene.ID(description="The checkout's ID."),
        token=graphene.UUID(description="The checkout's token.", deprecation_reason="Use `id` instead."),
    )

    @staticmethod
    def resolve_checkout(_root, info, id=None, token=None):
        validate_one_of_args(id=id, token=token)
        if id is not None:
            try:
                token = uuid_from_global_id(id, "Checkout", field="id")
            except DomainError as error:
                raise GraphQLError(f"Couldn't resolve id: {id}.") from error
        checkout = checkout_rows().filter(pk=token).first()
        if checkout is None:
            return None
        if not can_access(checkout, info.context.user):
            raise permission_denied_error(PermissionDenied(CHECKOUT_STAFF_PERMISSIONS))
        register_checkouts(info.context, [checkout])
        return checkout


# Who may list a user's checkouts besides the user (Saleor: MANAGE_USERS too, for the dashboard).
USER_CHECKOUTS_PERMISSIONS = (*CHECKOUT_STAFF_PERMISSIONS, PermissionEnum.MANAGE_USERS)


def resolve_user_checkouts(info, user, channel_slug, args):
    """A page of `user`'s checkouts, most recently changed first, for the user or staff."""
    requestor = info.context.user
    if not (requestor.is_authenticated and requestor.pk == user.pk) and not has_permissions(
        requestor, USER_CHECKOUTS_PERMISSIONS
    ):
        raise permission_denied_error(PermissionDenied(USER_CHECKOUTS_PERMISSIONS))
    channel = channel_for(info, channel_slug) if channel_slug else None
    connection = paginate(
        checkouts_of(user, channel=channel),
        info,
        args,
        ordering=["-last_change", "pk"],
        connection_type=CheckoutCountableConnection,
    )
    register_checkouts(info.context, [edge.node for edge in connection.edges])
    return connection
