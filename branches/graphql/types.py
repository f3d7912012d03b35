"""Branch types of the API: UnionBranch (with children and ancestors as connections, as Saleor's Category),
BranchRole and BranchError.

What a branch shows depends on who asks (branches.selectors.BranchScope, read once per request):
code, name, level and kind are the directory anyone may read of a branch they reach (a member's own
union, the grassroots unions to choose from); parent, children, ancestors and membersCount only
within the requestor's scope, so a clerk never reads a sibling's or a parent's detail.
"""

import graphene
from graphene import relay

from branches import selectors
from branches.graphql import dataloaders as loaders
from branches.models import BranchRole as BranchRoleModel
from branches.models import UnionBranch as UnionBranchModel
from mall.graphql.dataloaders import PreloadedRows, batchable
from mall.graphql.mutations import error_type
from mall.graphql.pagination import CountableConnection, connection_field, paginate
from mall.permissions import PermissionEnum, has_permissions

BRANCH_ORDERING = ["path", "pk"]


def scope_for(info) -> selectors.BranchScope:
    """The requestor's scope, read once per request."""
    cache = info.context.__dict__
    if "_branch_scope" not in cache:
        cache["_branch_scope"] = selectors.branch_scope(info.context.user)
    return cache["_branch_scope"]


class UnionBranchKindEnum(graphene.Enum):
    FEDERATION = UnionBranchModel.Kind.FEDERATION.value
    STREET = UnionBranchModel.Kind.STREET.value
    INDUSTRY = UnionBranchModel.Kind.INDUSTRY.value
    ENTERPRISE = UnionBranchModel.Kind.ENTERPRISE.value
    COMMUNITY = UnionBranchModel.Kind.COMMUNITY.value

    class Meta:
        description = (
            "Kind of a union branch: FEDERATION (总工会, levels 0–1), STREET (街道（乡镇）工会), INDUSTRY "
            "(产业（行业）工会), ENTERPRISE (企业工会), COMMUNITY (社区（联合）工会)."
        )


class BranchRoleEnum(graphene.Enum):
    CLERK = BranchRoleModel.Role.CLERK.value
    APPROVER = BranchRoleModel.Role.APPROVER.value
    AUDITOR = BranchRoleModel.Role.AUDITOR.value
    VIEWER = BranchRoleModel.Role.VIEWER.value

    class Meta:
        description = (
            "A role in a union branch, reaching the branch and everything below it: CLERK (经办人, prepares "
            "purchases), APPROVER (主席, signs off), AUDITOR (经审, reads everything), VIEWER."
        )


class BranchErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    TOO_DEEP = "TOO_DEEP"
    INVALID_PARENT = "INVALID_PARENT"
    INVALID_KIND = "INVALID_KIND"

    class Meta:
        description = "An enumeration."


BranchError = error_type("BranchError", BranchErrorCode, description="Represents errors in union branch mutations.")


