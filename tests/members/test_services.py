import re

import pytest
from django.db import connection
from django.utils import timezone

from mall.errors import AuthenticationRequired, DomainError, PermissionDenied
from mall.permissions import PermissionEnum
from members import id_numbers, services
from members.models import MemberProfile
from tests.members.conftest import ID_NUMBER, OTHER_ID_NUMBER, grant

Status = MemberProfile.VerificationStatus


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


def row_values(profile) -> dict:
    """Every column of the profile's row, read by the database itself."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(p)::text FROM members_memberprofile p WHERE id = %s", [profile.pk])
        (text,) = cursor.fetchone()
    return text


# --- Member numbers ---------------------------------------------------------------------
def test_a_new_member_profile_gets_a_number_of_gh_the_year_and_six_digits(member_user):
    profile = services.create_member_profile(user=member_user)
    assert re.fullmatch(rf"GH{timezone.localdate().year}\d{{6}}", profile.number)
    assert profile.verification_status == Status.UNVERIFIED


def test_member_numbers_are_unique_and_a_second_create_returns_the_same_profile(member_user, other_user):
    first = services.create_member_profile(user=member_user)
    second = services.create_member_profile(user=other_user)
    assert first.number != second.number
    assert services.create_member_profile(user=member_user).pk == first.pk
    assert MemberProfile.objects.count() == 2


# --- Requesting -------------------------------------------------------------------------
def test_requesting_verification_makes_the_profile_pending_with_a_hash_and_masked_number(member_user, branch):
    profile = services.request_verification(
        user=member_user, real_name=" 李  晓梅 ", id_number=ID_NUMBER, branch=branch
    )
    profile.refresh_from_db()
    assert profile.verification_status == Status.PENDING
    assert (profile.real_name, profile.branch, profile.id_number_masked) == ("李 晓梅", branch, "4403**********1220")
    assert profile.id_number_hash == id_numbers.keyed_hash(ID_NUMBER)
    assert profile.verification_requested_at is not None


def test_no_column_of_the_row_holds_the_clear_id_number_or_its_birth_date(pending_profile):
    row = row_values(pending_profile)
    assert ID_NUMBER not in row
    assert ID_NUMBER[6:14] not in row  # the birth date
    assert ID_NUMBER[4:14] not in row  # the hidden middle


def test_an_invalid_id_number_changes_nothing(member_user, branch):
    error = refused(services.request_verification, user=member_user, real_name="李晓梅", id_number="123", branch=branch)
    assert (error.code, error.field) == ("INVALID_ID_NUMBER", "id_number")
    assert not MemberProfile.objects.exists()


@pytest.mark.parametrize(
    ("real_name", "code", "message"),
    [
        ("  ", "REQUIRED", "请填写与身份证一致的真实姓名。"),
        ("李晓梅1", "INVALID", "姓名中不能含有数字，请填写与身份证一致的真实姓名。"),
        ("李" * 65, "INVALID", "姓名不能超过 64 个字。"),
        ("李\x00晓梅", "INVALID", "姓名中含有无法识别的字符，请重新填写。"),
        ("李\ud800", "INVALID", "姓名中含有无法识别的字符，请重新填写。"),
    ],
)
def test_a_missing_or_malformed_real_name_is_refused(member_user, branch, real_name, code, message):
    error = refused(
        services.request_verification, user=member_user, real_name=real_name, id_number=ID_NUMBER, branch=branch
    )
    assert (error.field, error.code, error.message) == ("real_name", code, message)


def test_a_branch_is_required(member_user):
    error = refused(
        services.request_verification, user=member_user, real_name="李晓梅", id_number=ID_NUMBER, branch=None
    )
    assert (error.field, error.code) == ("branch", "REQUIRED")


def test_an_anonymous_user_cannot_request_verification(branch):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(AuthenticationRequired):
        services.request_verification(user=AnonymousUser(), real_name="李晓梅", id_number=ID_NUMBER, branch=branch)


def test_asking_again_while_pending_is_refused(pending_profile, member_user, branch):
    error = refused(
        services.request_verification, user=member_user, real_name="李晓梅", id_number=ID_NUMBER, branch=branch
    )
    assert (error.code, error.message) == ("INVALID_STATUS", "您的实名认证正在审核中，请耐心等待审核结果。")


def test_asking_again_once_verified_is_refused(pending_profile, member_user, branch, reviewer):
    services.approve_verification(operator=reviewer, profile=pending_profile)
    error = refused(
        services.request_verification, user=member_user, real_name="李晓梅", id_number=ID_NUMBER, branch=branch
    )
    assert error.code == "ALREADY_VERIFIED"
    assert MemberProfile.objects.get().verification_status == Status.VERIFIED


# --- Deciding ---------------------------------------------------------------------------
def test_approving_a_pending_request_verifies_the_member_and_records_who_and_when(pending_profile, reviewer):
    before = timezone.now()
    services.approve_verification(operator=reviewer, profile=pending_profile)
    profile = MemberProfile.objects.get()
    assert profile.verification_status == Status.VERIFIED
    assert profile.verification_decided_by == reviewer
    assert profile.verification_decided_at >= before
    assert profile.user.member_profile.is_verified


def test_rejected_members_can_ask_again_and_the_old_decision_is_cleared(pending_profile, member_user, branch, reviewer):
    services.reject_verification(operator=reviewer, profile=pending_profile, reason=" 姓名与身份证不一致 ")
    rejected = MemberProfile.objects.get()
    assert (rejected.verification_status, rejected.rejection_reason) == (Status.REJECTED, "姓名与身份证不一致")
    assert rejected.verification_decided_by == reviewer

    services.request_verification(user=member_user, real_name="李晓美", id_number=OTHER_ID_NUMBER, branch=branch)
    again = MemberProfile.objects.get()
    assert (again.verification_status, again.real_name, again.rejection_reason) == (Status.PENDING, "李晓美", "")
    assert (again.verification_decided_by, again.verification_decided_at) == (None, None)
    assert again.id_number_hash == id_numbers.keyed_hash(OTHER_ID_NUMBER)


def test_approving_a_profile_that_never_asked_is_refused(member_user, reviewer):
    profile = services.create_member_profile(user=member_user)
    error = refused(services.approve_verification, operator=reviewer, profile=profile)
    assert (error.code, error.message) == ("INVALID_STATUS", "只能审核“审核中”的申请，该会员当前为“未认证”。")
    assert MemberProfile.objects.get().verification_status == Status.UNVERIFIED


def test_approving_or_rejecting_a_verified_member_is_refused(pending_profile, reviewer):
    services.approve_verification(operator=reviewer, profile=pending_profile)
    assert refused(services.approve_verification, operator=reviewer, profile=pending_profile).code == (
        "ALREADY_VERIFIED"
    )
    assert refused(services.reject_verification, operator=reviewer, profile=pending_profile, reason="重复").code == (
        "ALREADY_VERIFIED"
    )
    assert MemberProfile.objects.get().verification_status == Status.VERIFIED


def test_approving_a_rejected_request_is_refused(pending_profile, reviewer):
    services.reject_verification(operator=reviewer, profile=pending_profile, reason="照片不清")
    error = refused(services.approve_verification, operator=reviewer, profile=pending_profile)
    assert error.code == "INVALID_STATUS"
    assert MemberProfile.objects.get().verification_status == Status.REJECTED


@pytest.mark.parametrize(("reason", "code"), [("   ", "REQUIRED"), ("长" * 501, "INVALID"), ("不符\x00", "INVALID")])
def test_a_rejection_needs_a_reason_of_at_most_500_readable_characters(pending_profile, reviewer, reason, code):
    error = refused(services.reject_verification, operator=reviewer, profile=pending_profile, reason=reason)
    assert (error.field, error.code) == ("reason", code)
    assert MemberProfile.objects.get().verification_status == Status.PENDING


def test_a_reason_may_span_lines(pending_profile, reviewer):
    services.reject_verification(operator=reviewer, profile=pending_profile, reason="姓名不符。\r\n请重新提交。")
    assert MemberProfile.objects.get().rejection_reason == "姓名不符。\r\n请重新提交。"


# --- Permissions ------------------------------------------------------------------------
def test_a_member_cannot_approve_a_request(pending_profile, other_user):
    with pytest.raises(PermissionDenied) as caught:
        services.approve_verification(operator=other_user, profile=pending_profile)
    assert caught.value.permissions == (PermissionEnum.MANAGE_USERS,)
    assert MemberProfile.objects.get().verification_status == Status.PENDING


def test_staff_without_manage_users_cannot_reject_a_request(pending_profile, staff_user):
    with pytest.raises(PermissionDenied):
        services.reject_verification(operator=staff_user, profile=pending_profile, reason="不符")
    assert MemberProfile.objects.get().verification_status == Status.PENDING


def test_staff_with_another_permission_cannot_approve_but_with_manage_users_through_a_group_can(
    pending_profile, staff_user
):
    grant(staff_user, PermissionEnum.MANAGE_PRODUCTS)
    with pytest.raises(PermissionDenied):
        services.approve_verification(operator=staff_user, profile=pending_profile)
    grant(staff_user, PermissionEnum.MANAGE_USERS)
    staff_user = type(staff_user).objects.get(pk=staff_user.pk)  # drop Django's cached permissions
    services.approve_verification(operator=staff_user, profile=pending_profile)
    assert MemberProfile.objects.get().verification_status == Status.VERIFIED


# --- One ID card, one account -----------------------------------------------------------
def test_a_number_verified_on_another_account_is_refused_when_asking(pending_profile, reviewer, other_user, branch):
    services.approve_verification(operator=reviewer, profile=pending_profile)
    error = refused(
        services.request_verification, user=other_user, real_name="李晓梅", id_number=ID_NUMBER, branch=branch
    )
    assert (error.field, error.code, error.message) == (
        "id_number",
        "DUPLICATED_ID_NUMBER",
        "该身份证号码已在其他账号完成实名认证。如有疑问，请联系所在工会。",
    )
    assert not MemberProfile.objects.filter(user=other_user).exclude(verification_status=Status.UNVERIFIED).exists()


def test_of_two_pending_requests_with_one_number_only_the_first_approved_is_verified(
    pending_profile, reviewer, other_user, branch
):
    second = services.request_verification(user=other_user, real_name="李晓梅", id_number=ID_NUMBER, branch=branch)
    services.approve_verification(operator=reviewer, profile=pending_profile)
    error = refused(services.approve_verification, operator=reviewer, profile=second)
    assert error.code == "DUPLICATED_ID_NUMBER"
    second.refresh_from_db()
    assert second.verification_status == Status.PENDING


def test_the_database_constraint_is_turned_into_the_same_domain_error(
    pending_profile, reviewer, other_user, branch, monkeypatch
):
    """What a concurrent approval meets when both passed the check: the partial unique index."""
    second = services.request_verification(user=other_user, real_name="李晓梅", id_number=ID_NUMBER, branch=branch)
    services.approve_verification(operator=reviewer, profile=pending_profile)
    monkeypatch.setattr(services, "_refuse_if_verified_elsewhere", lambda number_hash, profile: None)
    error = refused(services.approve_verification, operator=reviewer, profile=second)
    assert error.code == "DUPLICATED_ID_NUMBER"
    assert error.__cause__ is None
    second.refresh_from_db()
    assert second.verification_status == Status.PENDING
