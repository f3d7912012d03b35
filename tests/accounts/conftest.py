"""Fixtures for sign-in tests: people with passwords, and a GraphQL client that can send headers."""

import pytest
from django.test import Client

PASSWORD = "union-mall-demo"


class HeaderGraphQLClient:
    """Posts to /graphql/ like tests/graphql's client, with optional headers (Bearer, CSRF, address)."""

    def __init__(self, client: Client, **headers):
        self.client = client
        self.headers = headers

    def post(self, query: str, variables: dict | None = None, **headers):
        response = self.client.post(
            "/graphql/",
            {"query": query, "variables": variables or {}},
            content_type="application/json",
            **{**self.headers, **headers},
        )
        return response

    def data(self, query: str, variables: dict | None = None, **headers) -> dict:
        response = self.post(query, variables, **headers)
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    def with_token(self, token: str) -> "HeaderGraphQLClient":
        return HeaderGraphQLClient(self.client, **{**self.headers, "HTTP_AUTHORIZATION": f"Bearer {token}"})


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Sign-in tests check hundreds of passwords; Django's default hasher would take minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(
        "member@example.com", PASSWORD, phone="+8613800138000", first_name="小明", last_name="王"
    )


@pytest.fixture
def api(db):
    return HeaderGraphQLClient(Client())


def api_from(address: str) -> HeaderGraphQLClient:
    """A client whose requests come from `address` (REMOTE_ADDR)."""
    return HeaderGraphQLClient(Client(REMOTE_ADDR=address))
