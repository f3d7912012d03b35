"""Authentication: Django's model backend behind the login rate limit."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import login_limits


class RateLimitedModelBackend(ModelBackend):
    """Checks no password while the e-mail or address is locked, and counts every failure.

    Enforced here rather than in a form, so every way in (admin, pages, API tokens) is limited.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if login_limits.is_locked(request, username):
            raise PermissionDenied(login_limits.lockout_message())
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_limits.record_failure(request, username)
        return user
