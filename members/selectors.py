"""Reads about members: who is one, and who pays member prices."""

from django.db.models import Q, QuerySet

from branches.models import UnionBranch
from branches.selectors import grassroots_unions
from mall.permissions import PermissionEnum, has_permissions, require_permissions
from members.models import MemberProfile


def member_profile(user) -> MemberProfile | None:
    """The user's member profile, or None (anonymous users and apps have none).

    Cached on the user object by Django's one-to-one descriptor, so a request that loaded the
    user with select_related("member_profile") asks the database nothing here.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.member_profile
    except MemberProfile.DoesNotExist:
        return None


def is_verified_member(user) -> bool:
    """Whether `user` is a real-name verified member: only they see and pay member prices."""
    profile = member_profile(user)
    return bool(profile and profile.is_verified and user.is_active)


def member_profile_with_branch(user) -> MemberProfile | None:
    """The user's member profile with its branch, in one query (the account page and `me { member }`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return MemberProfile.objects.select_related("branch").filter(user=user).first()


def members_for_review(operator, *, statuses=(), search: str = "") -> QuerySet[MemberProfile]:
    """Member profiles an operator reviews (MANAGE_USERS), with branch and user joined.

    `search` matches the member number, the real name or the e-mail address, in part.
    """
    require_permissions(operator, PermissionEnum.MANAGE_USERS)
    queryset = MemberProfile.objects.select_related("branch", "user")
    if statuses:
        queryset = queryset.filter(verification_status__in=list(statuses))
    # Invisible characters match nothing people typed, and PostgreSQL refuses NUL outright.
    search = "".join(character for character in search or "" if character.isprintable()).strip()
    if search:
        queryset = queryset.filter(
            Q(number__icontains=search) | Q(real_name__icontains=search) | Q(user__email__icontains=search)
        )
    return queryset


def union_branches() -> QuerySet[UnionBranch]:
    """The unions a member can choose from (grassroots unions only), in code order."""
    return grassroots_unions()


def member_visible_to(requestor, user) -> MemberProfile | None:
    """`user`'s member profile (branch joined) if `requestor` may see it: the user themself, or MANAGE_USERS.

    Real names and masked ID numbers are personal data; nobody else reads them through a User.
    A user object that came with its profile (the request's user, a member's user read through the
    profile) answers without a query.
    """
    if requestor is None or not getattr(requestor, "is_authenticated", False):
        return None
    if requestor.pk != user.pk and not has_permissions(requestor, [PermissionEnum.MANAGE_USERS]):
        return None
    if MemberProfile.user.field.remote_field.is_cached(user):
        return member_profile(user)
    return member_profile_with_branch(user)


def verified_members_of(branch: UnionBranch):
    """The active, real-name verified members whose grassroots union is `branch` (users, profile joined)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            member_profile__branch=branch,
            member_profile__verification_status=MemberProfile.VerificationStatus.VERIFIED,
        )
        .select_related("member_profile")
        .order_by("pk")
    )
