"""Member types of the API, in Saleor's style: Member and MemberError (UnionBranch lives in branches.graphql)."""

import graphene
from graphene import relay

from branches.graphql.types import UnionBranch
from mall.graphql.mutations import error_type
from mall.graphql.pagination import CountableConnection
from members.models import MemberProfile


class MemberVerificationStatusEnum(graphene.Enum):
    UNVERIFIED = MemberProfile.VerificationStatus.UNVERIFIED.value
    PENDING = MemberProfile.VerificationStatus.PENDING.value
    VERIFIED = MemberProfile.VerificationStatus.VERIFIED.value
    REJECTED = MemberProfile.VerificationStatus.REJECTED.value

    class Meta:
        description = (
            "Real-name verification of a member: UNVERIFIED (never asked), PENDING (waiting for an operator), "
            "VERIFIED (pays member prices), REJECTED (may correct the data and ask again)."
        )


class MemberErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    INVALID_ID_NUMBER = "INVALID_ID_NUMBER"
    ALREADY_VERIFIED = "ALREADY_VERIFIED"
    INVALID_STATUS = "INVALID_STATUS"
    DUPLICATED_ID_NUMBER = "DUPLICATED_ID_NUMBER"
    NOT_GRASSROOTS = "NOT_GRASSROOTS"

    class Meta:
        description = "An enumeration."


MemberError = error_type("MemberError", MemberErrorCode, description="Represents errors in member mutations.")


class Member(graphene.ObjectType):
    number = graphene.String(required=True, description="Membership number.")
    branch = graphene.Field(UnionBranch, description="The grassroots union the member belongs to.")
    verification_status = graphene.Field(
        MemberVerificationStatusEnum, required=True, description="Where the real-name verification stands."
    )
    real_name = graphene.String(required=True, description="Real name as on the ID card; empty until submitted.")
    id_number_masked = graphene.String(
        required=True,
        description="The ID card number with all but its first and last four characters hidden "
        "(4403**********1234); the number itself is never stored.",
    )
    verification_requested_at = graphene.DateTime(description="When the verification was last requested.")
    verification_decided_at = graphene.DateTime(description="When an operator last approved or rejected it.")
    rejection_reason = graphene.String(required=True, description="Why it was rejected; empty otherwise.")
    user = graphene.Field(lambda: _user_type(), required=True, description="The account of the member.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a member's union membership and real-name verification."

    @staticmethod
    def resolve_verification_status(root: MemberProfile, _info):
        return MemberVerificationStatusEnum.get(root.verification_status)


def _user_type():
    from accounts.graphql.types import User

    return User


class MemberCountableConnection(CountableConnection):
    class Meta:
        node = Member
