"""Login throttling: failed password checks slow down the address they come from, never the account.

Failures are counted per client address and per address + account in the shared cache (Redis in
production, so every worker sees the same counters). After a few failures on one account from one
address, the next attempt from that address waits 1, 2, 4 … seconds (capped); an address failing on
many accounts (credential stuffing) is slowed as a whole, with a larger allowance so that an office
behind one NAT address is not. A stranger elsewhere can therefore never lock a member out: every
counter includes the address the attempts come from.
"""

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class LoginRefusal:
    """Why a sign-in was refused before or after the password check, with AccountErrorCode's name."""

    code: str
    message: str
    wait_seconds: int = 0


# --- Client address -------------------------------------------------------------------------


def _parse_address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted_networks():
    return [ipaddress.ip_network(network, strict=False) for network in settings.TRUSTED_PROXIES]


def client_address(request) -> str | None:
    """The client's IP address: REMOTE_ADDR, or, when it is a trusted proxy, the first hop of
    X-Forwarded-For (read from the right) that is not one. None when no valid address is known."""
    if request is None:
        return None
    remote = _parse_address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    trusted = _trusted_networks()
    if not any(remote in network for network in trusted):
        return str(remote)
    hops = [_parse_address(hop) for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop is None:
            # A malformed hop was written by someone we do not trust: stop at the last proxy.
            return str(remote)
        if not any(hop in network for network in trusted):
            return str(hop)
    return str(hops[0]) if hops and hops[0] is not None else str(remote)


# --- Counters -------------------------------------------------------------------------------


def _key(kind: str, *parts) -> str:
    # Hashed so that neither addresses nor account ids sit in the cache in clear.
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"login-throttle:{kind}:{digest}"


def _increment(key: str) -> int:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1
    cache.touch(key, window)  # forget the failures only after a quiet window
    return count


def account_delay(failures: int) -> int:
    """Seconds to wait after the `failures`-th failure on one account from one address."""
    free = settings.LOGIN_THROTTLE_FREE_FAILURES
    if failures <= free:
        return 0
    return min(2 ** (failures - free - 1), settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS)


def address_delay(failures: int) -> int:
    """Seconds to wait after the `failures`-th failure from one address on any accounts: doubling
    every LOGIN_THROTTLE_ADDRESS_STEP failures past the allowance."""
    free = settings.LOGIN_THROTTLE_ADDRESS_FREE_FAILURES
    if failures <= free:
        return 0
    exponent = (failures - free - 1) // settings.LOGIN_THROTTLE_ADDRESS_STEP
    return min(2**exponent, settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS)


def _block(key: str, seconds: int) -> None:
    if seconds > 0:
        cache.set(key, time.time() + seconds, timeout=seconds)


def _remaining(key: str) -> int:
    until = cache.get(key)
    return max(math.ceil(until - time.time()), 0) if until else 0


def delayed_message(seconds: int) -> str:
    return f"登录失败次数过多，请 {seconds} 秒后再试。"


class LoginAttempt:
    """One sign-in attempt from `address` on `account` (a user id, or the typed name when no
    account has it): check it may go ahead, then record how it ended."""

    def __init__(self, address: str, account):
        self.address_key = _key("address", address)
        self.account_key = _key("account", address, account)
        self.address_block_key = _key("address-block", address)
        self.account_block_key = _key("account-block", address, account)
        self.lock_key = _key("lock", address, account)

    def refusal(self) -> LoginRefusal | None:
        wait = max(_remaining(self.address_block_key), _remaining(self.account_block_key))
        if wait:
            return LoginRefusal("LOGIN_ATTEMPT_DELAYED", delayed_message(wait), wait)
        return None

    def acquire(self) -> LoginRefusal | None:
        """One password check at a time per address and account, so that parallel requests cannot
        try many passwords before the first failure is counted."""
        if cache.add(self.lock_key, 1, timeout=settings.LOGIN_THROTTLE_LOCK_SECONDS):
            return None
        return LoginRefusal("LOGIN_ATTEMPT_DELAYED", delayed_message(1), 1)

    def release(self) -> None:
        cache.delete(self.lock_key)

    def failed(self) -> None:
        _block(self.account_block_key, account_delay(_increment(self.account_key)))
        _block(self.address_block_key, address_delay(_increment(self.address_key)))

    def succeeded(self) -> None:
        # The address counter stays: an attacker must not reset it by signing in to an account of
        # their own between guesses.
        cache.delete_many([self.account_key, self.account_block_key])


def unknown_address_refusal() -> LoginRefusal:
    return LoginRefusal("UNKNOWN_IP_ADDRESS", "无法识别请求的来源地址，请稍后再试。")


def rate_limit_refusal(request, bucket: str) -> LoginRefusal | None:
    """A plain per-address limit on the token endpoints (tokenRefresh, tokenVerify): at most
    TOKEN_RATE_LIMIT_PER_MINUTE requests in each calendar minute."""
    address = client_address(request) or "unknown"
    now = time.time()
    key = _key("rate", bucket, address, int(now // 60))
    if cache.add(key, 1, timeout=60):
        return None
    try:
        count = cache.incr(key)
    except ValueError:
        return None
    if count <= settings.TOKEN_RATE_LIMIT_PER_MINUTE:
        return None
    wait = max(math.ceil(60 - now % 60), 1)
    return LoginRefusal("LOGIN_ATTEMPT_DELAYED", f"请求过于频繁，请 {wait} 秒后再试。", wait)
