"""The allowance API over HTTP: me { allowances }, allowanceGrantCreate and allowanceGrants."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from allowances import services
from allowances.models import AllowanceEntry, AllowanceGrant
from mall.permissions import PermissionEnum
from tests.allowances.conftest import api_for, grant_permissions, in_days, issue, make_members, make_order
from tests.graphql.conftest import GraphQLClient
from tests.graphql.helpers import gid

pytestmark = pytest.mark.django_db

ME_ALLOWANCES = """
query MyAllowances($first: Int, $after: String) {
  me {
    allowances {
      balance { amount currency }
      grants {
        grant { id reason amount { amount } restriction collectionName branch { name } membersCount }
        balance { amount }
        expiresAt
        isExpired
      }
      entries(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id type amount { amount currency } created reason note orderId orderNumber
                       grant { reason restriction } } }
      }
    }
  }
}
"""

CREATE = """
mutation Issue($input: AllowanceGrantCreateInput!) {
  allowanceGrantCreate(input: $input) {
    allowanceGrant { id reason amount { amount currency } expiresAt restriction collectionId membersCount }
    errors { field code message members }
  }
}
"""

GRANTS = """
query Grants($first: Int) {
  allowanceGrants(first: $first) {
    totalCount
    edges { node { reason amount { amount } membersCount restriction branch { name } } }
  }
}
"""


@pytest.fixture
def member_api(member):
    return api_for(member)


@pytest.fixture
def operator_api(operator):
    return api_for(operator)


def create_input(**fields):
    return {"reason": "中秋慰问", "amount": "300.00", "expiresAt": in_days(30).isoformat(), **fields}


def test_me_allowances_shows_balance_grants_and_the_ledger_newest_first(
    operator, member, member_api, relief_collection, channel
):
    mid_autumn = issue(operator, [member], "300.00", days=30)
    issue(operator, [member], "600.00", reason="消费帮扶", days=60, collection=relief_collection)
    order = make_order(member, channel)
    services.spend_for_order(order, {mid_autumn.pk: Decimal("120.50")})

    allowances = member_api.data(ME_ALLOWANCES, {"first": 10})["me"]["allowances"]

    assert allowances["balance"] == {"amount": 779.5, "currency": "CNY"}
    assert [
        (item["grant"]["reason"], item["balance"]["amount"], item["grant"]["restriction"], item["isExpired"])
        for item in allowances["grants"]
    ] == [("中秋慰问", 179.5, "全场通用", False), ("消费帮扶", 600.0, "仅限帮扶专区", False)]
    assert allowances["grants"][0]["grant"]["membersCount"] is None  # members do not see the operators' counts
    nodes = [edge["node"] for edge in allowances["entries"]["edges"]]
    assert [(node["type"], node["amount"]["amount"], node["reason"]) for node in nodes] == [
        ("SPEND", -120.5, "中秋慰问"),
        ("ISSUE", 600.0, "消费帮扶"),
        ("ISSUE", 300.0, "中秋慰问"),
    ]
    assert nodes[0]["orderId"] == gid("Order", str(order.pk))
    assert nodes[0]["orderNumber"] == str(order.number)
    assert nodes[1]["orderId"] is None
    assert allowances["entries"]["totalCount"] == 3


def test_entries_page_with_a_cursor(operator, member, member_api):
    for number in range(3):
        issue(operator, [member], "10.00", reason=f"慰问{number}")

    first = member_api.data(ME_ALLOWANCES, {"first": 2})["me"]["allowances"]["entries"]
    rest = member_api.data(ME_ALLOWANCES, {"first": 2, "after": first["pageInfo"]["endCursor"]})["me"]["allowances"][
        "entries"
    ]

    assert [edge["node"]["reason"] for edge in first["edges"]] == ["慰问2", "慰问1"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [edge["node"]["reason"] for edge in rest["edges"]] == ["慰问0"]


def test_a_member_without_allowances_sees_zero_and_empty_lists(member_api):
    allowances = member_api.data(ME_ALLOWANCES, {"first": 10})["me"]["allowances"]
    assert allowances["balance"]["amount"] == 0
    assert allowances["grants"] == [] and allowances["entries"]["edges"] == []


def test_anonymous_me_is_null(api):
    assert api.data(ME_ALLOWANCES, {"first": 10})["me"] is None


def test_staff_reading_a_member_without_manage_allowances_see_no_allowances(operator, member, django_user_model):
    issue(operator, [member])
    reviewer = django_user_model.objects.create_user("reviewer@example.com", "pass-1234-word", is_staff=True)
    reviewer = grant_permissions(reviewer, PermissionEnum.MANAGE_USERS)
    query = "{ members(first: 5) { edges { node { user { email allowances { balance { amount } } } } } } }"

    [edge] = api_for(reviewer).data(query)["members"]["edges"]

    assert edge["node"]["user"] == {"email": member.email, "allowances": None}


def test_an_operator_issues_an_allowance_to_members(operator_api, operator, member, branch):
    other = make_members(1, branch=branch)[0]

    data = operator_api.data(CREATE, {"input": create_input(members=[gid("User", member.pk), gid("User", other.pk)])})

    payload = data["allowanceGrantCreate"]
    assert payload["errors"] == []
    assert payload["allowanceGrant"]["amount"] == {"amount": 300.0, "currency": "CNY"}
    assert payload["allowanceGrant"]["membersCount"] == 2
    assert payload["allowanceGrant"]["restriction"] == "全场通用"
    grant = AllowanceGrant.objects.get()
    assert set(AllowanceEntry.objects.values_list("user_id", flat=True)) == {member.pk, other.pk}
    assert grant.issued_by == operator


def test_an_operator_issues_to_every_verified_member_of_a_branch(operator_api, branch, relief_collection):
    members = make_members(3, branch=branch)
    make_members(1, branch=branch, verified=False)

    data = operator_api.data(
        CREATE,
        {
            "input": create_input(
                branch=gid("UnionBranch", branch.pk),
                branchMembers=True,
                collection=gid("Collection", relief_collection.pk),
            )
        },
    )

    grant = data["allowanceGrantCreate"]["allowanceGrant"]
    assert (grant["membersCount"], grant["restriction"]) == (3, "仅限帮扶专区")
    assert grant["collectionId"] == gid("Collection", relief_collection.pk)
    assert set(AllowanceEntry.objects.values_list("user_id", flat=True)) == {m.pk for m in members}


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"amount": "0"}, "amount", "INVALID"),
        ({"amount": "12.345"}, "amount", "INVALID"),
        ({"amount": "2500.01"}, "amount", "AMOUNT_ABOVE_LIMIT"),
        ({"reason": "   "}, "reason", "REQUIRED"),
        ({"expiresAt": "2020-01-01T00:00:00+08:00"}, "expiresAt", "INVALID"),
        ({"members": []}, "members", "REQUIRED"),
        ({"members": ["bm90LWFuLWlk"]}, "members", "GRAPHQL_ERROR"),
        ({"collection": "Q29sbGVjdGlvbjo5OTk5OTk="}, "collection", "NOT_FOUND"),
        ({"branchMembers": True}, "branch", "REQUIRED"),
        ({"idempotencyKey": "x" * 65}, "idempotencyKey", "INVALID"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_issued(operator_api, member, fields, field, code):
    data = operator_api.data(CREATE, {"input": {**create_input(members=[gid("User", member.pk)]), **fields}})

    payload = data["allowanceGrantCreate"]
    assert payload["allowanceGrant"] is None
    assert [(error["field"], error["code"]) for error in payload["errors"]] == [(field, code)]
    assert not AllowanceGrant.objects.exists() and not AllowanceEntry.objects.exists()


def test_unverified_members_are_named_in_the_error(operator_api, member, unverified_user):
    data = operator_api.data(
        CREATE, {"input": create_input(members=[gid("User", member.pk), gid("User", unverified_user.pk)])}
    )

    [error] = data["allowanceGrantCreate"]["errors"]
    assert (error["field"], error["code"]) == ("members", "NOT_VERIFIED_MEMBER")
    assert error["members"] == [gid("User", unverified_user.pk)]
    assert unverified_user.email in error["message"]
    assert not AllowanceEntry.objects.exists()


def test_issuing_without_manage_allowances_is_refused(member, member_api, staff_user):
    for client in (member_api, api_for(staff_user)):
        message = client.error(CREATE, {"input": create_input(members=[gid("User", member.pk)])})
        assert "MANAGE_ALLOWANCES" in message
    assert not AllowanceGrant.objects.exists()


def test_a_resubmission_with_the_same_key_returns_the_same_grant(operator_api, member):
    variables = {"input": create_input(members=[gid("User", member.pk)], idempotencyKey="submit-7f3a")}
    first = operator_api.data(CREATE, variables)["allowanceGrantCreate"]["allowanceGrant"]["id"]
    again = operator_api.data(CREATE, variables)["allowanceGrantCreate"]["allowanceGrant"]["id"]
    assert first == again
    assert AllowanceEntry.objects.count() == 1


def test_operators_list_grants_with_member_counts(operator_api, operator, branch):
    issue(operator, make_members(3, branch=branch), reason="春节慰问", branch=branch)
    issue(operator, make_members(2, branch=branch), reason="中秋慰问")

    grants = operator_api.data(GRANTS, {"first": 10})["allowanceGrants"]

    assert grants["totalCount"] == 2
    assert [(edge["node"]["reason"], edge["node"]["membersCount"]) for edge in grants["edges"]] == [
        ("中秋慰问", 2),
        ("春节慰问", 3),
    ]
    assert grants["edges"][1]["node"]["branch"] == {"name": branch.name}


def test_only_operators_list_grants(member_api):
    assert "MANAGE_ALLOWANCES" in member_api.error(GRANTS, {"first": 10})


QUERIES = []


def count_queries(client: GraphQLClient, query: str, variables: dict) -> int:
    client.data(query, variables)  # warm: session, permissions and caches as on any later request
    with CaptureQueriesContext(connection) as queries:
        client.data(query, variables)
    QUERIES[:] = queries.captured_queries
    return len(queries)


def test_me_allowances_query_count_does_not_grow_with_the_ledger(
    operator, member, member_api, relief_collection, channel
):
    issue(operator, [member], "100.00", collection=relief_collection)
    small = count_queries(member_api, ME_ALLOWANCES, {"first": 50})
    for number in range(6):
        grant = issue(operator, [member], "50.00", reason=f"慰问{number}", collection=relief_collection)
        services.spend_for_order(make_order(member, channel), {grant.pk: Decimal("10.00")})
    large = count_queries(member_api, ME_ALLOWANCES, {"first": 50})

    # session, user, balance, grants, the requester's permissions (membersCount), entries page, entries count
    assert small == large == 7, "\n".join(query["sql"][:200] for query in QUERIES)


def test_allowance_grants_query_count_does_not_grow_with_the_page(operator, operator_api, branch):
    issue(operator, make_members(2, branch=branch), branch=branch)
    small = count_queries(operator_api, GRANTS, {"first": 50})
    for number in range(8):
        issue(operator, make_members(2, branch=branch), reason=f"慰问{number}", branch=branch)
    large = count_queries(operator_api, GRANTS, {"first": 50})

    # session, user, permissions, the page of grants, the count, members per grant (one loader query)
    assert small == large == 6, "\n".join(query["sql"][:200] for query in QUERIES)
