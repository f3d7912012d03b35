"""Saleor's token mutations: tokenCreate, tokenRefresh, tokenVerify, tokensDeactivateAll."""

from datetime import timedelta

import graphene
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from graphene.types.generic import GenericScalar

from accounts import throttling, tokens
from accounts.backends import login_refusal
from accounts.graphql.errors import AccountError
from accounts.graphql.types import User
from accounts.middleware import REFRESH_TOKEN_COOKIE
from mall.errors import DomainError
from mall.graphql.mutations import BaseMutation
from mall.permissions import require_authenticated

INVALID_CREDENTIALS_MESSAGE = "邮箱/手机号或密码不正确。"


def refused(refusal, *, field: str | None) -> DomainError:
    return DomainError(refusal.message, field=field, code=refusal.code)


def token_refused(error: tokens.TokenError, *, field: str) -> DomainError:
    return DomainError(error.message, field=field, code=error.code)


def check_rate_limit(request, bucket: str) -> None:
    refusal = throttling.rate_limit_refusal(request, bucket)
    if refusal:
        raise refused(refusal, field=None)


def note_login(user) -> None:
    """Keeps last_login current without a write on every token (Saleor's threshold)."""
    now = timezone.now()
    if user.last_login is None or user.last_login < now - timedelta(seconds=settings.LAST_LOGIN_UPDATE_SECONDS):
        user.last_login = now
        user.save(update_fields=["last_login"])


class CreateToken(BaseMutation):
    """Create JWT token."""

    token = graphene.String(description="JWT token, required to authenticate.")
    refresh_token = graphene.String(description="JWT refresh token, required to re-generate access token.")
    csrf_token = graphene.String(description="CSRF token required to re-generate access token.")
    user = graphene.Field(User, description="A user instance.")

    class Arguments:
        email = graphene.String(required=True, description="Email of a user (or, here, a mainland mobile number).")
        password = graphene.String(required=True, description="Password of a user.")
        audience = graphene.String(
            description="The audience that will be included to JWT tokens with prefix `custom:`."
        )

    class Meta:
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, info, *, email, password, audience=None):
        request = info.context
        user = authenticate(request, username=email, password=password)
        if user is None:
            refusal = login_refusal(request)
            if refusal is None:
                raise DomainError(INVALID_CREDENTIALS_MESSAGE, field="email", code="INVALID_CREDENTIALS")
            raise refused(refusal, field=None if refusal.code == "UNKNOWN_IP_ADDRESS" else "email")
        csrf_token = tokens.new_csrf_token()
        refresh_token = tokens.create_refresh_token(user, csrf_token=csrf_token, audience=audience)
        # The middleware also sets it as the httpOnly refreshToken cookie.
        request.refresh_token = refresh_token
        request.user = request._cached_user = user
        note_login(user)
        return cls(
            token=tokens.create_access_token(user, audience=audience),
            refresh_token=refresh_token,
            csrf_token=csrf_token,
            user=user,
        )


class RefreshToken(BaseMutation):
    class Meta:
        error_type_class = AccountError
        description = (
            "Refresh JWT token. Mutation tries to take refreshToken from the input. If it fails it will try to take "
            "`refreshToken` from the http-only cookie `refreshToken`. `csrfToken` is required when `refreshToken` is "
            "provided as a cookie."
        )

    token = graphene.String(description="JWT token, required to authenticate.")
    user = graphene.Field(User, description="A user instance.")

    class Arguments:
        refresh_token = graphene.String(description="Refresh token.")
        csrf_token = graphene.String(
            description="CSRF token required to refresh token. This argument is required when `refreshToken` is "
            "provided as a cookie."
        )

    @classmethod
    def perform_mutation(cls, _root, info, *, refresh_token=None, csrf_token=None):
        request = info.context
        check_rate_limit(request, "token-refresh")
        from_cookie = refresh_token is None
        if from_cookie:
            refresh_token = request.COOKIES.get(REFRESH_TOKEN_COOKIE)
        if not refresh_token:
            raise DomainError("Missing refreshToken", field="refresh_token", code="JWT_MISSING_TOKEN")
        try:
            payload = tokens.decode(refresh_token)
            if payload.get("type") != tokens.REFRESH:
                raise tokens.InvalidToken("Incorrect refreshToken")
        except tokens.TokenError as error:
            raise token_refused(error, field="refresh_token") from error
        if from_cookie:
            if not csrf_token:
                raise DomainError(
                    "CSRF token is required when refreshToken is provided by the cookie",
                    field="csrf_token",
                    code="REQUIRED",
                )
            if not tokens.csrf_token_matches(csrf_token, payload.get("csrfToken")):
                raise DomainError("Invalid csrf token", field="csrf_token", code="JWT_INVALID_CSRF_TOKEN")
        try:
            user = tokens.user_from_payload(payload)
        except tokens.TokenError as error:
            raise token_refused(error, field="refresh_token") from error
        audience = payload.get("aud", "").removeprefix("custom:") or None
        note_login(user)
        return cls(token=tokens.create_access_token(user, audience=audience), user=user)


class VerifyToken(BaseMutation):
    """Verify JWT token."""

    user = graphene.Field(User, description="User assigned to token.")
    is_valid = graphene.Boolean(required=True, description="Determine if token is valid or not.")
    payload = GenericScalar(description="JWT payload.")

    class Arguments:
        token = graphene.String(required=True, description="JWT token to validate.")

    class Meta:
        error_type_class = AccountError

    @staticmethod
    def resolve_is_valid(root, _info):
        return bool(root.is_valid)

    @classmethod
    def perform_mutation(cls, _root, info, *, token):
        check_rate_limit(info.context, "token-verify")
        try:
            payload = tokens.decode(token)
            user = tokens.user_from_payload(payload)
        except tokens.TokenError as error:
            raise token_refused(error, field="token") from error
        return cls(user=user, is_valid=True, payload=payload)


class DeactivateAllUserTokens(BaseMutation):
    """Deactivate all JWT tokens of the currently authenticated user. Requires an authenticated user."""

    class Meta:
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, info):
        user = info.context.user
        require_authenticated(user)
        tokens.deactivate_all_tokens(user=user)
        return cls()


class AccountMutations(graphene.ObjectType):
    token_create = CreateToken.Field()
    token_refresh = RefreshToken.Field()
    token_verify = VerifyToken.Field()
    tokens_deactivate_all = DeactivateAllUserTokens.Field()
