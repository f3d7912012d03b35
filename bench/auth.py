"""Signing in over the API: `tokenCreate` requests per second against the bench server.

The password check (Django's PBKDF2 hasher) is most of each request's time, by design. Requests
rotate over several accounts, because the login throttle lets one password check at a time run
per address and account.
"""

import json

from bench import load

PASSWORD = "bench-sign-in-password"
ACCOUNTS = 16
TOKEN_CREATE = """
mutation BenchTokenCreate($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token refreshToken csrfToken user { id email } errors { code } }
}
"""


def account_email(index: int) -> str:
    return f"bench-sign-in-{index % ACCOUNTS}@example.com"


def ensure_accounts() -> None:
    """The accounts the benchmark signs in with, created in the benchmark database when missing."""
    from django.contrib.auth import get_user_model

    users = get_user_model()._default_manager
    for index in range(ACCOUNTS):
        if not users.filter(email=account_email(index)).exists():
            users.create_user(account_email(index), PASSWORD)


def body(index: int) -> bytes:
    return json.dumps(
        {"query": TOKEN_CREATE, "variables": {"email": account_email(index), "password": PASSWORD}}
    ).encode()


def token_problem(status: int, content: bytes) -> str | None:
    if status != 200:
        return f"HTTP {status}"
    if b'"errors":[]' not in content.replace(b" ", b"") or b'"token":"' not in content.replace(b" ", b""):
        return "no token: " + content[:200].decode(errors="replace")
    return None


def token_create_endpoint(count_queries) -> dict:
    """The tokenCreate entry of bench's endpoint list (see bench.__main__.endpoints)."""
    ensure_accounts()
    return {
        "name": "tokenCreate over GraphQL",
        "key": "graphql_token_create",
        "request": lambda index: load.Request("POST", "/graphql/", body(index), {"Content-Type": "application/json"}),
        "check": token_problem,
        "full_check": token_problem,
        "sql": count_queries("POST", "/graphql/", body=body(0)),
        # Each request checks a password (about a quarter of a second of CPU): fewer requests suffice.
        "requests": 60,
    }
