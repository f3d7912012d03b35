"""JSON Web Tokens as Saleor issues them: short access tokens, long refresh tokens bound to a CSRF
token, both carrying the user's `jwt_token_key` so that changing the key revokes them all."""

import secrets
from datetime import UTC, datetime

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare
from graphql import GraphQLError

from accounts.models import new_jwt_token_key
from mall.graphql.ids import from_global_id_or_error, to_global_id

ACCESS = "access"
REFRESH = "refresh"
ALGORITHM = "HS256"


class TokenError(Exception):
    """A token that cannot be used. `code` is AccountErrorCode's name; `exception_code` the name
    Saleor puts in a top-level error's `extensions.exception.code`."""

    code = "JWT_INVALID_TOKEN"
    exception_code = "InvalidTokenError"
    message = "Invalid token"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message


class ExpiredToken(TokenError):
    code = "JWT_SIGNATURE_EXPIRED"
    exception_code = "ExpiredSignatureError"
    message = "Signature has expired"


class UndecodableToken(TokenError):
    code = "JWT_DECODE_ERROR"
    exception_code = "DecodeError"
    message = "Error decoding signature"


class InvalidToken(TokenError):
    pass


REVOKED_MESSAGE = "Invalid token. Create new one by using tokenCreate mutation."


def _encode(user, token_type: str, lifetime, extra: dict) -> str:
    now = datetime.now(tz=UTC)
    payload = {
        "iat": now,
        "iss": settings.JWT_ISSUER,
        "exp": now + lifetime,
        "token": user.jwt_token_key,
        "email": user.email,
        "type": token_type,
        "user_id": to_global_id("User", user.pk),
        "is_staff": user.is_staff,
        **extra,
    }
    return jwt.encode(payload, settings.JWT_SECRET, algorithm=ALGORITHM)


def _audience_claim(audience: str | None) -> dict:
    # Saleor prefixes a client-chosen audience so that it never collides with its own.
    return {"aud": f"custom:{audience}"} if audience else {}


def create_access_token(user, *, audience: str | None = None) -> str:
    return _encode(user, ACCESS, settings.JWT_ACCESS_TTL, _audience_claim(audience))


def create_refresh_token(user, *, csrf_token: str, audience: str | None = None) -> str:
    return _encode(user, REFRESH, settings.JWT_REFRESH_TTL, {"csrfToken": csrf_token, **_audience_claim(audience)})


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_token_matches(given: str, expected) -> bool:
    return isinstance(expected, str) and constant_time_compare(given, expected)


def decode(token: str) -> dict:
    """The verified payload of `token`, or a TokenError saying why it cannot be used."""
    try:
        return jwt.decode(
            token,
            settings.JWT_SECRET,
            algorithms=[ALGORITHM],
            issuer=settings.JWT_ISSUER,
            options={"verify_aud": False, "require": ["exp", "iat", "iss"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise ExpiredToken() from error
    except jwt.DecodeError as error:
        raise UndecodableToken() from error
    except jwt.InvalidTokenError as error:
        raise InvalidToken() from error


def user_from_payload(payload: dict, *, token_type: str | None = None):
    """The active user a decoded token names, with the member profile and its union in the same query,
    or InvalidToken when the user is gone, inactive or has revoked the token since."""
    if token_type is not None and payload.get("type") != token_type:
        raise InvalidToken()
    try:
        pk = from_global_id_or_error(str(payload.get("user_id") or ""), "User")
    except GraphQLError as error:
        raise InvalidToken() from error
    user = (
        get_user_model()._default_manager.select_related("member_profile__branch").filter(pk=pk, is_active=True).first()
    )
    if user is None or not constant_time_compare(str(payload.get("token") or ""), user.jwt_token_key):
        raise InvalidToken(REVOKED_MESSAGE)
    return user


def deactivate_all_tokens(*, user) -> None:
    """Revoke every token issued to `user` so far (tokensDeactivateAll; also call on a password change)."""
    user.jwt_token_key = new_jwt_token_key()
    user.save(update_fields=["jwt_token_key", "updated_at"])
