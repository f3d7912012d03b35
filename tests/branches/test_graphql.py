"""The branch tree over GraphQL: what each requestor sees, nested connections, mutations, query counts."""

import pytest
from graphql_relay import to_global_id

from branches.models import BranchRole, UnionBranch
from branches.services import assign_role, create_union_branch
from tests.branches.conftest import api_for, make_user


def gid(branch) -> str:
    return to_global_id("UnionBranch", branch.pk)


LIST = """
query ($first: Int, $parent: ID, $level: Int, $search: String) {
  unionBranches(first: $first, parent: $parent, level: $level, search: $search) {
    totalCount
    edges { node { code level kind parent { code } membersCount } }
  }
}
"""
ONE = """
query ($id: ID, $code: String) {
  unionBranch(id: $id, code: $code) {
    code name level
    parent { code }
    children(first: 10) { totalCount edges { node { code } } }
    ancestors(first: 10) { totalCount edges { node { code } } }
    membersCount
  }
}
"""


def listed(api, **variables) -> list[str]:
    data = api.data(LIST, {"first": 50, **variables})
    return [edge["node"]["code"] for edge in data["unionBranches"]["edges"]]


def test_anonymous_users_and_members_see_only_the_grassroots_directory(api, tree):
    data = api.data(LIST, {"first": 50})["unionBranches"]
    assert [edge["node"] for edge in data["edges"]] == [
        {"code": code, "level": 3, "kind": kind, "parent": None, "membersCount": None}
        for code, kind in [
            ("GH-JY-001", "ENTERPRISE"),  # tree order: 福田 (SZ-FT) sorts before 南山 (SZ-NS)
            ("GH-SK-001", "ENTERPRISE"),
            ("GH-YH-001", "COMMUNITY"),
            ("GH-YH-002", "ENTERPRISE"),
        ]
    ]
    assert api.data(ONE, {"code": "SZ-NS"})["unionBranch"] is None
    assert listed(api, search="医院") == ["GH-YH-002"]


def test_a_clerk_sees_their_subtree_and_never_a_sibling_or_the_parent(tree, clerk_of_yh):
    api = api_for(clerk_of_yh)
    assert listed(api) == ["SZ-NS-YH", "GH-YH-001", "GH-YH-002"]
    assert api.data(ONE, {"id": gid(tree.sk)})["unionBranch"] is None  # the sibling street
    assert api.data(ONE, {"code": "GH-SK-001"})["unionBranch"] is None  # the sibling's union
    assert api.data(ONE, {"id": gid(tree.ns)})["unionBranch"] is None  # the parent
    assert listed(api, parent=gid(tree.ns)) == []  # the parent's children are not listed through it
    own = api.data(ONE, {"id": gid(tree.yh)})["unionBranch"]
    assert own["parent"] is None  # the parent's detail stays hidden
    assert own["ancestors"] == {"totalCount": 0, "edges": []}
    assert [edge["node"]["code"] for edge in own["children"]["edges"]] == ["GH-YH-001", "GH-YH-002"]
    union = api.data(ONE, {"code": "GH-YH-001"})["unionBranch"]
    assert union["parent"] == {"code": "SZ-NS-YH"}
    assert [edge["node"]["code"] for edge in union["ancestors"]["edges"]] == ["SZ-NS-YH"]


def test_the_sibling_clerk_sees_the_mirror_image(tree, clerk_of_yh, django_user_model):
    other = make_user(django_user_model, "sk@example.com")
    assign_role(user=other, branch=tree.sk, role="APPROVER")
    assert listed(api_for(other)) == ["SZ-NS-SK", "GH-SK-001"]
    assert api_for(other).data(ONE, {"id": gid(tree.yh)})["unionBranch"] is None


