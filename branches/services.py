"""Every change to union branches (for now: adding one)."""

from branches.models import UnionBranch


def create_union_branch(*, code: str, name: str) -> UnionBranch:
    branch = UnionBranch(code=code.strip(), name=name.strip())
    branch.full_clean()
    branch.save()
    return branch
