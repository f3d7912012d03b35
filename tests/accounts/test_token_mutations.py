"""tokenCreate, tokenRefresh, tokenVerify and tokensDeactivateAll as Saleor has them."""

from datetime import timedelta

import jwt
from django.conf import settings

from accounts import tokens
from mall.graphql.ids import to_global_id
from tests.accounts.conftest import PASSWORD

TOKEN_CREATE = """
mutation TokenCreate($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) {
    token refreshToken csrfToken
    user { email }
    errors { field message code }
  }
}
"""
TOKEN_REFRESH = """
mutation TokenRefresh($refreshToken: String, $csrfToken: String) {
  tokenRefresh(refreshToken: $refreshToken, csrfToken: $csrfToken) {
    token
    user { email }
    errors { field message code }
  }
}
"""
TOKEN_VERIFY = """
mutation TokenVerify($token: String!) {
  tokenVerify(token: $token) { isValid payload user { email } errors { field message code } }
}
"""
DEACTIVATE_ALL = "mutation { tokensDeactivateAll { errors { field message code } } }"
ME = "{ me { email firstName } }"


def create_token(api, email, password=PASSWORD):
    return api.data(TOKEN_CREATE, {"email": email, "password": password})["tokenCreate"]


def test_token_create_returns_tokens_with_saleors_claims(api, member):
    result = create_token(api, "member@example.com")

    assert result["errors"] == []
    assert result["user"] == {"email": "member@example.com"}
    access = jwt.decode(result["token"], settings.JWT_SECRET, algorithms=["HS256"], issuer=settings.JWT_ISSUER)
    assert {key: access[key] for key in ("token", "email", "type", "user_id", "is_staff")} == {
        "token": member.jwt_token_key,
        "email": "member@example.com",
        "type": "access",
        "user_id": to_global_id("User", member.pk),
        "is_staff": False,
    }
    assert access["exp"] - access["iat"] == 300
    refresh = jwt.decode(result["refreshToken"], settings.JWT_SECRET, algorithms=["HS256"], issuer=settings.JWT_ISSUER)
    assert refresh["type"] == "refresh"
    assert refresh["csrfToken"] == result["csrfToken"]
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 3600


def test_token_create_sets_the_refresh_token_as_an_http_only_cookie(api, member):
    response = api.post(TOKEN_CREATE, {"email": "member@example.com", "password": PASSWORD})

    cookie = response.cookies["refreshToken"]
    assert cookie.value == response.json()["data"]["tokenCreate"]["refreshToken"]
    assert cookie["httponly"] is True
    assert cookie["path"] == "/graphql/"


def test_token_create_with_a_wrong_password_gives_invalid_credentials_and_no_token(api, member):
    result = create_token(api, "member@example.com", "wrong-password")

    assert result["token"] is None
    assert result["errors"] == [
        {"field": "email", "message": "邮箱/手机号或密码不正确。", "code": "INVALID_CREDENTIALS"}
    ]


def test_token_create_for_an_unknown_email_gives_the_same_error_as_a_wrong_password(api, member):
    result = create_token(api, "nobody@example.com")

    assert result["errors"] == [
        {"field": "email", "message": "邮箱/手机号或密码不正确。", "code": "INVALID_CREDENTIALS"}
    ]


def test_token_create_for_an_inactive_user_says_inactive(api, member):
    member.is_active = False
    member.save()

    result = create_token(api, "member@example.com")

    assert result["token"] is None
    assert result["errors"] == [{"field": "email", "message": "账号已停用。", "code": "INACTIVE"}]


