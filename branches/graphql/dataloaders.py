"""Per-request loaders for the branch tree: parents, ancestors, first children and member counts of every
branch read together, one query each (mall.graphql.dataloaders explains the sibling groups)."""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber, Substr

from branches import selectors
from branches.models import BranchRole, UnionBranch
from mall.graphql.dataloaders import DataLoader, note_siblings

STEP = UnionBranch.steplen


def register_branches(context, branches) -> list:
    """Branches handed out together: their parents, children, ancestors and counts load for all at once."""
    branches = [branch for branch in branches if branch is not None]
    note_siblings(context, "branch", [branch.pk for branch in branches])
    by_id = UnionBranchByIdLoader(context)
    for branch in branches:
        by_id.prime(branch.pk, branch)
    return branches


def _by_paths(context, paths) -> dict[str, UnionBranch]:
    found = {branch.path: branch for branch in UnionBranch.objects.filter(path__in=set(paths))}
    register_branches(context, found.values())
    return found


class UnionBranchByIdLoader(DataLoader):
    kind = "branch"

    def batch_load(self, keys):
        found = UnionBranch.objects.in_bulk(keys)
        return [found.get(key) for key in keys]


class ParentByBranchIdLoader(DataLoader):
    kind = "branch"

    def batch_load(self, keys):
        branches = UnionBranchByIdLoader(self.context).load_many(keys)
        parents = _by_paths(self.context, [branch.path[:-STEP] for branch in branches if branch and branch.depth > 1])
        return [parents.get(branch.path[:-STEP]) if branch and branch.depth > 1 else None for branch in branches]


class AncestorsByBranchIdLoader(DataLoader):
    """Key branch id → its ancestors, root first: the paths spell them out, one query for the lot."""

    kind = "branch"

    def batch_load(self, keys):
        branches = UnionBranchByIdLoader(self.context).load_many(keys)
        paths = {path for branch in branches if branch for path in selectors.ancestor_paths(branch.path)}
        found = _by_paths(self.context, paths) if paths else {}
        return [
            [found[path] for path in selectors.ancestor_paths(branch.path) if path in found] if branch else []
            for branch in branches
        ]


class ChildrenByBranchIdLoader(DataLoader):
    """Key (branch id, count) → its first `count` children in tree order: one window query for all parents."""

    kind = "branch"

    def batch_load(self, keys):
        by_count = defaultdict(list)
        for branch_id, count in keys:
            by_count[count].append(branch_id)
        rows = {}
        for count, branch_ids in by_count.items():
            parents = [branch for branch in UnionBranchByIdLoader(self.context).load_many(branch_ids) if branch]
            children_by_path = {parent.path: [] for parent in parents}
            if parents:
                parent_path = Substr("path", 1, (F("depth") - 1) * STEP)
                children = (
                    UnionBranch.objects.filter(
                        reduce(or_, (Q(path__startswith=p.path, depth=p.depth + 1) for p in parents))
                    )
                    .annotate(position=Window(RowNumber(), partition_by=[parent_path], order_by=["path"]))
                    .filter(position__lte=count)
                    .order_by("path")
                )
                children = list(children)
                register_branches(self.context, children)
                for child in children:
                    children_by_path[child.path[:-STEP]].append(child)
            for parent in parents:
                rows[(parent.pk, count)] = children_by_path[parent.path]
        return [rows.get(key, []) for key in keys]


class MembersCountByBranchIdLoader(DataLoader):
    kind = "branch"

    def batch_load(self, keys):
        branches = [branch for branch in UnionBranchByIdLoader(self.context).load_many(keys) if branch]
        counts = selectors.verified_member_counts(branches)
        return [counts.get(key, 0) for key in keys]


class BranchRolesByUserIdLoader(DataLoader):
    kind = "user"

    def batch_load(self, keys):
        roles = BranchRole.objects.filter(user_id__in=keys).select_related("branch").order_by("branch__path", "role")
        by_user = defaultdict(list)
        for role in roles:
            by_user[role.user_id].append(role)
        register_branches(self.context, [role.branch for role in roles])
        return [by_user.get(key, []) for key in keys]