class UnionBranch(graphene.ObjectType):
    code = graphene.String(required=True, description="Code of the union branch.")
    name = graphene.String(required=True, description="Name of the union branch.")
    level = graphene.Int(
        required=True,
        description="Level in the tree: 0 city federation, 1 district, 2 street or industry union, 3 grassroots union.",
    )
    kind = graphene.Field(UnionBranchKindEnum, description="Kind of the branch; null when not recorded.")
    parent = graphene.Field(
        lambda: UnionBranch, description="The branch one level up; null for a root or outside the requestor's scope."
    )
    children = connection_field(
        lambda: UnionBranchCountableConnection,
        description="The branches one level below, in tree order; empty outside the requestor's scope.",
    )
    ancestors = connection_field(
        lambda: UnionBranchCountableConnection,
        description="The branches above, root first, as far up as the requestor's scope reaches.",
    )
    members_count = graphene.Int(
        description="Real-name verified members of the branch and every branch below it; null outside the "
        "requestor's scope."
    )

    class Meta:
        interfaces = (relay.Node,)
        description = (
            "Union Mall extension: a trade union branch (工会组织), a node of the federation's four-level tree."
        )

    @staticmethod
    def resolve_kind(root: UnionBranchModel, _info):
        return UnionBranchKindEnum.get(root.kind) if root.kind else None

    @staticmethod
    def resolve_parent(root: UnionBranchModel, info):
        if root.depth == 1 or not scope_for(info).covers_path(root.path[: -UnionBranchModel.steplen]):
            return None
        return loaders.ParentByBranchIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_ancestors(root: UnionBranchModel, info, **args):
        scope = scope_for(info)
        paths = [path for path in selectors.ancestor_paths(root.path) if scope.covers_path(path)]
        if not batchable(args):
            ancestors = UnionBranchModel.objects.filter(path__in=paths)
            return branch_connection(info, ancestors, args)
        rows = PreloadedRows(
            UnionBranchModel,
            rows=lambda: [
                ancestor
                for ancestor in loaders.AncestorsByBranchIdLoader(info.context).load(root.pk)
                if ancestor.path in paths
            ],
            count=lambda: len(paths),
        )
        return paginate(rows, info, args, ordering=BRANCH_ORDERING, connection_type=UnionBranchCountableConnection)

    @staticmethod
    def resolve_children(root: UnionBranchModel, info, **args):
        if not scope_for(info).covers(root):
            return branch_connection(info, UnionBranchModel.objects.none(), args)
        if not batchable(args):
            return branch_connection(info, selectors.children_of(root), args)
        key = (root.pk, args["first"] + 1)
        rows = PreloadedRows(
            UnionBranchModel,
            rows=lambda: loaders.ChildrenByBranchIdLoader(info.context).load(key),
            count=lambda: root.numchild,  # treebeard keeps it with every insert, move and delete
        )
        return paginate(rows, info, args, ordering=BRANCH_ORDERING, connection_type=UnionBranchCountableConnection)

    @staticmethod
    def resolve_members_count(root: UnionBranchModel, info):
        if not scope_for(info).covers(root):
            return None
        return loaders.MembersCountByBranchIdLoader(info.context).load(root.pk)


class UnionBranchCountableConnection(CountableConnection):
    class Meta:
        node = UnionBranch


def branch_connection(info, queryset, args):
    """One page of branches in tree order, registered so that their nested fields load together."""
    connection = paginate(
        queryset, info, args, ordering=BRANCH_ORDERING, connection_type=UnionBranchCountableConnection
    )
    loaders.register_branches(info.context, [edge.node for edge in connection.edges])
    return connection


class BranchRole(graphene.ObjectType):
    role = graphene.Field(BranchRoleEnum, required=True, description="The role held.")
    branch = graphene.Field(UnionBranch, required=True, description="The branch the role is held in.")
    user = graphene.Field(
        "accounts.graphql.types.User", description="Who holds it; visible to them and to MANAGE_BRANCHES."
    )
    created_at = graphene.DateTime(required=True, description="When the role was given.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Union Mall extension: a person's role in a union branch (工会职务)."

    @staticmethod
    def resolve_role(root: BranchRoleModel, _info):
        return BranchRoleEnum.get(root.role)

    @staticmethod
    def resolve_branch(root: BranchRoleModel, info):
        return loaders.UnionBranchByIdLoader(info.context).load(root.branch_id)

    @staticmethod
    def resolve_user(root: BranchRoleModel, info):
        requestor = info.context.user
        if requestor.is_authenticated and (
            requestor.pk == root.user_id or has_permissions(requestor, [PermissionEnum.MANAGE_BRANCHES])
        ):
            return root.user
        return None


def resolve_branch_roles(user, info) -> list:
    """`User.branchRoles`: the user's roles, to themself and to MANAGE_BRANCHES / MANAGE_STAFF; else empty."""
    requestor = info.context.user
    if not requestor.is_authenticated:
        return []
    if requestor.pk != user.pk and not has_permissions(
        requestor, [PermissionEnum.MANAGE_BRANCHES, PermissionEnum.MANAGE_STAFF]
    ):
        return []
    return loaders.BranchRolesByUserIdLoader(info.context).load(user.pk)
