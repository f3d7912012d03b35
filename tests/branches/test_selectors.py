"""Subtrees, scopes and visibility; subtree reads stay one indexed query at 5,000 branches."""

import pytest
from django.db import connection

from branches import selectors
from branches.models import UnionBranch
from branches.services import assign_role
from tests.branches.conftest import make_user


def codes(queryset) -> list[str]:
    return [branch.code for branch in queryset]


def test_the_subtree_of_each_level_on_a_four_level_tree(tree):
    assert len(selectors.subtree(tree.city)) == 10
    assert codes(selectors.subtree(tree.ns)) == ["SZ-NS", "SZ-NS-SK", "GH-SK-001", "SZ-NS-YH", "GH-YH-001", "GH-YH-002"]
    assert codes(selectors.subtree(tree.yh)) == ["SZ-NS-YH", "GH-YH-001", "GH-YH-002"]
    assert codes(selectors.subtree(tree.yh1)) == ["GH-YH-001"]


def test_a_subtree_is_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        list(selectors.subtree(tree.ns))
    assert "LIKE" in captured.captured_queries[0]["sql"]


def test_staff_see_their_subtrees_and_nothing_beside_or_above(tree, clerk_of_yh):
    assert codes(selectors.branches_visible_to(clerk_of_yh)) == ["SZ-NS-YH", "GH-YH-001", "GH-YH-002"]
    assert selectors.can_see_branch(clerk_of_yh, tree.yh1)
    assert not selectors.can_see_branch(clerk_of_yh, tree.sk)  # the sibling
    assert not selectors.can_see_branch(clerk_of_yh, tree.sk1)  # the sibling's union
    assert not selectors.can_see_branch(clerk_of_yh, tree.ns)  # the parent


def test_operators_see_everything_and_strangers_nothing(tree, operator, django_user_model):
    stranger = make_user(django_user_model, "stranger@example.com")
    assert selectors.branches_visible_to(operator).count() == 10
    assert selectors.branches_visible_to(stranger).count() == 0
    assert not selectors.can_see_branch(stranger, tree.yh1)


def test_a_role_inside_another_roles_subtree_adds_nothing(tree, clerk_of_yh):
    assign_role(user=clerk_of_yh, branch=tree.yh1, role="VIEWER")
    assert selectors.branch_scope(clerk_of_yh).prefixes == (tree.yh.path,)


def test_subtree_counts_of_verified_members(tree, django_user_model):
    from members.models import MemberProfile

    for number, branch in enumerate([tree.yh1, tree.yh1, tree.yh2, tree.jy1]):
        user = make_user(django_user_model, f"m{number}@example.com")
        MemberProfile.objects.create(
            user=user, number=f"M{number}", branch=branch, verification_status="verified", id_number_hash=f"h{number}"
        )
    counts = selectors.verified_member_counts([tree.city, tree.ns, tree.yh1, tree.sk])
    assert counts == {tree.city.pk: 4, tree.ns.pk: 3, tree.yh1.pk: 2, tree.sk.pk: 0}


@pytest.fixture
def five_thousand_branches(db):
    """1 city, 10 districts, 10 streets each, 49 grassroots unions each: 5,000 + 111 branches, in bulk."""
    rows = [UnionBranch(code="C", name="市总工会", path="0001", depth=1, numchild=10)]
    for d in range(1, 11):
        d_path = f"0001{d:04d}"
        rows.append(UnionBranch(code=f"D{d}", name=f"区{d}", path=d_path, depth=2, numchild=10))
        for s in range(1, 11):
            s_path = f"{d_path}{s:04d}"
            rows.append(UnionBranch(code=f"D{d}S{s}", name=f"街道{s}", path=s_path, depth=3, numchild=49))
            for g in range(1, 50):
                rows.append(
                    UnionBranch(code=f"D{d}S{s}G{g}", name=f"基层{g}", path=f"{s_path}{g:04d}", depth=4, numchild=0)
                )
    UnionBranch.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE branches_unionbranch")
    return UnionBranch.objects.get(code="D3S7")


def test_subtree_queries_stay_one_index_scan_at_five_thousand_branches(
    five_thousand_branches, django_assert_num_queries
):
    street = five_thousand_branches
    assert UnionBranch.objects.count() == 5011
    with django_assert_num_queries(1):
        assert len(selectors.subtree(street)) == 50
    plan = selectors.subtree(street).explain()
    assert "branch_path_prefix_idx" in plan, plan
    assert "Seq Scan" not in plan, plan
    district = UnionBranch.objects.get(code="D3")
    plan = selectors.subtree(district).explain()
    assert "Index" in plan and "Seq Scan" not in plan, plan
