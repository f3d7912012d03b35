"""Reads about union branches: subtrees, what a person may see, and which roles they hold.

Visibility is a scope: operators (MANAGE_BRANCHES or VIEW_RELIEF_REPORTS) see the whole tree; branch
staff see the subtrees of the branches they hold a role in (one query for their roles, then every
check is a path prefix test in Python); everyone else sees no branch in detail. A subtree is one
`path LIKE 'prefix%'` range scan on the pattern-ops index, at any depth.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from branches.models import BranchLevel, BranchRole, UnionBranch
from mall.permissions import PermissionEnum, has_permissions

OPERATOR_PERMISSIONS = (PermissionEnum.MANAGE_BRANCHES, PermissionEnum.VIEW_RELIEF_REPORTS)
STEP_LENGTH = UnionBranch.steplen


def subtree(branch: UnionBranch) -> QuerySet[UnionBranch]:
    """`branch` and every branch below it, in tree order."""
    return UnionBranch.objects.filter(path__startswith=branch.path)


def children_of(branch: UnionBranch) -> QuerySet[UnionBranch]:
    return UnionBranch.objects.filter(path__startswith=branch.path, depth=branch.depth + 1)


def ancestor_paths(path: str) -> list[str]:
    """The paths of a branch's ancestors, root first: a materialised path spells them out."""
    return [path[:end] for end in range(STEP_LENGTH, len(path), STEP_LENGTH)]


def grassroots_unions() -> QuerySet[UnionBranch]:
    """The unions a member may belong to (level 3), in code order: the public directory."""
    return UnionBranch.objects.filter(depth=BranchLevel.GRASSROOTS + 1).order_by("code")


def is_grassroots(branch: UnionBranch) -> bool:
    return branch.level == BranchLevel.GRASSROOTS


@dataclass(frozen=True)
class BranchScope:
    """What one person may see of the tree: everything, or the subtrees under `prefixes`."""

    everything: bool
    prefixes: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.everything and not self.prefixes

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(prefix) for prefix in self.prefixes)

    def covers(self, branch: UnionBranch) -> bool:
        return self.covers_path(branch.path)

    def branches(self) -> QuerySet[UnionBranch]:
        if self.everything:
            return UnionBranch.objects.all()
        if not self.prefixes:
            return UnionBranch.objects.none()
        # One prefix range per role branch; PostgreSQL ORs the index scans (BitmapOr).
        return UnionBranch.objects.filter(reduce(or_, (Q(path__startswith=prefix) for prefix in self.prefixes)))


def _outermost(paths) -> tuple[str, ...]:
    """Drop paths already inside another one (a clerk of a street who is also viewer of one of its unions)."""
    kept = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def is_operator(user) -> bool:
    return has_permissions(user, OPERATOR_PERMISSIONS)


def branch_scope(user) -> BranchScope:
    """The part of the tree `user` may see in detail (one query for a staff member's roles, none otherwise)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return BranchScope(everything=False, prefixes=())
    if is_operator(user):
        return BranchScope(everything=True, prefixes=())
    paths = BranchRole.objects.filter(user=user).values_list("branch__path", flat=True)
    return BranchScope(everything=False, prefixes=_outermost(paths))


def branches_visible_to(user) -> QuerySet[UnionBranch]:
    """Operators: every branch; staff: the subtrees of the branches they hold roles in; others: none."""
    return branch_scope(user).branches()


def can_see_branch(user, branch: UnionBranch) -> bool:
    return branch_scope(user).covers(branch)


def roles_of(user) -> list[BranchRole]:
    """Every role `user` holds, with its branch, in tree order."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(BranchRole.objects.filter(user=user).select_related("branch").order_by("branch__path", "role"))


def subtree_height(branch: UnionBranch) -> int:
    """How many levels lie below `branch` (0 for a leaf)."""
    deepest = subtree(branch).order_by("-depth").values_list("depth", flat=True).first()
    return (deepest or branch.depth) - branch.depth


def verified_member_counts(branches) -> dict[int, int]:
    """Real-name verified members in each branch's subtree, by branch id: one query for all of them.

    Members are counted per branch in SQL, then each asked-for branch adds up the rows under its
    path — rows are per branch holding members, never per member.
    """
    from members.models import MemberProfile

    branches = list(branches)
    if not branches:
        return {}
    per_branch = (
        MemberProfile.objects.filter(
            reduce(or_, (Q(branch__path__startswith=branch.path) for branch in branches)),
            verification_status=MemberProfile.VerificationStatus.VERIFIED,
        )
        .values("branch__path")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = [(row["branch__path"], row["count"]) for row in per_branch]
    return {branch.pk: sum(count for path, count in counts if path.startswith(branch.path)) for branch in branches}
