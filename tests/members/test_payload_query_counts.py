"""Member mutations read their payload's member and its user in a fixed number of queries,
whether the user has one address and one permission or ten addresses and five permissions."""

import pytest

from mall.permissions import PermissionEnum
from members.models import MemberProfile
from tests.accounts.payload_people import (
    ID_NUMBER,
    SIZES,
    USER_FIELDS,
    api_for,
    assert_full_user,
    make_person,
    size_id,
)
from tests.factories import grassroots_union
from tests.graphql.helpers import gid
from tests.members.conftest import grant

MEMBER_FIELDS = f"number verificationStatus branch {{ code name }} user {{ {USER_FIELDS} }}"
REQUEST = f"""
mutation ($input: MemberVerificationRequestInput!) {{
  memberVerificationRequest(input: $input) {{ member {{ {MEMBER_FIELDS} }} errors {{ field code }} }}
}}"""
APPROVE = f"""
mutation ($id: ID!) {{
  memberVerificationApprove(id: $id) {{ member {{ {MEMBER_FIELDS} }} errors {{ field code }} }}
}}"""
REJECT = f"""
mutation ($id: ID!, $reason: String!) {{
  memberVerificationReject(id: $id, reason: $reason) {{ member {{ {MEMBER_FIELDS} }} errors {{ field code }} }}
}}"""


@pytest.fixture(params=SIZES, ids=size_id)
def size(request):
    return request.param


@pytest.fixture
def person(db, size):
    return make_person(size)


@pytest.fixture
def reviewer_api(django_user_model):
    reviewer = django_user_model.objects.create_user("operator@example.com", "pass-1234-word", is_staff=True)
    return api_for(grant(reviewer, PermissionEnum.MANAGE_USERS))


def payload_of(api, mutation: str, variables: dict) -> dict:
    (payload,) = api.data(mutation, variables).values()
    assert payload["errors"] == [], payload["errors"]
    return payload


def test_verification_request_reads_the_member_and_its_user_in_fixed_queries(db, size, django_assert_num_queries):
    person = make_person(size, member=False)
    branch = grassroots_union(code="GH-T-001", name="测试区第一联合工会")
    variables = {"input": {"realName": "李晓梅", "idNumber": ID_NUMBER, "branch": gid("UnionBranch", branch.pk)}}
    api = api_for(person)

    # the member's rows are read and checked by the service; the payload adds only the user's
    # permissions and addresses: its member, user and union come with the profile
    with django_assert_num_queries(29):
        payload = payload_of(api, REQUEST, variables)

    assert payload["member"]["verificationStatus"] == "PENDING"
    assert payload["member"]["user"]["member"]["verificationStatus"] == "PENDING"  # as saved, not as read
    assert_full_user(payload["member"]["user"], size)


def test_verification_approval_reads_the_member_and_its_user_in_fixed_queries(
    person, reviewer_api, size, django_assert_num_queries
):
    member_id = gid("Member", MemberProfile.objects.get(user=person).pk)

    # the service's reads and checks; the payload adds only the user's permissions and addresses:
    # the member's user and union are joined to the locked profile
    with django_assert_num_queries(20):
        payload = payload_of(reviewer_api, APPROVE, {"id": member_id})

    assert payload["member"]["verificationStatus"] == "VERIFIED"
    assert_full_user(payload["member"]["user"], size)


def test_verification_rejection_reads_the_member_and_its_user_in_fixed_queries(
    person, reviewer_api, size, django_assert_num_queries
):
    member_id = gid("Member", MemberProfile.objects.get(user=person).pk)

    # as the approval, without the check for the same ID card verified elsewhere
    with django_assert_num_queries(19):
        payload = payload_of(reviewer_api, REJECT, {"id": member_id, "reason": "姓名与身份证不一致"})

    assert payload["member"]["verificationStatus"] == "REJECTED"
    assert_full_user(payload["member"]["user"], size)
