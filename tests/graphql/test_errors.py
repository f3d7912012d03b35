"""Bad requests get clear GraphQL errors with graphene-django's status codes, never a 500."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests import factories


def test_an_unknown_enum_value_is_refused_with_400(api, channel):
    status, body = api.post("{ products(first: 1, sortBy: {field: NAME, direction: SIDEWAYS}) { totalCount } }")
    assert status == 400
    assert "SIDEWAYS" in body["errors"][0]["message"]
    assert "data" not in body


def test_an_unknown_field_is_refused_with_400(api, channel):
    status, body = api.post("{ products(first: 1) { edges { node { price } } } }")
    assert status == 400
    assert body["errors"][0]["message"] == ("Cannot query field 'price' on type 'Product'. Did you mean 'pricing'?")


def test_a_request_that_is_not_json_is_refused_with_400(client, db):
    response = client.post("/graphql/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "POST body sent invalid JSON."}]}


def test_a_wrong_argument_type_is_refused_with_400(api, channel):
    status, body = api.post('{ products(first: "ten") { totalCount } }')
    assert status == 400
    assert body["errors"][0]["message"] == 'Int cannot represent non-integer value: "ten"'


@pytest.mark.parametrize(
    "query",
    [
        '{ product(id: "") { name } }',
        '{ product(slug: "%00") { name } }',
        '{ productVariant(id: "UHJvZHVjdFZhcmlhbnQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5") { name } }',
        '{ products(first: 2, after: "") { totalCount } }',
        "{ products(first: 2, filter: {price: {gte: 1e300}}) { totalCount } }",
        "{ categories(first: 2, level: 99999999) { totalCount } }",
    ],
)
def test_odd_input_never_makes_a_server_error(api, channel, query):
    factories.product(channel=channel, name="Tea")
    status, body = api.post(query)
    assert status in (200, 400)
    for error in body.get("errors", []):
        assert error["message"] != "Internal Server Error"


def test_the_browser_gets_graphiql_on_get(client, db):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def graphiql_asset_urls(client) -> list[str]:
    page = client.get("/graphql/", HTTP_ACCEPT="text/html").content.decode()
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)


def test_graphiql_loads_every_script_and_stylesheet_from_our_own_static_files(client, db):
    urls = graphiql_asset_urls(client)
    assert len(urls) == 9  # graphiql css and js, explorer css and js, fetch, react, react-dom, graphql-ws, graphene's
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")) is not None, url


def test_graphiqls_files_are_served(client, db, settings):
    settings.DEBUG = True  # WhiteNoise then serves from the finders, as `make run` does
    for url in graphiql_asset_urls(client):
        response = client.get(url)
        assert response.status_code == 200, url
        assert int(response["Content-Length"]) > 500, url


@pytest.mark.parametrize(
    "query",
    [
        '{ products(first: 2, filter: {search: "a\\u0000b"}) { totalCount } }',
        '{ products(first: 2, search: "a\\u0000b") { totalCount } }',
        '{ product(slug: "a\\u0000b") { name } }',
        '{ category(slug: "a\\u0000b") { name } }',
        '{ productVariant(sku: "a\\u0000b") { name } }',
        '{ channel(slug: "a\\u0000b") { name } }',
    ],
)
def test_a_nul_character_in_an_argument_gets_a_clear_error(api, channel, query):
    status, body = api.post(query)
    assert status == 400
    assert body == {"errors": [{"message": "Arguments must not contain the NUL character (\\u0000)."}]}


def test_a_nul_character_in_a_variable_gets_a_clear_error(api, channel):
    status, body = api.post("query ($q: String) { products(first: 2, search: $q) { totalCount } }", {"q": "a\x00b"})
    assert status == 400
    assert body == {"errors": [{"message": "Arguments must not contain the NUL character (\\u0000)."}]}
