"""Allowance mutations: an operator issues a welfare allowance to members."""

import graphene
from graphql import GraphQLError

from allowances import services
from allowances.graphql.types import AllowanceError, AllowanceGrant
from branches.models import UnionBranch
from catalog.models import Collection
from mall.errors import DomainError
from mall.graphql.ids import from_global_ids_or_error
from mall.graphql.mutations import BaseMutation
from mall.permissions import PermissionEnum


class AllowanceGrantCreateInput(graphene.InputObjectType):
    reason = graphene.String(required=True, description="Why it is given, e.g. 中秋慰问; members read it.")
    amount = graphene.Decimal(required=True, description="What each member receives, in yuan, to the fen.")
    expires_at = graphene.DateTime(required=True, description="When what is left of it expires; in the future.")
    collection = graphene.ID(description="ID of a collection (e.g. 帮扶专区) whose products alone it may pay for.")
    branch = graphene.ID(description="ID of the union branch issuing it.")
    members = graphene.List(
        graphene.NonNull(graphene.ID), description="IDs of the users (verified members) to receive it."
    )
    branch_members = graphene.Boolean(
        description="Give it to every verified member of `branch` instead of listing `members`.", default_value=False
    )
    idempotency_key = graphene.String(
        description="A key of the client's choosing for this submission: sending it again returns the same grant."
    )


class AllowanceGrantCreate(BaseMutation):
    """Union Mall extension: issue a welfare allowance (福利额度) to verified members."""

    allowance_grant = graphene.Field(AllowanceGrant, description="The grant.")

    class Arguments:
        input = AllowanceGrantCreateInput(required=True, description="Fields required to issue an allowance.")

    class Meta:
        error_type_class = AllowanceError
        permissions = (PermissionEnum.MANAGE_ALLOWANCES,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        collection = branch = None
        if input.get("collection"):
            collection = cls.get_instance(
                Collection.objects.all(), input["collection"], type_name="Collection", field="collection"
            )
        if input.get("branch"):
            branch = cls.get_instance(
                UnionBranch.objects.all(), input["branch"], type_name="UnionBranch", field="branch"
            )
        grant = services.issue_allowance(
            reason=input["reason"],
            amount=input["amount"],
            expires_at=input["expires_at"],
            members=cls.member_ids(input.get("members") or []),
            issued_by=info.context.user,
            collection=collection,
            branch=branch,
            all_branch_members=bool(input.get("branch_members")),
            idempotency_key=input.get("idempotency_key") or "",
        )
        return cls(allowance_grant=grant)

    @staticmethod
    def member_ids(global_ids) -> list[int]:
        try:
            ids = from_global_ids_or_error(global_ids, "User")
        except GraphQLError as error:
            raise DomainError(error.message, field="members", code="GRAPHQL_ERROR") from error
        return ids


class AllowanceMutations(graphene.ObjectType):
    allowance_grant_create = AllowanceGrantCreate.Field()
