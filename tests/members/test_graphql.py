"""The member API over HTTP: asking for verification, deciding it, `me { member }` and the review queue."""

import logging

import pytest
from django.contrib.auth import get_user_model

from branches.models import UnionBranch
from demo.people import with_check_digit
from members import services
from members.models import MemberProfile
from tests.graphql.helpers import gid
from tests.members.conftest import ID_NUMBER, OTHER_ID_NUMBER, api_for

MEMBER_FIELDS = """
  id number verificationStatus realName idNumberMasked verificationRequestedAt verificationDecidedAt
  rejectionReason branch { id code name }
"""
REQUEST = f"""
mutation Request($input: MemberVerificationRequestInput!) {{
  memberVerificationRequest(input: $input) {{ member {{ {MEMBER_FIELDS} }} errors {{ field message code }} }}
}}"""
APPROVE = f"""
mutation Approve($id: ID!) {{
  memberVerificationApprove(id: $id) {{ member {{ {MEMBER_FIELDS} }} errors {{ field message code }} }}
}}"""
REJECT = f"""
mutation Reject($id: ID!, $reason: String!) {{
  memberVerificationReject(id: $id, reason: $reason) {{ member {{ {MEMBER_FIELDS} }} errors {{ field message code }} }}
}}"""
ME = f"{{ me {{ email member {{ {MEMBER_FIELDS} }} }} }}"
MEMBERS = """
query Members($first: Int, $after: String, $filter: MemberFilterInput) {
  members(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { node { number realName verificationStatus idNumberMasked branch { code name } user { email } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def request_input(union, **overrides) -> dict:
    return {"input": {"realName": "李晓梅", "idNumber": ID_NUMBER, "branch": gid("UnionBranch", union.pk), **overrides}}


# --- memberVerificationRequest ----------------------------------------------------------
def test_a_signed_in_user_asks_for_verification_and_is_pending(member_api, branch):
    payload = member_api.data(REQUEST, request_input(branch))["memberVerificationRequest"]
    assert payload["errors"] == []
    member = payload["member"]
    assert (member["verificationStatus"], member["realName"], member["idNumberMasked"]) == (
        "PENDING",
        "李晓梅",
        "4403**********1220",
    )
    assert member["branch"] == {"id": gid("UnionBranch", branch.pk), "code": "GH-T-001", "name": "测试区第一联合工会"}
    assert member["verificationRequestedAt"] and member["verificationDecidedAt"] is None


def test_a_bad_id_number_comes_back_as_a_field_error_and_changes_nothing(member_api, branch):
    bad = ID_NUMBER[:-1] + str((int(ID_NUMBER[-1]) + 1) % 10)
    payload = member_api.data(REQUEST, request_input(branch, idNumber=bad))["memberVerificationRequest"]
    assert payload == {
        "member": None,
        "errors": [
            {
                "field": "idNumber",
                "message": "身份证号码的校验位不正确，请逐位核对后重新填写。",
                "code": "INVALID_ID_NUMBER",
            }
        ],
    }
    assert not MemberProfile.objects.exists()


def test_an_unknown_branch_is_not_found(member_api, branch):
    payload = member_api.data(REQUEST, request_input(branch, branch=gid("UnionBranch", branch.pk + 100)))
    assert [(e["field"], e["code"]) for e in payload["memberVerificationRequest"]["errors"]] == [
        ("branch", "NOT_FOUND")
    ]


def test_a_branch_above_the_grassroots_is_refused_with_a_chinese_field_error(member_api, branch):
    street = UnionBranch.objects.get(code="T-STREET")
    payload = member_api.data(REQUEST, request_input(branch, branch=gid("UnionBranch", street.pk)))
    errors = payload["memberVerificationRequest"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("branch", "NOT_GRASSROOTS")]
    assert errors[0]["message"] == "“测试街道工会”不是基层工会，请选择您所在的基层工会（第3级组织）。"
    assert not MemberProfile.objects.filter(verification_status="pending").exists()


def test_a_product_id_as_branch_is_a_graphql_error(member_api, branch):
    payload = member_api.data(REQUEST, request_input(branch, branch=gid("Product", 1)))
    assert payload["memberVerificationRequest"]["errors"][0]["code"] == "GRAPHQL_ERROR"


def test_an_anonymous_request_is_refused(api, branch):
    message = api.error(REQUEST, request_input(branch))
    assert message == "You need to be authenticated to perform this action"
    assert not MemberProfile.objects.exists()


def test_an_id_number_verified_on_another_account_is_duplicated(member_api, branch, other_user, reviewer):
    other = services.request_verification(user=other_user, real_name="李晓梅", id_number=ID_NUMBER, branch=branch)
    services.approve_verification(operator=reviewer, profile=other)
    payload = member_api.data(REQUEST, request_input(branch))["memberVerificationRequest"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("idNumber", "DUPLICATED_ID_NUMBER")]


# --- memberVerificationApprove / Reject -------------------------------------------------
def test_an_operator_with_manage_users_approves_a_pending_request(reviewer_api, pending_profile):
    payload = reviewer_api.data(APPROVE, {"id": gid("Member", pending_profile.pk)})["memberVerificationApprove"]
    assert payload["errors"] == []
    assert payload["member"]["verificationStatus"] == "VERIFIED"
    assert payload["member"]["verificationDecidedAt"]
    assert MemberProfile.objects.get().verification_status == "verified"


def test_a_member_cannot_approve_their_own_request(member_api, pending_profile):
    message = member_api.error(APPROVE, {"id": gid("Member", pending_profile.pk)})
    assert message == "You need one of the following permissions: MANAGE_USERS"
    assert MemberProfile.objects.get().verification_status == "pending"


def test_approving_twice_says_already_verified(reviewer_api, pending_profile):
    reviewer_api.data(APPROVE, {"id": gid("Member", pending_profile.pk)})
    payload = reviewer_api.data(APPROVE, {"id": gid("Member", pending_profile.pk)})["memberVerificationApprove"]
    assert payload == {
        "member": None,
        "errors": [{"field": "id", "message": "该会员已通过实名认证。", "code": "ALREADY_VERIFIED"}],
    }


def test_approving_a_member_who_never_asked_is_an_invalid_status(reviewer_api, member_user):
    profile = services.create_member_profile(user=member_user)
    payload = reviewer_api.data(APPROVE, {"id": gid("Member", profile.pk)})["memberVerificationApprove"]
    assert [e["code"] for e in payload["errors"]] == ["INVALID_STATUS"]


def test_approving_an_unknown_member_is_not_found(reviewer_api, pending_profile):
    payload = reviewer_api.data(APPROVE, {"id": gid("Member", pending_profile.pk + 1000)})
    assert [(e["field"], e["code"]) for e in payload["memberVerificationApprove"]["errors"]] == [("id", "NOT_FOUND")]


def test_an_operator_rejects_with_a_reason_the_member_then_reads(reviewer_api, member_api, pending_profile):
    payload = reviewer_api.data(REJECT, {"id": gid("Member", pending_profile.pk), "reason": "姓名与身份证不一致"})
    assert payload["memberVerificationReject"]["errors"] == []
    me = member_api.data(ME)["me"]["member"]
    assert (me["verificationStatus"], me["rejectionReason"]) == ("REJECTED", "姓名与身份证不一致")


def test_rejecting_without_a_reason_is_required(reviewer_api, pending_profile):
    payload = reviewer_api.data(REJECT, {"id": gid("Member", pending_profile.pk), "reason": " "})
    assert [(e["field"], e["code"]) for e in payload["memberVerificationReject"]["errors"]] == [("reason", "REQUIRED")]
    assert MemberProfile.objects.get().verification_status == "pending"


def test_a_rejected_member_asks_again_through_the_api(member_api, reviewer, pending_profile, branch):
    services.reject_verification(operator=reviewer, profile=pending_profile, reason="照片不清")
    payload = member_api.data(REQUEST, request_input(branch, idNumber=OTHER_ID_NUMBER))["memberVerificationRequest"]
    assert payload["errors"] == []
    assert (payload["member"]["verificationStatus"], payload["member"]["rejectionReason"]) == ("PENDING", "")


# --- me { member } ----------------------------------------------------------------------
def test_me_shows_the_member_with_number_branch_and_status(member_api, pending_profile):
    me = member_api.data(ME)["me"]
    assert me["email"] == "member@example.com"
    assert me["member"]["number"] == pending_profile.number
    assert me["member"]["id"] == gid("Member", pending_profile.pk)
    assert me["member"]["branch"]["code"] == "GH-T-001"
    assert me["member"]["verificationStatus"] == "PENDING"


def test_me_member_is_null_for_a_user_without_a_profile(member_api):
    assert member_api.data(ME)["me"] == {"email": "member@example.com", "member": None}


def test_me_with_member_and_branch_reads_the_profile_with_the_user_in_one_query(
    member_api, pending_profile, django_assert_num_queries
):
    # session, then the user with the profile and its branch joined
    with django_assert_num_queries(2):
        member_api.data(ME)


# --- members (the review queue) ---------------------------------------------------------
QUEUE_NAMES = ["张伟", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周娜", "吴强", "徐丽", "孙杰", "马琳"]


def make_pending_members(count: int, branch) -> None:
    """`count` pending requests, made in the order of QUEUE_NAMES, from queue<n>@example.com."""
    User = get_user_model()
    for number in range(count):
        user = User.objects.create_user(f"queue{number}@example.com", "pass-1234-word")
        first_17 = f"1101051990{number + 1:02d}01{number:03d}"
        services.request_verification(
            user=user, real_name=QUEUE_NAMES[number], id_number=with_check_digit(first_17), branch=branch
        )


@pytest.mark.parametrize("size", [3, 12])
def test_the_review_queue_reads_a_page_in_the_same_number_of_queries_whatever_its_size(
    reviewer_api, branch, size, django_assert_num_queries
):
    make_pending_members(size, branch)
    # session, user, the permission check (the user's and their groups' permissions at once), the page, totalCount
    with django_assert_num_queries(5):
        data = reviewer_api.data(MEMBERS, {"first": 20, "filter": {"verificationStatus": ["PENDING"]}})
    assert data["members"]["totalCount"] == size
    assert len(data["members"]["edges"]) == size
    assert {edge["node"]["branch"]["code"] for edge in data["members"]["edges"]} == {"GH-T-001"}


def test_the_review_queue_pages_oldest_request_first(reviewer_api, branch):
    make_pending_members(5, branch)
    first = reviewer_api.data(MEMBERS, {"first": 2})["members"]
    assert [edge["node"]["realName"] for edge in first["edges"]] == ["张伟", "王芳"]
    after = reviewer_api.data(MEMBERS, {"first": 10, "after": first["pageInfo"]["endCursor"]})["members"]
    assert [edge["node"]["realName"] for edge in after["edges"]] == ["刘洋", "陈静", "杨磊"]


def test_the_review_queue_filters_by_status_and_searches_number_name_and_email(
    reviewer_api, reviewer, branch, pending_profile
):
    make_pending_members(2, branch)
    services.approve_verification(operator=reviewer, profile=pending_profile)

    def names(filter_):
        edges = reviewer_api.data(MEMBERS, {"first": 20, "filter": filter_})["members"]["edges"]
        return [edge["node"]["realName"] for edge in edges]

    assert names({"verificationStatus": ["VERIFIED"]}) == ["李晓梅"]
    assert names({"verificationStatus": ["PENDING"]}) == ["张伟", "王芳"]
    assert names({"search": "晓梅"}) == ["李晓梅"]
    assert names({"search": "QUEUE1@"}) == ["王芳"]
    assert names({"search": pending_profile.number}) == ["李晓梅"]


def test_a_search_with_nul_or_a_lone_surrogate_is_answered_not_failed(reviewer_api, pending_profile):
    for search in ["晓\u0000梅", "\ud800", "\u200b"]:
        status, body = reviewer_api.post(MEMBERS, {"first": 5, "filter": {"search": search}})
        assert status < 500, body
        assert "Internal Server Error" not in str(body)


def test_the_review_queue_is_for_manage_users_only(member_api, pending_profile):
    message = member_api.error(MEMBERS, {"first": 5})
    assert message == "You need one of the following permissions: MANAGE_USERS"


def test_the_user_of_a_member_in_the_queue_shows_their_member_to_the_operator(reviewer, pending_profile):
    data = api_for(reviewer).data(MEMBERS + "", {"first": 1})
    assert data["members"]["edges"][0]["node"]["user"] == {"email": "member@example.com"}


def test_no_log_line_holds_the_id_number_even_with_sql_logging_on(member_api, branch, caplog, settings):
    settings.DEBUG = True  # Django then logs every SQL statement with its parameters
    bad = ID_NUMBER[:-1] + str((int(ID_NUMBER[-1]) + 1) % 10)
    django_logger = logging.getLogger("django")  # does not propagate to the root, where caplog listens
    django_logger.addHandler(caplog.handler)
    try:
        with caplog.at_level("DEBUG"), caplog.at_level("DEBUG", logger="django.db.backends"):
            member_api.data(REQUEST, request_input(branch, idNumber=bad))
            member_api.data(REQUEST, request_input(branch))
    finally:
        django_logger.removeHandler(caplog.handler)
    assert "members_memberprofile" in caplog.text  # the SQL was logged
    assert ID_NUMBER not in caplog.text and bad not in caplog.text
    assert ID_NUMBER[6:14] not in caplog.text
