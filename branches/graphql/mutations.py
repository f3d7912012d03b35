"""Union branch mutations (MANAGE_BRANCHES): build and reshape the tree, give and take staff roles."""

import graphene
from django.contrib.auth import get_user_model

from branches import services
from branches.graphql.types import BranchError, BranchRole, BranchRoleEnum, UnionBranch, UnionBranchKindEnum
from branches.models import BranchRole as BranchRoleModel
from branches.models import UnionBranch as UnionBranchModel
from mall.graphql.mutations import BaseMutation
from mall.permissions import PermissionEnum


def _kind(value) -> str | None:
    if value is None:
        return None
    return value.value if hasattr(value, "value") else value


class BranchMutation(BaseMutation):
    class Meta:
        abstract = True

    @classmethod
    def get_branch(cls, global_id, *, field: str):
        return cls.get_instance(UnionBranchModel.objects.all(), global_id, type_name="UnionBranch", field=field)


class UnionBranchCreateInput(graphene.InputObjectType):
    code = graphene.String(required=True, description="Code of the branch, unique in the tree.")
    name = graphene.String(required=True, description="Name of the branch.")
    parent = graphene.ID(description="ID of the branch one level up; none for a city federation.")
    kind = UnionBranchKindEnum(description="Kind of the branch; it must fit the level.")


class UnionBranchCreate(BranchMutation):
    """Union Mall extension: add a branch one level below its parent (at most four levels)."""

    union_branch = graphene.Field(UnionBranch, description="The branch created.")

    class Arguments:
        input = UnionBranchCreateInput(required=True, description="Fields required to create a union branch.")

    class Meta:
        error_type_class = BranchError
        permissions = (PermissionEnum.MANAGE_BRANCHES,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        parent = cls.get_branch(input["parent"], field="parent") if input.get("parent") else None
        branch = services.create_union_branch(
            code=input["code"],
            name=input["name"],
            parent=parent,
            kind=_kind(input.get("kind")) or "",
            by=info.context.user,
        )
        return cls(union_branch=branch)


class UnionBranchUpdateInput(graphene.InputObjectType):
    code = graphene.String(description="New code of the branch.")
    name = graphene.String(description="New name of the branch.")
    kind = UnionBranchKindEnum(description="New kind of the branch; it must fit the level.")


class UnionBranchUpdate(BranchMutation):
    """Union Mall extension: rename a branch, change its code or kind."""

    union_branch = graphene.Field(UnionBranch, description="The branch updated.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the branch.")
        input = UnionBranchUpdateInput(required=True, description="Fields to change.")

    class Meta:
        error_type_class = BranchError
        permissions = (PermissionEnum.MANAGE_BRANCHES,)

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        branch = services.update_union_branch(
            branch=cls.get_branch(id, field="id"),
            by=info.context.user,
            code=input.get("code"),
            name=input.get("name"),
            kind=_kind(input.get("kind")),
        )
        return cls(union_branch=branch)


class UnionBranchMove(BranchMutation):
    """Union Mall extension: move a branch with everything below it under another parent of the level above."""

    union_branch = graphene.Field(UnionBranch, description="The branch moved.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the branch to move.")
        parent = graphene.ID(description="ID of the new parent; none only for a city federation.")

    class Meta:
        error_type_class = BranchError
        permissions = (PermissionEnum.MANAGE_BRANCHES,)

    @classmethod
    def perform_mutation(cls, _root, info, id, parent=None):
        branch = cls.get_branch(id, field="id")
        new_parent = cls.get_branch(parent, field="parent") if parent else None
        return cls(union_branch=services.move_branch(branch=branch, parent=new_parent, by=info.context.user))


class BranchRoleAssignInput(graphene.InputObjectType):
    user = graphene.ID(required=True, description="ID of the user.")
    branch = graphene.ID(required=True, description="ID of the union branch.")
    role = BranchRoleEnum(required=True, description="The role to give.")


class BranchRoleAssign(BranchMutation):
    """Union Mall extension: give a person a role in a branch (reaching everything below it)."""

    branch_role = graphene.Field(BranchRole, description="The role, new or already held.")

    class Arguments:
        input = BranchRoleAssignInput(required=True, description="Fields required to give a role.")

    class Meta:
        error_type_class = BranchError
        permissions = (PermissionEnum.MANAGE_BRANCHES,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        user = cls.get_instance(get_user_model().objects.all(), input["user"], type_name="User", field="user")
        branch = cls.get_branch(input["branch"], field="branch")
        role = services.assign_role(user=user, branch=branch, role=_kind(input["role"]), by=info.context.user)
        return cls(branch_role=role)


class BranchRoleRevoke(BranchMutation):
    """Union Mall extension: take a role away."""

    branch_role = graphene.Field(BranchRole, description="The role removed.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the branch role.")

    class Meta:
        error_type_class = BranchError
        permissions = (PermissionEnum.MANAGE_BRANCHES,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        branch_role = cls.get_instance(
            BranchRoleModel.objects.select_related("user"), id, type_name="BranchRole", field="id"
        )
        return cls(branch_role=services.revoke_role(branch_role=branch_role, by=info.context.user))


class BranchMutations(graphene.ObjectType):
    union_branch_create = UnionBranchCreate.Field()
    union_branch_update = UnionBranchUpdate.Field()
    union_branch_move = UnionBranchMove.Field()
    branch_role_assign = BranchRoleAssign.Field()
    branch_role_revoke = BranchRoleRevoke.Field()
