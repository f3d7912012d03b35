"""Who may read a branch's relief figures: branch staff of the branch or an ancestor, and operators.

The tree's scope rule is the branches app's (branches.selectors.can_see_branch); relief operators
(MANAGE_RELIEF) read every branch's figures too, as they run the programme.
"""

from branches.models import UnionBranch
from branches.selectors import can_see_branch as in_branch_scope
from mall.errors import AuthenticationRequired, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions


def can_see_branch(user, branch: UnionBranch) -> bool:
    """Operators with a report permission see every branch; staff see the branches they hold a role in and
    everything below them, never a sibling or a parent."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return has_permissions(user, [PermissionEnum.MANAGE_RELIEF]) or in_branch_scope(user, branch)


def require_report_access(user, branch: UnionBranch) -> None:
    """Raise unless `user` may read `branch`'s relief reports. Every report entry point calls this first."""
    if user is None or not user.is_authenticated:
        raise AuthenticationRequired()
    if not can_see_branch(user, branch):
        raise PermissionDenied(message="您无权查看该工会组织的消费帮扶数据。")
