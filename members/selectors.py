"""Reads about members: who is one, and who pays member prices."""

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