def test_token_create_for_an_unconfirmed_account_asks_for_confirmation(api, member, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = True
    member.is_confirmed = False
    member.save()

    result = create_token(api, "member@example.com")

    assert result["token"] is None
    assert [error["code"] for error in result["errors"]] == ["ACCOUNT_NOT_CONFIRMED"]


def test_token_create_accepts_the_email_in_any_case(api, member):
    assert create_token(api, "Member@Example.COM")["user"] == {"email": "member@example.com"}


def test_token_create_accepts_a_mainland_mobile_number_in_the_email_argument(api, member):
    for written in ("13800138000", "+86 138 0013 8000", "+8613800138000", "138-0013-8000"):
        result = create_token(api, written)
        assert result["errors"] == [], written
        assert result["user"] == {"email": "member@example.com"}


def test_token_create_refuses_a_mobile_number_that_is_not_the_members(api, member):
    assert create_token(api, "13900139000")["errors"][0]["code"] == "INVALID_CREDENTIALS"


def test_token_create_records_the_last_login(api, member):
    assert member.last_login is None
    create_token(api, "member@example.com")
    member.refresh_from_db()
    assert member.last_login is not None


def test_token_refresh_with_the_refresh_token_argument_needs_no_csrf_token(api, member):
    refresh_token = create_token(api, "member@example.com")["refreshToken"]

    result = api.data(TOKEN_REFRESH, {"refreshToken": refresh_token})["tokenRefresh"]

    assert result["errors"] == []
    assert result["user"] == {"email": "member@example.com"}
    assert tokens.decode(result["token"])["type"] == "access"


def test_token_refresh_from_the_cookie_works_with_the_matching_csrf_token(api, member):
    csrf_token = create_token(api, "member@example.com")["csrfToken"]  # the client keeps the cookie

    result = api.data(TOKEN_REFRESH, {"csrfToken": csrf_token})["tokenRefresh"]

    assert result["errors"] == []
    assert result["user"] == {"email": "member@example.com"}


def test_token_refresh_from_the_cookie_without_the_csrf_token_is_refused(api, member):
    create_token(api, "member@example.com")

    result = api.data(TOKEN_REFRESH)["tokenRefresh"]

    assert result["token"] is None
    assert result["errors"] == [
        {
            "field": "csrfToken",
            "message": "CSRF token is required when refreshToken is provided by the cookie",
            "code": "REQUIRED",
        }
    ]


def test_token_refresh_from_the_cookie_with_another_csrf_token_is_refused(api, member):
    create_token(api, "member@example.com")

    result = api.data(TOKEN_REFRESH, {"csrfToken": "forged"})["tokenRefresh"]

    assert result["token"] is None
    assert result["errors"] == [
        {"field": "csrfToken", "message": "Invalid csrf token", "code": "JWT_INVALID_CSRF_TOKEN"}
    ]


def test_token_refresh_without_any_refresh_token_says_it_is_missing(api, member):
    result = api.data(TOKEN_REFRESH, {"csrfToken": "x"})["tokenRefresh"]

    assert result["errors"] == [
        {"field": "refreshToken", "message": "Missing refreshToken", "code": "JWT_MISSING_TOKEN"}
    ]


def test_token_refresh_refuses_an_access_token(api, member):
    access = create_token(api, "member@example.com")["token"]

    result = api.data(TOKEN_REFRESH, {"refreshToken": access})["tokenRefresh"]

    assert result["errors"] == [
        {"field": "refreshToken", "message": "Incorrect refreshToken", "code": "JWT_INVALID_TOKEN"}
    ]


def test_token_verify_of_a_fresh_token_is_valid_with_its_payload(api, member):
    access = create_token(api, "member@example.com")["token"]

    result = api.data(TOKEN_VERIFY, {"token": access})["tokenVerify"]

    assert result["isValid"] is True
    assert result["errors"] == []
    assert result["user"] == {"email": "member@example.com"}
    assert result["payload"]["email"] == "member@example.com"
    assert result["payload"]["type"] == "access"


def test_token_verify_of_an_expired_token_says_the_signature_has_expired(api, member, settings):
    settings.JWT_ACCESS_TTL = timedelta(seconds=-1)
    expired = tokens.create_access_token(member)

    result = api.data(TOKEN_VERIFY, {"token": expired})["tokenVerify"]

    assert result["isValid"] is False
    assert result["payload"] is None
    assert result["errors"] == [{"field": "token", "message": "Signature has expired", "code": "JWT_SIGNATURE_EXPIRED"}]


def test_token_verify_of_a_token_signed_with_another_key_is_a_decode_error(api, member):
    forged = jwt.encode(jwt.decode(tokens.create_access_token(member), options={"verify_signature": False}), "x" * 40)

    result = api.data(TOKEN_VERIFY, {"token": forged})["tokenVerify"]

    assert result["isValid"] is False
    assert result["errors"][0]["code"] == "JWT_DECODE_ERROR"


def test_token_verify_of_garbage_is_a_decode_error(api, member):
    result = api.data(TOKEN_VERIFY, {"token": "not-a-token"})["tokenVerify"]

    assert result["errors"] == [{"field": "token", "message": "Error decoding signature", "code": "JWT_DECODE_ERROR"}]


def test_tokens_deactivate_all_invalidates_every_earlier_token(api, member):
    first = create_token(api, "member@example.com")
    second = create_token(api, "member@example.com")

    assert api.with_token(second["token"]).data(DEACTIVATE_ALL)["tokensDeactivateAll"] == {"errors": []}

    for earlier in (first["token"], second["token"], first["refreshToken"]):
        result = api.data(TOKEN_VERIFY, {"token": earlier})["tokenVerify"]
        assert result["isValid"] is False
        assert result["errors"][0]["code"] == "JWT_INVALID_TOKEN"
    refreshed = api.data(TOKEN_REFRESH, {"refreshToken": second["refreshToken"]})["tokenRefresh"]
    assert refreshed["token"] is None
    assert refreshed["errors"][0]["code"] == "JWT_INVALID_TOKEN"
    # A new sign-in works again.
    assert create_token(api, "member@example.com")["errors"] == []


def test_tokens_deactivate_all_needs_a_signed_in_user(api, member):
    response = api.post(DEACTIVATE_ALL)

    body = response.json()
    assert body["data"] == {"tokensDeactivateAll": None}
    assert body["errors"][0]["message"] == "You need to be authenticated to perform this action"
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_the_service_a_password_change_calls_revokes_earlier_tokens(api, member):
    access = create_token(api, "member@example.com")["token"]

    tokens.deactivate_all_tokens(user=member)

    assert api.data(TOKEN_VERIFY, {"token": access})["tokenVerify"]["isValid"] is False


def test_token_refresh_for_a_user_deactivated_since_is_refused(api, member):
    refresh_token = create_token(api, "member@example.com")["refreshToken"]
    member.is_active = False
    member.save()

    result = api.data(TOKEN_REFRESH, {"refreshToken": refresh_token})["tokenRefresh"]

    assert result["token"] is None
    assert [error["code"] for error in result["errors"]] == ["JWT_INVALID_TOKEN"]
