"""The throttle's counters live in the shared cache: failures counted by one worker process hold
back the next attempt served by another. Runs against the Redis at 127.0.0.1:6379 (docker-compose's)."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from tests.accounts.conftest import PASSWORD, api_from

REDIS_URL = "redis://127.0.0.1:6379/15"
ADDRESS = "198.51.100.77"
BASE_DIR = Path(__file__).resolve().parents[2]

# A second worker, in a process of its own: eight failures on the account from ADDRESS (the last wait is 16 s).
WORKER = """
import sys
import django
django.setup()
from django.test.utils import override_settings
from accounts import throttling
caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": sys.argv[1],
                      "KEY_PREFIX": sys.argv[2]}}
with override_settings(CACHES=caches, LOGIN_THROTTLE_FREE_FAILURES=3):
    for _ in range(8):
        throttling.LoginAttempt(sys.argv[3], int(sys.argv[4])).failed()
"""


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not redis_available():
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.LOGIN_THROTTLE_FREE_FAILURES = 3
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_failures_counted_by_another_worker_process_delay_the_next_attempt(member, redis_cache):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "mall.settings"}
    subprocess.run(
        [sys.executable, "-c", WORKER, REDIS_URL, redis_cache, ADDRESS, str(member.pk)],
        check=True,
        cwd=BASE_DIR,
        env=environment,
        timeout=60,
    )
    assert redis.Redis.from_url(REDIS_URL).keys(f"{redis_cache}:*"), "the worker wrote no counters to Redis"

    result = api_from(ADDRESS).data(
        "mutation($email: String!, $password: String!) { tokenCreate(email: $email, password: $password) "
        "{ token errors { code message } } }",
        {"email": "member@example.com", "password": PASSWORD},
    )["tokenCreate"]

    assert result["token"] is None
    assert [error["code"] for error in result["errors"]] == ["LOGIN_ATTEMPT_DELAYED"]
    wait = int(re.search(r"请 (\d+) 秒后再试", result["errors"][0]["message"]).group(1))
    assert 1 <= wait <= 16
    # Another address is not held back.
    assert (
        api_from("198.51.100.78").data(
            'mutation { tokenCreate(email: "member@example.com", password: "union-mall-demo") { errors { code } } }'
        )["tokenCreate"]["errors"]
        == []
    )