def test_operators_see_the_whole_tree_with_children_and_ancestors(tree, operator_api):
    assert len(listed(operator_api)) == 10
    assert listed(operator_api, parent=gid(tree.ns)) == ["SZ-NS-SK", "SZ-NS-YH"]
    assert listed(operator_api, level=2) == ["SZ-FT-JY", "SZ-NS-SK", "SZ-NS-YH"]
    union = operator_api.data(ONE, {"code": "GH-YH-002"})["unionBranch"]
    assert [edge["node"]["code"] for edge in union["ancestors"]["edges"]] == ["SZ", "SZ-NS", "SZ-NS-YH"]
    assert union["ancestors"]["totalCount"] == 3
    city = operator_api.data(ONE, {"id": gid(tree.city)})["unionBranch"]
    assert city["children"]["totalCount"] == 2
    assert city["parent"] is None and city["level"] == 0


def test_children_page_through_cursors(tree, operator_api):
    query = """query ($id: ID, $after: String) { unionBranch(id: $id) {
      children(first: 1, after: $after) { edges { node { code } } pageInfo { hasNextPage endCursor } } } }"""
    first = operator_api.data(query, {"id": gid(tree.ns)})["unionBranch"]["children"]
    assert [edge["node"]["code"] for edge in first["edges"]] == ["SZ-NS-SK"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = operator_api.data(query, {"id": gid(tree.ns), "after": first["pageInfo"]["endCursor"]})
    assert [edge["node"]["code"] for edge in second["unionBranch"]["children"]["edges"]] == ["SZ-NS-YH"]


def test_union_branch_needs_exactly_one_of_id_and_code(api, tree):
    assert "Exactly one" in api.error(ONE, {})
    assert "Must receive a UnionBranch id" in api.error(ONE, {"id": to_global_id("Product", 1)})


def test_me_lists_the_roles_of_one_person_in_several_branches(tree, clerk_of_yh):
    assign_role(user=clerk_of_yh, branch=tree.jy1, role="AUDITOR")
    data = api_for(clerk_of_yh).data("{ me { branchRoles { role branch { id code name level } } } }")
    assert data["me"]["branchRoles"] == [
        {"role": "AUDITOR", "branch": {"id": gid(tree.jy1), "code": "GH-JY-001", "name": "福田中学工会", "level": 3}},
        {"role": "CLERK", "branch": {"id": gid(tree.yh), "code": "SZ-NS-YH", "name": "粤海街道总工会", "level": 2}},
    ]


# --- Query counts -----------------------------------------------------------------------
DEEP = """
query ($first: Int, $level: Int) {
  me { branchRoles { role branch { code } } }
  unionBranches(first: $first, level: $level) {
    edges { node {
      code parent { code } membersCount
      ancestors(first: 5) { totalCount edges { node { code } } }
      children(first: 5) {
        totalCount edges { node { code parent { code } children(first: 2) { edges { node { code } } } } }
      }
    } }
  }
}
"""


@pytest.fixture
def six_streets(tree):
    """Six streets, each with two grassroots unions, so that pages of 2 and 6 streets have the same shape."""
    for number in range(3, 7):
        street = create_union_branch(code=f"SZ-FT-S{number}", name=f"街道{number}", parent=tree.ft, kind="street")
        create_union_branch(code=f"GH-S{number}-1", name=f"基层{number}-1", parent=street, kind="enterprise")
        create_union_branch(code=f"GH-S{number}-2", name=f"基层{number}-2", parent=street, kind="enterprise")
    return tree


def deep_query_count(api, size: int, django_assert_max_num_queries, **variables) -> int:
    api.data(DEEP, {"first": size, **variables})  # warm the session and permission caches
    with django_assert_max_num_queries(50) as captured:
        data = api.data(DEEP, {"first": size, **variables})
    assert len(data["unionBranches"]["edges"]) == size
    return len(captured.captured_queries)


def test_a_page_of_branches_with_its_nested_tree_costs_the_same_at_any_size(
    six_streets, operator, django_assert_max_num_queries
):
    api = api_for(operator)
    counts = {size: deep_query_count(api, size, django_assert_max_num_queries, level=2) for size in (2, 6)}
    # Session, user, roles, permissions, the page, then one query per kind of nested read (members
    # count, parents, ancestors, children, grandchildren), whatever the page size.
    assert counts == {2: 11, 6: 11}


def test_a_page_mixing_levels_stays_bounded_by_the_tree_depth(six_streets, operator, django_assert_max_num_queries):
    """Nodes of different levels batch per generation, so a mixed page costs at most a few more queries."""
    api = api_for(operator)
    assert deep_query_count(api, 2, django_assert_max_num_queries) <= 16
    assert deep_query_count(api, 20, django_assert_max_num_queries) <= 16


# --- Mutations --------------------------------------------------------------------------
CREATE = """
mutation ($input: UnionBranchCreateInput!) {
  unionBranchCreate(input: $input) { unionBranch { code level parent { code } } errors { field message code } }
}
"""
MOVE = """
mutation ($id: ID!, $parent: ID) {
  unionBranchMove(id: $id, parent: $parent) { unionBranch { code parent { code } } errors { field message code } }
}
"""
ASSIGN = """
mutation ($input: BranchRoleAssignInput!) {
  branchRoleAssign(input: $input) { branchRole { id role branch { code } user { email } } errors { field code } }
}
"""
REVOKE = "mutation ($id: ID!) { branchRoleRevoke(id: $id) { branchRole { id role } errors { field code } } }"
UPDATE = """
mutation ($id: ID!, $input: UnionBranchUpdateInput!) {
  unionBranchUpdate(id: $id, input: $input) { unionBranch { code name kind } errors { field message code } }
}
"""


def test_an_operator_adds_a_grassroots_union_under_a_street(tree, operator_api):
    payload = operator_api.data(
        CREATE, {"input": {"code": "GH-YH-003", "name": "腾讯工会", "parent": gid(tree.yh), "kind": "ENTERPRISE"}}
    )["unionBranchCreate"]
    assert payload == {"unionBranch": {"code": "GH-YH-003", "level": 3, "parent": {"code": "SZ-NS-YH"}}, "errors": []}


@pytest.mark.parametrize(
    ("variables", "field", "code"),
    [
        ({"code": "X1", "name": "第五级", "parent": "yh1"}, "parent", "TOO_DEEP"),
        ({"code": "X2", "name": "类型不符", "parent": "city", "kind": "COMMUNITY"}, "kind", "INVALID_KIND"),
        ({"code": "SZ-NS", "name": "重复编码", "parent": "city"}, "code", "UNIQUE"),
        ({"code": "", "name": "无编码", "parent": "city"}, "code", "REQUIRED"),
        ({"code": "X3", "name": "坏上级", "parent": "bad"}, "parent", "GRAPHQL_ERROR"),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(tree, operator_api, variables, field, code):
    parent = variables["parent"]
    variables["parent"] = "bad-id" if parent == "bad" else gid(getattr(tree, parent))
    payload = operator_api.data(CREATE, {"input": variables})["unionBranchCreate"]
    assert payload["unionBranch"] is None
    assert [(error["field"], error["code"]) for error in payload["errors"]] == [(field, code)]
    assert payload["errors"][0]["message"]
    assert UnionBranch.objects.count() == 10


def test_the_too_deep_message_is_chinese(tree, operator_api):
    payload = operator_api.data(CREATE, {"input": {"code": "X", "name": "第五级", "parent": gid(tree.yh1)}})
    assert "最多四级" in payload["unionBranchCreate"]["errors"][0]["message"]


def test_mutations_need_manage_branches(tree, clerk_of_yh):
    api = api_for(clerk_of_yh)
    message = api.error(CREATE, {"input": {"code": "X", "name": "越权", "parent": gid(tree.yh)}})
    assert "MANAGE_BRANCHES" in message
    assert "MANAGE_BRANCHES" in api.error(MOVE, {"id": gid(tree.yh1), "parent": gid(tree.sk)})
    assert UnionBranch.objects.count() == 10
    assert UnionBranch.objects.get_parent(UnionBranch.objects.get(code="GH-YH-001")).code == "SZ-NS-YH"


def test_moving_a_union_over_graphql_and_a_refused_move(tree, operator_api):
    moved = operator_api.data(MOVE, {"id": gid(tree.yh1), "parent": gid(tree.sk)})["unionBranchMove"]
    assert moved == {"unionBranch": {"code": "GH-YH-001", "parent": {"code": "SZ-NS-SK"}}, "errors": []}
    refused = operator_api.data(MOVE, {"id": gid(tree.yh1), "parent": gid(tree.ns)})["unionBranchMove"]
    assert [(error["field"], error["code"]) for error in refused["errors"]] == [("parent", "INVALID_PARENT")]


def test_update_renames_and_checks_the_kind(tree, operator_api):
    payload = operator_api.data(UPDATE, {"id": gid(tree.yh), "input": {"name": "粤海街道工会联合会"}})
    updated = payload["unionBranchUpdate"]["unionBranch"]
    assert updated == {"code": "SZ-NS-YH", "name": "粤海街道工会联合会", "kind": "STREET"}
    refused = operator_api.data(UPDATE, {"id": gid(tree.yh), "input": {"kind": "ENTERPRISE"}})["unionBranchUpdate"]
    assert [error["code"] for error in refused["errors"]] == ["INVALID_KIND"]
    assert UnionBranch.objects.get(pk=tree.yh.pk).kind == "street"


def test_roles_are_assigned_and_revoked(tree, operator_api, django_user_model):
    person = make_user(django_user_model, "chair@example.com")
    variables = {"input": {"user": to_global_id("User", person.pk), "branch": gid(tree.jy), "role": "APPROVER"}}
    payload = operator_api.data(ASSIGN, variables)["branchRoleAssign"]
    assert payload["errors"] == []
    assert payload["branchRole"]["role"] == "APPROVER"
    assert payload["branchRole"]["branch"] == {"code": "SZ-FT-JY"}
    assert payload["branchRole"]["user"] == {"email": "chair@example.com"}
    assert listed(api_for(person)) == ["SZ-FT-JY", "GH-JY-001"]
    revoked = operator_api.data(REVOKE, {"id": payload["branchRole"]["id"]})["branchRoleRevoke"]
    assert revoked == {"branchRole": {"id": payload["branchRole"]["id"], "role": "APPROVER"}, "errors": []}
    assert not BranchRole.objects.filter(user=person).exists()
    assert listed(api_for(person)) == ["GH-JY-001", "GH-SK-001", "GH-YH-001", "GH-YH-002"]  # back to the directory


def test_assigning_to_an_unknown_user_is_a_field_error(tree, operator_api):
    variables = {"input": {"user": to_global_id("User", 999999), "branch": gid(tree.jy), "role": "VIEWER"}}
    payload = operator_api.data(ASSIGN, variables)["branchRoleAssign"]
    assert payload["errors"] == [{"field": "user", "code": "NOT_FOUND"}]
    assert not BranchRole.objects.exists()


def test_members_count_counts_verified_members_of_the_subtree(tree, operator_api, django_user_model):
    from members.models import MemberProfile

    for number, branch in enumerate([tree.yh1, tree.yh2, tree.sk1]):
        user = make_user(django_user_model, f"m{number}@example.com")
        MemberProfile.objects.create(
            user=user, number=f"M{number}", branch=branch, verification_status="verified", id_number_hash=f"h{number}"
        )
    create_union_branch(code="GH-YH-009", name="空工会", parent=tree.yh, kind="enterprise")
    counts = {
        edge["node"]["code"]: edge["node"]["membersCount"]
        for edge in operator_api.data(LIST, {"first": 50})["unionBranches"]["edges"]
    }
    assert (counts["SZ"], counts["SZ-NS"], counts["SZ-NS-YH"], counts["GH-YH-009"], counts["SZ-FT"]) == (3, 3, 2, 0, 0)
