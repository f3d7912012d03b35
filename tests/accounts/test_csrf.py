"""Mutations authenticated by the session cookie need the CSRF token; Bearer clients do not."""

from django.test import Client

from accounts import tokens
from tests.accounts.conftest import HeaderGraphQLClient

DEACTIVATE_ALL = "mutation { tokensDeactivateAll { errors { code } } }"


def signed_in_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_session_mutation_without_the_csrf_token_is_refused_and_changes_nothing(member):
    key = member.jwt_token_key
    api = HeaderGraphQLClient(signed_in_client(member))

    body = api.post(DEACTIVATE_ALL).json()

    assert body["data"] == {"tokensDeactivateAll": None}
    assert body["errors"][0]["extensions"]["exception"]["code"] == "CsrfViewError"
    member.refresh_from_db()
    assert member.jwt_token_key == key


def test_a_session_mutation_with_the_csrf_token_goes_through(member):
    key = member.jwt_token_key
    client = signed_in_client(member)
    client.get("/")  # a page sets the CSRF cookie, as for a browser
    api = HeaderGraphQLClient(client)

    data = api.data(DEACTIVATE_ALL, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)

    assert data == {"tokensDeactivateAll": {"errors": []}}
    member.refresh_from_db()
    assert member.jwt_token_key != key


def test_a_bearer_mutation_needs_no_csrf_token(member):
    key = member.jwt_token_key
    api = HeaderGraphQLClient(Client(enforce_csrf_checks=True)).with_token(tokens.create_access_token(member))

    assert api.data(DEACTIVATE_ALL) == {"tokensDeactivateAll": {"errors": []}}
    member.refresh_from_db()
    assert member.jwt_token_key != key


def test_an_anonymous_mutation_needs_no_csrf_token(member):
    api = HeaderGraphQLClient(Client(enforce_csrf_checks=True))

    result = api.data(
        'mutation { tokenCreate(email: "member@example.com", password: "union-mall-demo") { token errors { code } } }'
    )

    assert result["tokenCreate"]["errors"] == []
