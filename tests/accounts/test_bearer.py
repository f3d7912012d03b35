"""`Authorization: Bearer <token>` on the API: who is asking, and clear errors for bad tokens."""

from datetime import timedelta

from django.test import Client

from accounts import tokens
from members.models import MemberProfile
from tests.accounts.conftest import HeaderGraphQLClient

ME = "{ me { email firstName lastName isStaff } }"


def test_me_is_null_for_an_anonymous_request(api):
    assert api.data(ME) == {"me": None}


def test_me_with_a_bearer_token_is_the_tokens_user(api, member):
    token = tokens.create_access_token(member)

    assert api.with_token(token).data(ME) == {
        "me": {"email": "member@example.com", "firstName": "小明", "lastName": "王", "isStaff": False}
    }


def test_the_jwt_prefix_is_accepted_as_saleor_accepts_it(api, member):
    token = tokens.create_access_token(member)

    assert api.data(ME, HTTP_AUTHORIZATION=f"JWT {token}")["me"]["email"] == "member@example.com"


def test_me_with_a_bearer_token_runs_one_query_with_the_member_profile_joined(api, member, django_assert_num_queries):
    MemberProfile.objects.create(user=member, number="M0001")
    client = api.with_token(tokens.create_access_token(member))

    with django_assert_num_queries(1) as captured:
        client.data(ME)

    assert 'JOIN "members_memberprofile"' in captured.captured_queries[0]["sql"]


def test_an_expired_bearer_token_gives_saleors_error_and_no_data(api, member, settings):
    settings.JWT_ACCESS_TTL = timedelta(seconds=-1)
    expired = tokens.create_access_token(member)

    response = api.with_token(expired).post(ME)

    assert response.status_code == 200
    assert response.json() == {
        "data": None,
        "errors": [
            {"message": "Signature has expired", "extensions": {"exception": {"code": "ExpiredSignatureError"}}}
        ],
    }


def test_a_malformed_bearer_token_gives_a_decode_error(api, member):
    response = api.with_token("garbage").post(ME)

    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == "DecodeError"


def test_a_refresh_token_is_not_accepted_as_a_bearer_token(api, member):
    refresh = tokens.create_refresh_token(member, csrf_token="c")

    response = api.with_token(refresh).post(ME)

    assert response.json()["errors"][0] == {
        "message": "Invalid token",
        "extensions": {"exception": {"code": "InvalidTokenError"}},
    }


def test_a_deactivated_token_is_refused(api, member):
    token = tokens.create_access_token(member)
    tokens.deactivate_all_tokens(user=member)

    response = api.with_token(token).post(ME)

    assert response.json()["errors"][0]["message"] == tokens.REVOKED_MESSAGE
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"


def test_an_inactive_users_token_does_not_authenticate(api, member):
    token = tokens.create_access_token(member)
    member.is_active = False
    member.save()

    response = api.with_token(token).post(ME)

    assert response.json()["data"] is None
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"


def test_a_bad_token_never_falls_back_on_the_session(member):
    client = Client()
    client.force_login(member)
    api = HeaderGraphQLClient(client)

    assert api.data(ME)["me"]["email"] == "member@example.com"
    assert api.with_token("garbage").post(ME).json()["data"] is None


def test_the_session_cookie_still_signs_in_to_the_api(member):
    client = Client()
    client.force_login(member)

    assert HeaderGraphQLClient(client).data(ME)["me"]["email"] == "member@example.com"


def test_pages_ignore_the_authorization_header(client, member, db):
    response = client.get("/", HTTP_AUTHORIZATION="Bearer garbage")

    assert response.status_code == 200


def test_the_requestor_of_a_bearer_request_is_its_user_and_no_app(rf, member):
    from accounts.middleware import TokenAuthenticationMiddleware
    from accounts.requestor import requestor

    request = rf.post("/graphql/", HTTP_AUTHORIZATION=f"Bearer {tokens.create_access_token(member)}")
    seen = {}

    def view(request):
        seen["requestor"], seen["app"] = requestor(request), request.app
        seen["by_token"] = request.authenticated_by_token
        return None

    TokenAuthenticationMiddleware(view)(request)

    assert seen == {"requestor": member, "app": None, "by_token": True}


def test_a_signed_token_naming_no_user_is_invalid(api, member, settings):
    import jwt

    payload = jwt.decode(tokens.create_access_token(member), options={"verify_signature": False})
    for user_id in ("garbage", 12, None, "VXNlcjo5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"):
        forged = jwt.encode({**payload, "user_id": user_id}, settings.JWT_SECRET, algorithm="HS256")
        body = api.with_token(forged).post(ME).json()
        assert body["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError", user_id


def test_an_unsigned_token_is_refused(api, member):
    import jwt

    payload = jwt.decode(tokens.create_access_token(member), options={"verify_signature": False})
    unsigned = jwt.encode(payload, None, algorithm="none")

    body = api.with_token(unsigned).post(ME).json()

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] in ("DecodeError", "InvalidTokenError")
