"""Fixtures for the GraphQL API tests: every request goes over HTTP to /graphql/ as JSON."""

import pytest
from django.test import Client


class GraphQLClient:
    """Posts queries to /graphql/ with the Django test client."""

    def __init__(self, client):
        self.client = client

    def post(self, query: str, variables: dict | None = None):
        response = self.client.post(
            "/graphql/", {"query": query, "variables": variables or {}}, content_type="application/json"
        )
        return response.status_code, response.json()

    def data(self, query: str, variables: dict | None = None) -> dict:
        """The `data` of a request that must succeed without errors."""
        status, body = self.post(query, variables)
        assert status == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    def error(self, query: str, variables: dict | None = None, *, status: int = 200) -> str:
        """The message of the single error a request must give, with the expected HTTP status."""
        response_status, body = self.post(query, variables)
        assert response_status == status, body
        assert len(body["errors"]) == 1, body
        return body["errors"][0]["message"]


@pytest.fixture
def api(client, db):
    return GraphQLClient(client)


@pytest.fixture
def staff_api(staff_user):
    """An operator's session, separate from the anonymous `api` so that a test can compare both."""
    client = Client()
    client.force_login(staff_user)
    return GraphQLClient(client)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
