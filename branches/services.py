"""Every change to union branches."""

from django.db import transaction

from branches.models import UnionBranch


@transaction.atomic
def create_union_branch(*, code: str, name: str, parent: UnionBranch | None = None, kind: str = "") -> UnionBranch:
    """A branch under `parent` (a root when None), placed among its siblings by code."""
    branch = UnionBranch(code=code.strip(), name=name.strip(), kind=kind)
    branch.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return UnionBranch.objects.add_root(instance=branch)
    parent.refresh_from_db()  # treebeard needs the parent's current numchild and path
    return parent.add_child(instance=branch)
