"""Links in account e-mails: a client's `redirectUrl` checked against the allowed hosts (as Saleor's
ALLOWED_CLIENT_HOSTS), or the storefront's own page under PUBLIC_URL, with `?email=…&token=…` added."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http.request import validate_host
from django.urls import reverse


def allowed_client_hosts() -> list[str]:
    return [*settings.ALLOWED_CLIENT_HOSTS, urlsplit(settings.PUBLIC_URL).hostname or ""]


def validate_redirect_url(url: str) -> None:
    """ValidationError(code="invalid") unless `url` is an http(s) address on an allowed client host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError as error:
        raise ValidationError("跳转地址无效。", code="invalid") from error
    if parts.scheme not in ("http", "https") or not host:
        raise ValidationError("跳转地址必须是完整的 http(s) 网址。", code="invalid")
    if not validate_host(host, allowed_client_hosts()):
        raise ValidationError(f"不允许跳转到 {host}。", code="invalid")


def with_email_and_token(url: str, *, email: str, token: str) -> str:
    """`url` with `email` and `token` in its query, keeping what the query already holds."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key not in ("email", "token")]
    query += [("email", email), ("token", token)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def storefront_url(view_name: str) -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse(view_name)
