"""Who is asking the API: `Authorization: Bearer <JWT>` makes the token's user the request's user.

Runs after AuthenticationMiddleware and only on the GraphQL endpoint (pages keep the session
cookie). A request that carries a token is marked `authenticated_by_token`, so mutations do not ask
it for the CSRF token: a cross-site form cannot set the header. A token that cannot be used is
answered at once with Saleor's error ("Signature has expired", "Invalid token"), never served as
anonymous, so that a client learns to refresh it instead of silently losing member prices.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.urls import reverse

from accounts import tokens

BEARER = "bearer"
REFRESH_TOKEN_COOKIE = "refreshToken"


def bearer_token(request) -> str | None:
    """The token in `Authorization: Bearer <token>` (Saleor also accepts the `JWT` prefix)."""
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    if scheme.lower() in (BEARER, "jwt") and token.strip():
        return token.strip()
    return None


def token_error_response(error: tokens.TokenError) -> JsonResponse:
    extensions = {"exception": {"code": error.exception_code}}
    body = {"data": None, "errors": [{"message": error.message, "extensions": extensions}]}
    return JsonResponse(body, status=200)


class TokenAuthenticationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.api_path = None

    def __call__(self, request):
        # Apps (integrations with their own tokens) arrive with a later issue; until then no request has one.
        request.app = None
        if self.api_path is None:
            self.api_path = reverse("graphql")
        if request.path == self.api_path:
            token = bearer_token(request)
            if token is not None:
                try:
                    user = tokens.user_from_payload(tokens.decode(token), token_type=tokens.ACCESS)
                except tokens.TokenError as error:
                    request.user = AnonymousUser()
                    return token_error_response(error)
                request.user = request._cached_user = user
                request.authenticated_by_token = True
        response = self.get_response(request)
        refresh_token = getattr(request, "refresh_token", None)
        if refresh_token:
            set_refresh_token_cookie(response, refresh_token)
        return response


def set_refresh_token_cookie(response, refresh_token: str) -> None:
    """The refresh token also as an httpOnly cookie, as Saleor sets it: script on the page cannot
    read it, and tokenRefresh takes it only together with the csrfToken the page kept."""
    response.set_cookie(
        REFRESH_TOKEN_COOKIE,
        refresh_token,
        max_age=int(settings.JWT_REFRESH_TTL.total_seconds()),
        path=reverse("graphql"),
        httponly=True,
        secure=settings.JWT_REFRESH_TOKEN_COOKIE_SECURE,
        samesite=settings.JWT_REFRESH_TOKEN_COOKIE_SAMESITE,
    )
