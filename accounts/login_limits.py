"""Rate limits on password checks: too many failures for one e-mail or one address lock it for a while."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(request, email: str | None) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    subjects = [f"address:{address}"] + ([f"email:{email.strip().lower()}"] if email else [])
    # Hashed so that no e-mail address is kept in the cache in clear.
    return ["login-failures:" + hashlib.sha256(subject.encode()).hexdigest() for subject in subjects]


def is_locked(request, email: str | None) -> bool:
    return any(cache.get(key, 0) >= settings.LOGIN_FAILURE_LIMIT for key in _keys(request, email))


def record_failure(request, email: str | None) -> None:
    for key in _keys(request, email):
        if cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def lockout_message() -> str:
    minutes = max(settings.LOGIN_FAILURE_WINDOW_SECONDS // 60, 1)
    return f"登录失败次数过多，请 {minutes} 分钟后再试。"
