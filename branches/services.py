"""Every change to union branches: the tree (create, update, move) and who holds which role in it.

Level rules: a root is a city federation (level 0); a child is one level below its parent; a grassroots
union (level 3) has no children, so there is never a fifth level; a moved branch keeps its level (a
grassroots union moves to another street, a street to another district). A branch's kind, when given,
fits its level.

`by` is the person acting: when given, they must hold MANAGE_BRANCHES. Seeding and data migrations
pass no `by` (trusted callers, nobody to check).
"""

from django.db import transaction

from branches.models import BranchLevel, BranchRole, UnionBranch
from mall.errors import DomainError
from mall.locks import lock_for_transaction
from mall.permissions import PermissionEnum, require_permissions

# Tree writes renumber paths (treebeard picks the next free step under a parent, a move rewrites a
# whole subtree), so two of them at once could pick the same path: one lock serialises them.
TREE_LOCK = "branch-tree"

Kind = UnionBranch.Kind
KINDS_BY_LEVEL = {
    BranchLevel.CITY: {Kind.FEDERATION},
    BranchLevel.DISTRICT: {Kind.FEDERATION, Kind.INDUSTRY},
    BranchLevel.STREET: {Kind.STREET, Kind.INDUSTRY},
    BranchLevel.GRASSROOTS: {Kind.ENTERPRISE, Kind.COMMUNITY},
}


def _check_actor(by) -> None:
    if by is not None:
        require_permissions(by, PermissionEnum.MANAGE_BRANCHES)


def check_kind(kind: str, level: int) -> None:
    """A DomainError unless `kind` (blank allowed) fits a branch of `level`."""
    if not kind:
        return
    if kind not in Kind.values:
        raise DomainError(f"未知的工会类型：{kind}。", field="kind", code="INVALID")
    if kind not in KINDS_BY_LEVEL[BranchLevel(level)]:
        allowed = "、".join(Kind(choice).label for choice in sorted(KINDS_BY_LEVEL[BranchLevel(level)]))
        raise DomainError(
            f"第{level}级（{BranchLevel(level).label}）的工会类型只能是：{allowed}。", field="kind", code="INVALID_KIND"
        )


def check_parent(parent: UnionBranch | None) -> int:
    """The level a new child of `parent` gets, or a DomainError when `parent` can have no children."""
    if parent is None:
        return BranchLevel.CITY
    if parent.level >= BranchLevel.GRASSROOTS:
        raise DomainError(
            f"“{parent.name}”是基层工会（第3级），其下不能再设下级组织：组织树最多四级。",
            field="parent",
            code="TOO_DEEP",
        )
    return parent.level + 1


def _require_code_and_name(branch: UnionBranch) -> None:
    if not branch.code:
        raise DomainError("请填写组织编码。", field="code", code="REQUIRED")
    if not branch.name:
        raise DomainError("请填写组织名称。", field="name", code="REQUIRED")


def _clean_text(value: str) -> str:
    return "".join(character for character in value or "" if character.isprintable()).strip()


@transaction.atomic
def create_union_branch(
    *, code: str, name: str, parent: UnionBranch | None = None, kind: str = "", by=None
) -> UnionBranch:
    """A branch under `parent` (a city federation when None), one level below it, placed among its
    siblings by code."""
    _check_actor(by)
    lock_for_transaction(TREE_LOCK)
    if parent is not None:
        parent.refresh_from_db()  # treebeard needs the parent's current numchild and path
    level = check_parent(parent)
    check_kind(kind, level)
    branch = UnionBranch(code=_clean_text(code), name=_clean_text(name), kind=kind)
    _require_code_and_name(branch)
    branch.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return UnionBranch.objects.add_root(instance=branch)
    return UnionBranch.objects.add_child(parent, instance=branch)


@transaction.atomic
def update_union_branch(
    *, branch: UnionBranch, by, code: str | None = None, name: str | None = None, kind: str | None = None
) -> UnionBranch:
    """Rename or re-code a branch, or change its kind; its place in the tree does not change here."""
    _check_actor(by)
    branch = UnionBranch.objects.select_for_update().get(pk=branch.pk)
    if code is not None:
        branch.code = _clean_text(code)
    if name is not None:
        branch.name = _clean_text(name)
    if kind is not None:
        check_kind(kind, branch.level)
        branch.kind = kind
    _require_code_and_name(branch)
    branch.full_clean(exclude=["path", "depth", "numchild"])
    # A new code does not re-sort siblings (paths keep their order from insertion): harmless, since
    # codes are labels and nothing relies on siblings' paths following their codes.
    branch.save(update_fields=["code", "name", "kind"])
    return branch


def check_move(branch: UnionBranch, parent: UnionBranch | None) -> None:
    """A DomainError unless `branch` may move under `parent`: it keeps its level, never goes below itself."""
    if parent is None:
        if branch.level != BranchLevel.CITY:
            raise DomainError("只有市总工会（第0级）可以没有上级组织。", field="parent", code="INVALID_PARENT")
        return
    if parent.pk == branch.pk or parent.path.startswith(branch.path):
        raise DomainError("不能把组织移到它自己或它的下级组织之下。", field="parent", code="INVALID_PARENT")
    if parent.level != branch.level - 1:
        raise DomainError(
            f"“{branch.name}”是第{branch.level}级组织，移动后级别不变：新的上级必须是第{branch.level - 1}级组织，"
            f"“{parent.name}”是第{parent.level}级。",
            field="parent",
            code="INVALID_PARENT",
        )


@transaction.atomic
def move_branch(*, branch: UnionBranch, parent: UnionBranch | None, by) -> UnionBranch:
    """Move `branch` and its whole subtree under `parent`; every path below is rewritten in SQL.

    The branch keeps its level, so its new parent is one level above it.
    """
    _check_actor(by)
    lock_for_transaction(TREE_LOCK)
    branch = UnionBranch.objects.get(pk=branch.pk)
    if parent is not None:
        parent = UnionBranch.objects.get(pk=parent.pk)
    check_move(branch, parent)
    if parent is None:
        return branch  # a city federation is a root already
    if branch.path.startswith(parent.path) and branch.depth == parent.depth + 1:
        return branch  # already there
    UnionBranch.objects.move(branch, parent, pos="sorted-child")
    branch.refresh_from_db()
    return branch


# --- Roles ----------------------------------------------------------------------------------
@transaction.atomic
def assign_role(*, user, branch: UnionBranch, role: str, by=None) -> BranchRole:
    """Give `user` `role` in `branch` (reaching everything below it); assigning it twice keeps one."""
    _check_actor(by)
    if role not in BranchRole.Role.values:
        raise DomainError(f"未知的工会职务：{role}。", field="role", code="INVALID")
    if user is None or not user.is_active:
        raise DomainError("该用户不存在或已停用，不能担任工会职务。", field="user", code="INVALID")
    existing = BranchRole.objects.filter(user=user, branch=branch, role=role).first()
    if existing is not None:
        return existing
    branch_role = BranchRole(user=user, branch=branch, role=role)
    branch_role.full_clean()
    branch_role.save()
    return branch_role


@transaction.atomic
def revoke_role(*, branch_role: BranchRole, by=None) -> BranchRole:
    """Take a role away; the returned object keeps its id so the caller can say which one went."""
    _check_actor(by)
    removed_id = branch_role.pk
    BranchRole.objects.filter(pk=removed_id).delete()
    branch_role.id = removed_id
    return branch_role
