"""Root query fields about union branches: the tree as far as the requestor may see it."""

import graphene
from django.db.models import Q
from graphql import GraphQLError

from branches import selectors
from branches.graphql import dataloaders as loaders
from branches.graphql.types import UnionBranch, UnionBranchCountableConnection, branch_connection, scope_for
from branches.models import UnionBranch as UnionBranchModel
from mall.graphql.ids import from_global_id_or_error
from mall.graphql.pagination import connection_field


def readable_branches(info):
    """What `unionBranches` and `unionBranch` answer from: the requestor's scope (staff, operators), or the
    public directory of grassroots unions for everyone else (anonymous users and members)."""
    scope = scope_for(info)
    return selectors.grassroots_unions() if scope.empty else scope.branches()


def _printable(text: str | None) -> str:
    return "".join(character for character in text or "" if character.isprintable()).strip()


class BranchQueries(graphene.ObjectType):
    union_branches = connection_field(
        UnionBranchCountableConnection,
        description="Union Mall extension: union branches in tree order. Branch staff see the branches they hold "
        "a role in and everything below them; operators (MANAGE_BRANCHES, VIEW_RELIEF_REPORTS) see the whole "
        "tree; anyone else sees the grassroots unions a member may choose when asking for verification.",
        parent=graphene.ID(description="Only the children of this branch."),
        level=graphene.Int(description="Only branches of this level (0 city federation … 3 grassroots union)."),
        search=graphene.String(description="Part of the code or name."),
    )
    union_branch = graphene.Field(
        UnionBranch,
        id=graphene.ID(description="ID of the union branch."),
        code=graphene.String(description="Code of the union branch."),
        description="Union Mall extension: look up a union branch by ID or code; null when it does not exist or "
        "the requestor may not see it.",
    )

    @staticmethod
    def resolve_union_branches(_root, info, parent=None, level=None, search=None, **args):
        queryset = readable_branches(info)
        if parent is not None:
            parent_branch = readable_branches(info).filter(pk=from_global_id_or_error(parent, "UnionBranch")).first()
            queryset = selectors.children_of(parent_branch) & queryset if parent_branch else queryset.none()
        if level is not None:
            queryset = queryset.filter(depth=level + 1)
        search = _printable(search)
        if search:
            queryset = queryset.filter(Q(code__icontains=search) | Q(name__icontains=search))
        return branch_connection(info, queryset, args)

    @staticmethod
    def resolve_union_branch(_root, info, id=None, code=None):
        if (id is None) == (code is None):
            raise GraphQLError("Exactly one of arguments is required: 'id', 'code'.")
        lookup = {"pk": from_global_id_or_error(id, "UnionBranch")} if id is not None else {"code": code}
        branch: UnionBranchModel | None = readable_branches(info).filter(**lookup).first()
        loaders.register_branches(info.context, [branch])
        return branch
