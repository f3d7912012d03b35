"""Every change to member profiles: joining, and real-name verification (unverified → pending → verified/rejected).

The clear ID card number is taken, validated and turned into its keyed hash and masked form here;
it is never stored, logged or put into an error message.
"""

import logging
import unicodedata

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from branches import selectors as branch_selectors
from mall.errors import DomainError
from mall.permissions import PermissionEnum, require_authenticated, require_permissions
from members import id_numbers
from members.models import MemberProfile

logger = logging.getLogger(__name__)

Status = MemberProfile.VerificationStatus
NUMBER_PREFIX = "GH"
VERIFIED_ID_CONSTRAINT = "member_verified_id_number_unique"
REAL_NAME_MAX_LENGTH = MemberProfile._meta.get_field("real_name").max_length
REASON_MAX_LENGTH = MemberProfile._meta.get_field("rejection_reason").max_length
# Who may ask for verification from each status, and the refusal for the others.
REQUESTABLE = {Status.UNVERIFIED, Status.REJECTED}


class DuplicatedIdNumber(DomainError):
    code = "DUPLICATED_ID_NUMBER"
    field = id_numbers.FIELD

    def __init__(self):
        super().__init__("该身份证号码已在其他账号完成实名认证。如有疑问，请联系所在工会。")


# --- Joining ----------------------------------------------------------------------------
def next_member_number() -> str:
    """GH + the year of joining + a six-digit number from a database sequence (GH2026000042)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('members_member_number_seq')")
        (sequence,) = cursor.fetchone()
    return f"{NUMBER_PREFIX}{timezone.localdate().year}{sequence:06d}"


@transaction.atomic
def create_member_profile(*, user) -> MemberProfile:
    """The user's member profile, made (unverified, with a new member number) if they have none."""
    require_authenticated(user)
    existing = MemberProfile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    profile = MemberProfile(user=user, number=next_member_number())
    profile.full_clean()
    profile.save()
    return profile


# --- Real-name verification -------------------------------------------------------------
@transaction.atomic
def request_verification(*, user, real_name: str, id_number: str, branch) -> MemberProfile:
    """Submit (or, after a rejection, resubmit) the real name and ID card number for review."""
    require_authenticated(user)
    real_name = _clean_real_name(real_name)
    if branch is None:
        raise DomainError("请选择您所在的基层工会。", field="branch", code="REQUIRED")
    if not branch_selectors.is_grassroots(branch):
        # Members belong to the fourth level only; higher levels hold no members of their own.
        raise DomainError(
            f"“{branch.name}”不是基层工会，请选择您所在的基层工会（第3级组织）。", field="branch", code="NOT_GRASSROOTS"
        )
    number = id_numbers.normalize(id_number)
    number_hash = id_numbers.keyed_hash(number)

    create_member_profile(user=user)
    profile = MemberProfile.objects.select_for_update().get(user=user)
    if profile.verification_status == Status.VERIFIED:
        raise DomainError("您已通过实名认证，无需再次提交。", code="ALREADY_VERIFIED")
    if profile.verification_status not in REQUESTABLE:
        raise DomainError("您的实名认证正在审核中，请耐心等待审核结果。", code="INVALID_STATUS")
    _refuse_if_verified_elsewhere(number_hash, profile)

    profile.real_name = real_name
    profile.branch = branch
    profile.id_number_hash = number_hash
    profile.id_number_masked = id_numbers.masked(number)
    profile.verification_status = Status.PENDING
    profile.verification_requested_at = timezone.now()
    profile.verification_decided_at = None
    profile.verification_decided_by = None
    profile.rejection_reason = ""
    _save(profile)
    # The caller's user object (the request's user) now carries the profile as saved, not as it was read.
    user.member_profile = profile
    return profile


@transaction.atomic
def approve_verification(*, operator, profile: MemberProfile) -> MemberProfile:
    """An operator confirms a pending request: the member is verified and pays member prices."""
    require_permissions(operator, PermissionEnum.MANAGE_USERS)
    profile = _locked_pending(profile)
    _refuse_if_verified_elsewhere(profile.id_number_hash, profile)
    profile.verification_status = Status.VERIFIED
    _record_decision(profile, operator)
    _save(profile)
    logger.info("Member %s verified by user %s", profile.number, operator.pk)
    return profile


