"""Allowance types of the API: a member's balance, grants and ledger; grants for operators; errors.

Union Mall extensions in Saleor's style (Money amounts, relay IDs, countable connections).
"""

import graphene
from graphene import relay

from allowances.graphql.dataloaders import MembersCountByGrantIdLoader
from allowances.models import AllowanceEntryType
from allowances.selectors import allowance_balance, allowance_entries, member_grants
from mall.graphql.dataloaders import note_siblings
from mall.graphql.ids import to_global_id
from mall.graphql.mutations import error_type
from mall.graphql.pagination import CountableConnection, connection_field, paginate
from mall.graphql.types import Money
from mall.money import Money as MoneyValue
from mall.money import default_currency
from mall.permissions import PermissionEnum, has_permissions

ENTRY_ORDER = ["-created_at", "-pk"]


class AllowanceEntryTypeEnum(graphene.Enum):
    ISSUE = AllowanceEntryType.ISSUE.value
    SPEND = AllowanceEntryType.SPEND.value
    REFUND = AllowanceEntryType.REFUND.value
    EXPIRE = AllowanceEntryType.EXPIRE.value

    class Meta:
        description = (
            "A movement of a member's welfare allowance: ISSUE (given by a union), SPEND (paid part of an order), "
            "REFUND (given back from a canceled or refunded order), EXPIRE (what was left when it expired)."
        )


class AllowanceErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    NOT_VERIFIED_MEMBER = "NOT_VERIFIED_MEMBER"
    AMOUNT_ABOVE_LIMIT = "AMOUNT_ABOVE_LIMIT"
    YEARLY_LIMIT_EXCEEDED = "YEARLY_LIMIT_EXCEEDED"
    INSUFFICIENT_ALLOWANCE = "INSUFFICIENT_ALLOWANCE"

    class Meta:
        description = "An enumeration."


AllowanceError = error_type(
    "AllowanceError",
    AllowanceErrorCode,
    description="Represents errors in welfare allowance mutations.",
    members=graphene.List(
        graphene.NonNull(graphene.ID), description="List of user IDs (members) which cause the error."
    ),
)


def _money(amount, currency: str | None = None) -> MoneyValue:
    return MoneyValue(amount, currency or default_currency())


class AllowanceGrant(graphene.ObjectType):
    reason = graphene.String(required=True, description="Why it was given, e.g. 中秋慰问.")
    amount = graphene.Field(Money, required=True, description="What each member received.")
    expires_at = graphene.DateTime(required=True, description="When what is left of it expires.")
    created = graphene.DateTime(required=True, description="When it was issued.")
    collection_id = graphene.ID(
        description="ID of the collection (e.g. 帮扶专区) whose products it may pay for; null: any product."
    )
    collection_name = graphene.String(description="Name of that collection; null: any product.")
    restriction = graphene.String(required=True, description="What it may pay for, in words: 全场通用 or 仅限…")
    branch = graphene.Field(
        "members.graphql.types.UnionBranch", description="The union branch that issued it, if one did."
    )
    members_count = graphene.Int(
        description="How many members received it. Requires one of the following permissions: MANAGE_ALLOWANCES; "
        "null otherwise."
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a welfare allowance (福利额度) given to members."

    @staticmethod
    def resolve_amount(root, _info):
        return _money(root.amount, root.currency)

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_collection_id(root, _info):
        return to_global_id("Collection", root.collection_id) if root.collection_id else None

    @staticmethod
    def resolve_collection_name(root, _info):
        return root.collection.name if root.collection_id else None

    @staticmethod
    def resolve_members_count(root, info):
        if not has_permissions(info.context.user, [PermissionEnum.MANAGE_ALLOWANCES]):
            return None
        return MembersCountByGrantIdLoader(info.context).load(root.pk)


class AllowanceEntry(graphene.ObjectType):
    type = graphene.Field(AllowanceEntryTypeEnum, required=True, description="What kind of movement.")
    amount = graphene.Field(
        Money, required=True, description="Positive for ISSUE and REFUND, negative for SPEND and EXPIRE."
    )
    created = graphene.DateTime(required=True, description="When it happened.")
    reason = graphene.String(required=True, description="The reason of the grant it belongs to.")
    note = graphene.String(required=True, description="A note, e.g. why it was given back.")
    grant = graphene.Field(AllowanceGrant, required=True, description="The grant it belongs to.")
    order_id = graphene.ID(description="ID of the order it was spent on or given back from.")
    order_number = graphene.String(description="Number of that order.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: one entry of a member's welfare allowance ledger."

    @staticmethod
    def resolve_type(root, _info):
        return AllowanceEntryTypeEnum.get(root.type)

    @staticmethod
    def resolve_amount(root, _info):
        return _money(root.amount, root.grant.currency)

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_reason(root, _info):
        return root.grant.reason

    @staticmethod
    def resolve_order_id(root, _info):
        return to_global_id("Order", str(root.order_id)) if root.order_id else None

    @staticmethod
    def resolve_order_number(root, _info):
        return str(root.order.number) if root.order_id else None


class AllowanceEntryCountableConnection(CountableConnection):
    class Meta:
        node = AllowanceEntry


class AllowanceGrantCountableConnection(CountableConnection):
    class Meta:
        node = AllowanceGrant


class AllowanceGrantBalance(graphene.ObjectType):
    grant = graphene.Field(AllowanceGrant, required=True, description="The grant.")
    balance = graphene.Field(Money, required=True, description="What is left of it; zero once it has expired.")
    expires_at = graphene.DateTime(required=True, description="When it expires.")
    is_expired = graphene.Boolean(required=True, description="Whether it has expired.")

    class Meta:
        description = "Union Mall extension: one grant as the member holds it."

    @staticmethod
    def resolve_balance(root, _info):
        return _money(root.balance, root.grant.currency)


class UserAllowances(graphene.ObjectType):
    balance = graphene.Field(
        Money, required=True, description="What the member can still spend, over all unexpired grants."
    )
    grants = graphene.NonNull(
        graphene.List(graphene.NonNull(AllowanceGrantBalance)),
        description="Every grant the member received: usable ones first (soonest to expire first), then expired.",
    )
    entries = connection_field(AllowanceEntryCountableConnection, description="The ledger, newest first.")

    class Meta:
        description = (
            "Union Mall extension: a member's welfare allowances (福利额度), kept as a ledger of entries. "
            "They pay for goods at checkout and are never paid out as cash."
        )

    @staticmethod
    def resolve_balance(root, _info):
        return _money(allowance_balance(root))

    @staticmethod
    def resolve_grants(root, _info):
        return member_grants(root)

    @staticmethod
    def resolve_entries(root, info, **args):
        connection = paginate(
            allowance_entries(root), info, args, ordering=ENTRY_ORDER, connection_type=AllowanceEntryCountableConnection
        )
        note_siblings(info.context, "allowance_grant", [edge.node.grant_id for edge in connection.edges])
        return connection
