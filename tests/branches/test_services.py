"""The tree's services: building it, its level rules, moving subtrees, roles."""

import pytest
from django.core.exceptions import ValidationError

from branches import selectors, services
from branches.models import BranchRole, UnionBranch
from mall.errors import DomainError, PermissionDenied
from tests.branches.conftest import make_user


def codes(queryset) -> list[str]:
    return [branch.code for branch in queryset]


def test_a_child_is_one_level_below_its_parent(tree):
    assert [tree.city.level, tree.ns.level, tree.yh.level, tree.yh1.level] == [0, 1, 2, 3]
    assert UnionBranch.objects.get_parent(tree.yh1) == tree.yh
    assert codes(UnionBranch.objects.get_children(tree.ns)) == ["SZ-NS-SK", "SZ-NS-YH"]  # siblings in code order


def test_a_grassroots_union_takes_no_children_so_there_is_never_a_fifth_level(tree):
    with pytest.raises(DomainError) as refused:
        services.create_union_branch(code="GH-YH-001-A", name="第五级", parent=tree.yh1)
    assert (refused.value.code, refused.value.field) == ("TOO_DEEP", "parent")
    assert "最多四级" in refused.value.message
    assert not UnionBranch.objects.filter(code="GH-YH-001-A").exists()
    tree.yh1.refresh_from_db()
    assert tree.yh1.numchild == 0


def test_the_kind_must_fit_the_level(tree):
    with pytest.raises(DomainError) as refused:
        services.create_union_branch(code="GH-X", name="企业", parent=tree.city, kind="enterprise")
    assert (refused.value.code, refused.value.field) == ("INVALID_KIND", "kind")
    assert not UnionBranch.objects.filter(code="GH-X").exists()


def test_codes_are_unique_and_required(tree):
    with pytest.raises(ValidationError) as duplicate:
        services.create_union_branch(code="SZ-NS", name="重复", parent=tree.city)
    assert "code" in duplicate.value.message_dict
    with pytest.raises(DomainError) as blank:
        services.create_union_branch(code="  ", name="无编码", parent=tree.city)
    assert (blank.value.field, blank.value.code) == ("code", "REQUIRED")
    assert UnionBranch.objects.count() == 10


def test_an_actor_without_manage_branches_changes_nothing(tree, django_user_model):
    nobody = make_user(django_user_model, "nobody@example.com")
    with pytest.raises(PermissionDenied):
        services.create_union_branch(code="SZ-LH", name="罗湖区总工会", parent=tree.city, by=nobody)
    with pytest.raises(PermissionDenied):
        services.move_branch(branch=tree.sk, parent=tree.ft, by=nobody)
    with pytest.raises(PermissionDenied):
        services.assign_role(user=nobody, branch=tree.city, role="AUDITOR", by=nobody)
    assert not UnionBranch.objects.filter(code="SZ-LH").exists()
    assert not BranchRole.objects.exists()


def test_moving_a_street_takes_its_whole_subtree_and_keeps_paths_consistent(tree, operator):
    moved = services.move_branch(branch=tree.yh, parent=tree.ft, by=operator)
    assert UnionBranch.objects.get_parent(moved) == tree.ft
    assert codes(selectors.subtree(tree.ft)) == ["SZ-FT", "SZ-FT-JY", "GH-JY-001", "SZ-NS-YH", "GH-YH-001", "GH-YH-002"]
    assert codes(selectors.subtree(tree.ns)) == ["SZ-NS", "SZ-NS-SK", "GH-SK-001"]
    for branch in UnionBranch.objects.all():  # every path still spells its ancestors, counts still right
        parent = UnionBranch.objects.get_parent(branch)
        assert branch.path.startswith(parent.path) if parent else branch.depth == 1
        assert branch.numchild == UnionBranch.objects.get_children(branch).count()
    assert UnionBranch.objects.find_problems() == ([], [], [], [], [])


def test_a_moved_branch_keeps_its_level(tree, operator):
    with pytest.raises(DomainError) as refused:
        services.move_branch(branch=tree.yh1, parent=tree.ns, by=operator)
    assert refused.value.code == "INVALID_PARENT"
    assert "级别不变" in refused.value.message
    with pytest.raises(DomainError) as below_itself:
        services.move_branch(branch=tree.ns, parent=tree.yh, by=operator)
    assert below_itself.value.code == "INVALID_PARENT"
    tree.yh1.refresh_from_db()
    assert UnionBranch.objects.get_parent(tree.yh1) == tree.yh


def test_one_person_holds_roles_in_several_branches(tree, django_user_model, operator):
    person = make_user(django_user_model, "person@example.com")
    services.assign_role(user=person, branch=tree.yh1, role="CLERK", by=operator)
    services.assign_role(user=person, branch=tree.jy, role="AUDITOR", by=operator)
    services.assign_role(user=person, branch=tree.jy, role="AUDITOR", by=operator)  # twice: still one
    roles = [(role.branch.code, role.role) for role in selectors.roles_of(person)]
    assert sorted(roles) == [("GH-YH-001", "CLERK"), ("SZ-FT-JY", "AUDITOR")]
    assert len(roles) == 2
    assert set(codes(selectors.branches_visible_to(person))) == {"GH-YH-001", "SZ-FT-JY", "GH-JY-001"}


def test_an_unknown_role_is_refused(tree, clerk_of_yh):
    with pytest.raises(DomainError) as refused:
        services.assign_role(user=clerk_of_yh, branch=tree.yh, role="KING")
    assert (refused.value.field, refused.value.code) == ("role", "INVALID")


def test_revoking_a_role_takes_the_scope_away(tree, clerk_of_yh, operator):
    role = BranchRole.objects.get(user=clerk_of_yh)
    services.revoke_role(branch_role=role, by=operator)
    assert not BranchRole.objects.exists()
    assert codes(selectors.branches_visible_to(clerk_of_yh)) == []
