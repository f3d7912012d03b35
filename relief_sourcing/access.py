"""Who may read a branch's relief figures: branch staff of the branch or an ancestor, and operators.

`can_see_branch` has the name and meaning the branches app's selectors give it (issue 13's contract); this
local version answers from BranchRole and path prefixes until the two are reconciled.
"""

from branches.models import BranchRole, UnionBranch
from mall.errors import AuthenticationRequired, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions

# Operators who publish statistics or run relief sourcing read every branch.
REPORT_PERMISSIONS = (
    PermissionEnum.VIEW_RELIEF_REPORTS,
    PermissionEnum.MANAGE_RELIEF,
    PermissionEnum.MANAGE_BRANCHES,
)


def ancestor_paths(branch: UnionBranch) -> list[str]:
    """The paths of `branch` and of every ancestor: its path cut at every step of the materialised path."""
    step = UnionBranch.steplen
    return [branch.path[:end] for end in range(step, len(branch.path) + 1, step)]


def can_see_branch(user, branch: UnionBranch) -> bool:
    """Operators with a report permission see every branch; staff see the branches they hold a role in and
    everything below them (one indexed query), never a sibling or a parent."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if has_permissions(user, REPORT_PERMISSIONS):
        return True
    return BranchRole.objects.filter(user=user, branch__path__in=ancestor_paths(branch)).exists()


def require_report_access(user, branch: UnionBranch) -> None:
    """Raise unless `user` may read `branch`'s relief reports. Every report entry point calls this first."""
    if user is None or not user.is_authenticated:
        raise AuthenticationRequired()
    if not can_see_branch(user, branch):
        raise PermissionDenied(message="您无权查看该工会组织的消费帮扶数据。")