@transaction.atomic
def reject_verification(*, operator, profile: MemberProfile, reason: str) -> MemberProfile:
    """An operator refuses a pending request, saying why; the member may correct it and ask again."""
    require_permissions(operator, PermissionEnum.MANAGE_USERS)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写驳回原因，会员将看到它并据此修改。", field="reason", code="REQUIRED")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(f"驳回原因不能超过 {REASON_MAX_LENGTH} 个字。", field="reason", code="INVALID")
    if has_control_characters(reason.replace("\r", "").replace("\n", "")):
        raise DomainError("驳回原因中含有无法识别的字符，请重新填写。", field="reason", code="INVALID")
    profile = _locked_pending(profile)
    profile.verification_status = Status.REJECTED
    profile.rejection_reason = reason
    _record_decision(profile, operator)
    _save(profile)
    logger.info("Member %s's verification rejected by user %s", profile.number, operator.pk)
    return profile


# --- Steps ------------------------------------------------------------------------------
def _clean_real_name(real_name: str | None) -> str:
    real_name = " ".join((real_name or "").split())
    if not real_name:
        raise DomainError("请填写与身份证一致的真实姓名。", field="real_name", code="REQUIRED")
    if len(real_name) > REAL_NAME_MAX_LENGTH:
        raise DomainError(f"姓名不能超过 {REAL_NAME_MAX_LENGTH} 个字。", field="real_name", code="INVALID")
    if any(character.isdigit() for character in real_name):
        raise DomainError("姓名中不能含有数字，请填写与身份证一致的真实姓名。", field="real_name", code="INVALID")
    if has_control_characters(real_name):
        raise DomainError("姓名中含有无法识别的字符，请重新填写。", field="real_name", code="INVALID")
    return real_name


def has_control_characters(text: str) -> bool:
    """NUL, lone surrogates and other invisible code points: PostgreSQL refuses some, people see none."""
    return any(unicodedata.category(character) in {"Cc", "Cs", "Cf", "Co", "Cn"} for character in text)


def _locked_pending(profile: MemberProfile) -> MemberProfile:
    """The profile's row, locked until the transaction ends, which must be waiting for review.

    The lock makes two operators deciding at the same moment take turns: the second sees the
    first one's decision and is refused, instead of applying its own on top.
    """
    # The member and their union come along for the caller (the mutation's payload shows them);
    # only the profile's row is locked.
    locked = (
        MemberProfile.objects.select_for_update(of=("self",))
        .select_related("user", "branch")
        .filter(pk=profile.pk)
        .first()
    )
    if locked is None:
        raise DomainError("该会员档案不存在。", field="id", code="NOT_FOUND")
    if locked.verification_status == Status.VERIFIED:
        raise DomainError("该会员已通过实名认证。", field="id", code="ALREADY_VERIFIED")
    if locked.verification_status != Status.PENDING:
        raise DomainError(
            f"只能审核“审核中”的申请，该会员当前为“{locked.get_verification_status_display()}”。",
            field="id",
            code="INVALID_STATUS",
        )
    return locked


def _record_decision(profile: MemberProfile, operator) -> None:
    profile.verification_decided_at = timezone.now()
    profile.verification_decided_by = operator


def _refuse_if_verified_elsewhere(number_hash: str, profile: MemberProfile) -> None:
    verified = MemberProfile.objects.filter(verification_status=Status.VERIFIED, id_number_hash=number_hash)
    if verified.exclude(pk=profile.pk).exists():
        raise DuplicatedIdNumber()


def _save(profile: MemberProfile) -> None:
    """full_clean and save; the verified-ID constraint, hit by a concurrent approval, becomes DuplicatedIdNumber.

    Constraints are left to the database here: Django's check of the partial unique constraint would
    only repeat _refuse_if_verified_elsewhere, with a generic message.
    """
    profile.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) == VERIFIED_ID_CONSTRAINT:
            raise DuplicatedIdNumber() from None
        raise
