"""Member mutations: a member asks for real-name verification, an operator approves or rejects it."""

import graphene

from branches.models import UnionBranch
from mall.graphql.mutations import BaseMutation
from mall.permissions import PermissionEnum, require_authenticated
from members import services
from members.graphql.types import Member, MemberError
from members.models import MemberProfile


class MemberVerificationRequestInput(graphene.InputObjectType):
    real_name = graphene.String(required=True, description="Real name as on the ID card.")
    id_number = graphene.String(
        required=True, description="Mainland resident ID card number (18 characters); only a keyed hash is kept."
    )
    branch = graphene.ID(required=True, description="ID of the grassroots union (UnionBranch) of the member.")


class MemberVerificationRequest(BaseMutation):
    """Union Mall extension: ask for real-name verification, or ask again after a rejection."""

    member = graphene.Field(Member, description="The member, now waiting for review.")

    class Arguments:
        input = MemberVerificationRequestInput(required=True, description="Fields required to ask for verification.")

    class Meta:
        error_type_class = MemberError

    @classmethod
    def perform_mutation(cls, _root, info, input):
        require_authenticated(info.context.user)
        branch = cls.get_instance(UnionBranch.objects.all(), input["branch"], type_name="UnionBranch", field="branch")
        member = services.request_verification(
            user=info.context.user, real_name=input["real_name"], id_number=input["id_number"], branch=branch
        )
        return cls(member=member)


class MemberVerificationApprove(BaseMutation):
    """Union Mall extension: confirm a member's pending real-name verification."""

    member = graphene.Field(Member, description="The member, now verified.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the member.")

    class Meta:
        error_type_class = MemberError
        permissions = (PermissionEnum.MANAGE_USERS,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        profile = cls.get_instance(MemberProfile.objects.all(), id, type_name="Member")
        return cls(member=services.approve_verification(operator=info.context.user, profile=profile))


class MemberVerificationReject(BaseMutation):
    """Union Mall extension: refuse a member's pending real-name verification, saying why."""

    member = graphene.Field(Member, description="The member, who may correct the data and ask again.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the member.")
        reason = graphene.String(required=True, description="Why, in words the member will read.")

    class Meta:
        error_type_class = MemberError
        permissions = (PermissionEnum.MANAGE_USERS,)

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        profile = cls.get_instance(MemberProfile.objects.all(), id, type_name="Member")
        return cls(member=services.reject_verification(operator=info.context.user, profile=profile, reason=reason))


class MemberMutations(graphene.ObjectType):
    member_verification_request = MemberVerificationRequest.Field()
    member_verification_approve = MemberVerificationApprove.Field()
    member_verification_reject = MemberVerificationReject.Field()
