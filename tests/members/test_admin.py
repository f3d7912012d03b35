"""Operators review verification in the admin; the actions call the same services as the API."""

import pytest
from django.test import Client
from django.urls import reverse

from members import services
from members.models import MemberProfile
from tests.factories import grassroots_union
from tests.members.conftest import ID_NUMBER

CHANGELIST = reverse("admin:members_memberprofile_changelist")


@pytest.fixture
def admin_client_for_reviewer(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


def run_action(client, action: str, profiles, **extra):
    data = {"action": action, "_selected_action": [profile.pk for profile in profiles], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_the_list_shows_the_masked_number_and_never_the_hash(admin_client_for_reviewer, pending_profile):
    response = admin_client_for_reviewer.get(CHANGELIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "4403**********1220" in page and pending_profile.number in page
    assert pending_profile.id_number_hash not in page
    assert ID_NUMBER not in page


def test_the_detail_page_shows_no_hash_and_nothing_can_be_edited(admin_client_for_reviewer, pending_profile):
    url = reverse("admin:members_memberprofile_change", args=[pending_profile.pk])
    page = admin_client_for_reviewer.get(url).content.decode()
    assert "4403**********1220" in page
    assert pending_profile.id_number_hash not in page
    assert 'name="real_name"' not in page


def test_the_list_filters_by_status_and_searches_by_email(admin_client_for_reviewer, pending_profile, other_user):
    services.create_member_profile(user=other_user)
    pending = admin_client_for_reviewer.get(CHANGELIST, {"verification_status__exact": "pending"})
    assert list(pending.context["cl"].result_list) == [pending_profile]
    found = admin_client_for_reviewer.get(CHANGELIST, {"q": "other@"})
    assert [profile.user for profile in found.context["cl"].result_list] == [other_user]


def test_the_approve_action_verifies_the_selected_pending_members(admin_client_for_reviewer, pending_profile, reviewer):
    response = run_action(admin_client_for_reviewer, "approve_verification", [pending_profile])
    assert "已通过 1 位会员的实名认证。" in response.content.decode()
    profile = MemberProfile.objects.get()
    assert (profile.verification_status, profile.verification_decided_by) == ("verified", reviewer)


def test_the_approve_action_reports_each_refusal_by_member_number(
    admin_client_for_reviewer, pending_profile, other_user
):
    never_asked = services.create_member_profile(user=other_user)
    response = run_action(admin_client_for_reviewer, "approve_verification", [pending_profile, never_asked])
    page = response.content.decode()
    assert "已通过 1 位会员的实名认证。" in page
    assert f"{never_asked.number}：只能审核“审核中”的申请，该会员当前为“未认证”。" in page
    never_asked.refresh_from_db()
    assert never_asked.verification_status == "unverified"


def test_the_reject_action_asks_for_a_reason_first(admin_client_for_reviewer, pending_profile):
    response = run_action(admin_client_for_reviewer, "reject_verification", [pending_profile])
    page = response.content.decode()
    assert response.status_code == 200
    assert "驳回原因" in page and pending_profile.number in page
    assert MemberProfile.objects.get().verification_status == "pending"


def test_the_reject_action_with_a_reason_rejects(admin_client_for_reviewer, pending_profile):
    response = run_action(
        admin_client_for_reviewer, "reject_verification", [pending_profile], apply="1", reason="身份证照片不清晰"
    )
    assert "已驳回 1 位会员的实名认证。" in response.content.decode()
    profile = MemberProfile.objects.get()
    assert (profile.verification_status, profile.rejection_reason) == ("rejected", "身份证照片不清晰")


def test_the_reject_action_with_an_empty_reason_asks_again(admin_client_for_reviewer, pending_profile):
    response = run_action(admin_client_for_reviewer, "reject_verification", [pending_profile], apply="1", reason="")
    assert "驳回原因" in response.content.decode()
    assert MemberProfile.objects.get().verification_status == "pending"


def test_staff_without_manage_users_get_no_actions_and_change_nothing(staff_user, pending_profile):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(Permission.objects.get(codename="view_memberprofile"))
    client = Client()
    client.force_login(staff_user)
    listing = client.get(CHANGELIST)
    assert "approve_verification" not in listing.content.decode()
    run_action(client, "approve_verification", [pending_profile])
    assert MemberProfile.objects.get().verification_status == "pending"


def test_the_union_branch_list_counts_members(admin_client, pending_profile, branch):
    grassroots_union(code="GH-T-002", name="测试区第二联合工会")
    response = admin_client.get(reverse("admin:branches_unionbranch_changelist"))
    counts = {row.code: row.member_count for row in response.context["cl"].result_list}
    # The unions under the test tree's city, district and street, which hold no members of their own.
    assert counts == {"T-CITY": 0, "T-DISTRICT": 0, "T-STREET": 0, "GH-T-001": 1, "GH-T-002": 0}
