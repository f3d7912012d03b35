"""Authentication: e-mail or mainland mobile number and password, behind the login throttle.

Every way in — the storefront login page, the admin login and the API's tokenCreate — calls
django.contrib.auth.authenticate(), so the throttle lives here and they all share it. When a
sign-in is refused for a reason the person should see (wait N seconds, account inactive, not
confirmed), the reason is left on the request as `login_refusal` for the caller to show;
`authenticate()` itself only returns None.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts import throttling
from accounts.phone_numbers import normalize_mainland_mobile
from accounts.throttling import LoginRefusal


def mainland_mobile_e164(text: str) -> str | None:
    """`text` as an E.164 mainland mobile number (+8613800138000), or None when it is not one."""
    try:
        return normalize_mainland_mobile(text)
    except ValidationError:
        return None


def find_user(username: str):
    """The user whose e-mail (any case) or mobile number `username` is, or None."""
    users = get_user_model()._default_manager
    if "@" in username:
        return users.select_related("member_profile__branch").filter(email__iexact=username.strip()).first()
    phone = mainland_mobile_e164(username)
    return users.select_related("member_profile__branch").filter(phone=phone).first() if phone else None


def refuse(request, refusal: LoginRefusal) -> None:
    if request is not None:
        request.login_refusal = refusal


def login_refusal(request) -> LoginRefusal | None:
    """Why the last authenticate() on this request refused to sign in, if it said why."""
    return getattr(request, "login_refusal", None)


class RateLimitedModelBackend(ModelBackend):
    """Django's model backend for e-mail or mobile number, throttled per address and account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        # Without a request (the test client's login(), scripts) every attempt shares one bucket:
        # still throttled, should a view ever forget to pass its request.
        address = throttling.client_address(request) if request is not None else "no-request"
        if address is None:
            refuse(request, throttling.unknown_address_refusal())
            return None
        user = find_user(str(username))
        attempt = throttling.LoginAttempt(address, user.pk if user else str(username).strip().lower())
        refusal = attempt.refusal() or attempt.acquire()
        if refusal:
            refuse(request, refusal)
            return None
        try:
            return self._check(request, user, password, attempt)
        finally:
            attempt.release()

    def _check(self, request, user, password, attempt):
        if user is None:
            # Hash anyway, so that an unknown name takes as long as a wrong password.
            get_user_model()().set_password(password)
            attempt.failed()
            return None
        if not user.check_password(password):
            attempt.failed()
            return None
        attempt.succeeded()
        if not user.is_confirmed and confirmation_required():
            refuse(request, LoginRefusal("ACCOUNT_NOT_CONFIRMED", "账号尚未确认，请先点击确认邮件中的链接。"))
            return None
        if not self.user_can_authenticate(user):
            refuse(request, LoginRefusal("INACTIVE", "账号已停用。"))
            return None
        return user

    def get_all_permissions(self, user_obj, obj=None):
        """Django's answer in one query instead of two (the user's own permissions and their groups'),
        cached on the user object as Django caches it."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = held_permission_names(user_obj)
        return user_obj._perm_cache

    def get_user(self, user_id):
        """The session's user with their member profile and its union, which priced pages and
        `me { member }` read (one query, not three)."""
        user = get_user_model()._default_manager.select_related("member_profile__branch").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def confirmation_required() -> bool:
    """Saleor's enableAccountConfirmationByEmail without allowLoginWithoutConfirmation."""
    return getattr(settings, "ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", False) and not getattr(
        settings, "ALLOW_LOGIN_WITHOUT_CONFIRMATION", False
    )


def held_permission_names(user) -> set[str]:
    """ "app_label.codename" of every permission `user` holds, directly or through a group; all for a superuser."""
    permissions = Permission.objects.all()
    if not user.is_superuser:
        own = get_user_model().user_permissions.through.objects.filter(user_id=user.pk).values("permission_id")
        user_groups = get_user_model().groups.through.objects.filter(user_id=user.pk).values("group_id")
        of_groups = Group.permissions.through.objects.filter(group_id__in=user_groups).values("permission_id")
        permissions = permissions.filter(Q(pk__in=own) | Q(pk__in=of_groups))
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    }
