"""Saleor's `transaction` query, for the payment's owner and payment staff."""

import graphene

from mall.errors import DomainError
from payments.graphql.mutations import transaction_from
from payments.graphql.types import TransactionItem


class PaymentQueries(graphene.ObjectType):
    transaction = graphene.Field(
        TransactionItem,
        id=graphene.Argument(graphene.ID, description="ID of a transaction."),
        token=graphene.Argument(graphene.UUID, description="Token of a transaction."),
        description="Look up a transaction by ID or token: for its checkout's or order's owner, and staff with "
        "HANDLE_PAYMENTS or MANAGE_ORDERS.",
    )

    @staticmethod
    def resolve_transaction(_root, info, id=None, token=None):
        try:
            return transaction_from(info, id, token)
        except DomainError:
            return None
