"""Hostile requests get a 4xx or a GraphQL error that says what is wrong: never a 500, never the text
of a Python or database error."""

import base64
import json

import pytest

from tests import factories

NUL_ERROR = {"errors": [{"message": "Arguments must not contain the NUL character (\\u0000)."}]}
SURROGATE_ERROR = {
    "errors": [
        {
            "message": "The request contains a lone surrogate (a code point from U+D800 to U+DFFF), "
            "which is not valid Unicode text."
        }
    ]
}
NESTED_ERROR = {"errors": [{"message": "The request body is nested too deeply."}]}
NAMES = "{ products(first: 2) { edges { node { name } } } }"


def post_json(client, body, **extra):
    """POSTs `body` (already text, or a value to encode) as application/json."""
    text = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/graphql/", text, content_type="application/json", **extra)


@pytest.fixture
def tea(channel, warehouse):
    return factories.product(channel=channel, name="Tea", slug="tea", warehouse=warehouse)


@pytest.mark.parametrize("query", [123, 1.5, ["{ shop { name } }"], {"query": "{ shop { name } }"}, True])
def test_a_query_that_is_not_a_string_is_refused_with_400(client, db, query):
    response = post_json(client, {"query": query})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "The `query` must be a string holding a GraphQL document."}]}


@pytest.mark.parametrize("query", [None, ""])
def test_a_missing_query_is_refused_with_400(client, db, query):
    response = post_json(client, {"query": query})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Must provide query string."}]}


@pytest.mark.parametrize("variables", [[1, 2], 5, True, "[1, 2]", '"text"'])
def test_variables_that_are_not_an_object_are_refused_with_400(client, db, variables):
    response = post_json(client, {"query": NAMES, "variables": variables})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "The `variables` must be a JSON object (or null)."}]}


def test_variables_that_are_not_json_are_refused_with_400(client, db):
    response = post_json(client, {"query": NAMES, "variables": "{not json"})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Variables are invalid JSON."}]}


def test_variables_nested_nine_hundred_deep_are_refused_with_400(client, db):
    variables = {"q": "x"}
    for _ in range(900):
        variables = {"q": variables}
    body = '{"query": "query ($q: String) { shop { name } }", "variables": ' + json.dumps(variables) + "}"
    response = post_json(client, body)
    assert response.status_code == 400
    assert response.json() == NESTED_ERROR


def test_variables_nested_forty_deep_are_refused_with_400(client, db):
    nested = ["x"]
    for _ in range(40):
        nested = [nested]
    response = post_json(client, {"query": NAMES, "variables": {"q": nested}})
    assert response.status_code == 400
    assert response.json() == NESTED_ERROR


def test_a_body_nested_a_hundred_thousand_deep_is_refused_with_400(client, db):
    response = post_json(client, '{"query": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert response.status_code == 400
    assert response.json() == NESTED_ERROR


def test_a_batch_of_operations_is_refused_with_400(client, db):
    response = post_json(client, [{"query": NAMES}, {"query": NAMES}])
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": "Batched requests (a JSON list) are not supported: send one operation per request."}]
    }


@pytest.mark.parametrize("body", ["123", '"{ shop { name } }"', "null", "true"])
def test_a_body_that_is_not_an_object_is_refused_with_400(client, db, body):
    response = post_json(client, body)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "The received data is not a valid JSON query."}]}


@pytest.mark.parametrize("body", ['{"query": NaN}', '{"query": "{ shop { name } }", "variables": {"a": Infinity}}'])
def test_json_extensions_are_not_json(client, db, body):
    response = post_json(client, body)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "POST body sent invalid JSON."}]}


def test_a_body_that_is_not_utf8_is_refused_with_400(client, db):
    response = post_json(client, b'{"query": "\xff\xfe"}')
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "The request body is not valid UTF-8."}]}


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", "", "image/png"]
)
def test_a_body_of_another_content_type_is_refused_with_415(client, db, content_type):
    response = client.post("/graphql/", json.dumps({"query": NAMES}), content_type=content_type)
    assert response.status_code == 415
    assert response.json() == {
        "errors": [
            {"message": "Unsupported Content-Type: send application/json, application/graphql or multipart/form-data."}
        ]
    }


def test_a_graphql_body_is_accepted(client, tea):
    response = client.post("/graphql/", NAMES, content_type="application/graphql")
    assert response.status_code == 200
    assert response.json()["data"] == {"products": {"edges": [{"node": {"name": "Tea"}}]}}


def test_a_multipart_body_is_accepted(client, tea):
    response = client.post("/graphql/", {"query": NAMES})
    assert response.status_code == 200
    assert response.json()["data"] == {"products": {"edges": [{"node": {"name": "Tea"}}]}}


def test_a_get_with_a_query_runs_it(client, tea):
    response = client.get("/graphql/", {"query": NAMES}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["data"] == {"products": {"edges": [{"node": {"name": "Tea"}}]}}


def test_a_get_with_a_mutation_is_refused_with_405(client, db):
    response = client.get("/graphql/", {"query": "mutation { __typename }"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 405
    assert response.json() == {"errors": [{"message": "Can only perform a mutation operation from a POST request."}]}


def test_an_operation_name_that_is_not_in_the_document_is_refused_with_400(api, tea):
    response = post_json(api.client, {"query": "query A { shop { name } }", "operationName": "B"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"message": "Unknown operation named 'B'."}]


def test_two_operations_without_an_operation_name_are_refused_with_400(client, db):
    response = post_json(client, {"query": "query A { shop { name } } query B { shop { name } }"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"message": "Must provide operation name if query contains multiple operations."}
    ]


@pytest.mark.parametrize("operation_name", [1, ["A"], {"A": 1}, True])
def test_an_operation_name_that_is_not_a_string_is_refused_with_400(client, db, operation_name):
    response = post_json(client, {"query": "query A { shop { name } }", "operationName": operation_name})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "The `operationName` must be a string (or null)."}]}


@pytest.mark.parametrize(
    "query",
    [
        '{ product(slug: "a\\u{0}b") { name } }',
        '{ product(slug: "\\u{000000}") { name } }',
        '{ product(slug: "\\u0000") { name } }',
        '{ product(slug: "tea", channel: "a\\u{0}b") { name } }',
        '{ products(first: 2, channel: "\\u0000") { totalCount } }',
        '{ products(first: 2, filter: {search: "\\u{0}"}) { totalCount } }',
        '{ products(first: 2, after: "a\\u0000") { totalCount } }',
        '{ products(first: 2, search: "a\x00b") { totalCount } }',
    ],
)
def test_a_nul_in_the_document_however_written_is_refused_with_400(client, tea, query):
    response = post_json(client, {"query": query})
    assert response.status_code == 400
    assert response.json() == NUL_ERROR


def test_a_nul_in_a_variable_name_or_the_operation_name_is_refused_with_400(client, db):
    query = "query A($q: String) { products(first: 2, search: $q) { totalCount } }"
    assert post_json(client, {"query": query, "variables": {"q\x00": "x"}}).json() == NUL_ERROR
    assert post_json(client, {"query": query, "operationName": "A\x00"}).json() == NUL_ERROR


@pytest.mark.parametrize(
    "variables",
    [{"q": "\ud800"}, {"q": "a\udfffb"}, {"q": ["x", {"y": "\udc00"}]}, {"\ud800": "x"}],
)
def test_a_lone_surrogate_in_the_variables_is_refused_with_400(client, tea, variables):
    query = "query ($q: String) { products(first: 2, search: $q) { totalCount } }"
    response = post_json(client, {"query": query, "variables": variables})
    assert response.status_code == 400
    assert response.json() == SURROGATE_ERROR


def test_a_lone_surrogate_in_the_document_text_is_refused_with_400(client, tea):
    response = post_json(client, {"query": '{ product(slug: "\ud800") { name } }'})
    assert response.status_code == 400
    assert response.json() == SURROGATE_ERROR


def test_a_lone_surrogate_written_as_a_graphql_escape_is_a_syntax_error(client, tea):
    response = post_json(client, {"query": '{ product(slug: "\\ud800") { name } }'})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Syntax Error: Invalid Unicode escape sequence")


def test_a_surrogate_pair_written_as_graphql_escapes_is_a_character(api, tea):
    assert api.data('{ product(slug: "\\ud83c\\udf75") { name } }') == {"product": None}


# --- Forged cursors -----------------------------------------------------------------------
PAGE = """
query Page($after: String, $sortBy: ProductOrder) {
  products(first: 2, after: $after, sortBy: $sortBy) { edges { node { name } } }
}
"""
BY_PRICE = {"field": "PRICE", "direction": "ASC"}


def cursor(*values) -> str:
    return base64.b64encode(json.dumps(list(values)).encode()).decode()


def raw_cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("after", "sort_by"),
    [
        (cursor("name,slug,pk", "a\x00b", "tea", 1), None),
        (cursor("name,slug,pk", "Tea", "te\x00a", 1), None),
        (raw_cursor('["min_price,name,pk", 1e999999, "Tea", 1]'), BY_PRICE),
        (raw_cursor('["min_price,name,pk", NaN, "Tea", 1]'), BY_PRICE),
        (raw_cursor('["min_price,name,pk", -Infinity, "Tea", 1]'), BY_PRICE),
        (cursor("min_price,name,pk", "1" + "0" * 40, "Tea", 1), BY_PRICE),
        (cursor("min_price,name,pk", 10**40, "Tea", 1), BY_PRICE),
        (cursor("min_price,name,pk", "cheap", "Tea", 1), BY_PRICE),
        (cursor("min_price,name,pk", "Infinity", "Tea", 1), BY_PRICE),
        (cursor("min_price,name,pk", "NaN", "Tea", 1), BY_PRICE),
        (cursor("min_price,name,pk", {"a": 1}, "Tea", 1), BY_PRICE),
        (cursor("min_price,name,pk", "1.00", "Tea", 1.5e300), BY_PRICE),
        (cursor("min_price,name,pk", "1.00", "Tea", "1e5"), BY_PRICE),
        (cursor("min_price,name,pk", "1.00", "T" * 1000, 1), BY_PRICE),
        (cursor("created_at,pk", "2024-13-45T99:00:00", 1), {"field": "CREATED_AT", "direction": "ASC"}),
        (raw_cursor("[" * 5000 + "]" * 5000), None),
        (raw_cursor("[" * 100) * 100, None),
        (raw_cursor('["name,slug,pk", "\\ud800", "tea", 1]'), None),
    ],
)
def test_a_forged_cursor_is_an_invalid_cursor(api, tea, after, sort_by):
    assert api.error(PAGE, {"after": after, "sortBy": sort_by}) == "Received cursor is invalid."


def test_a_valid_cursor_under_the_price_sort_still_pages(api, tea, channel, warehouse):
    factories.product(channel=channel, name="Coffee", warehouse=warehouse)
    factories.product(channel=channel, name="Sugar", warehouse=warehouse)
    query = """
    query Page($after: String) {
      products(first: 2, after: $after, sortBy: {field: PRICE, direction: ASC}) {
        pageInfo { endCursor } edges { node { name } }
      }
    }
    """
    first = api.data(query)["products"]
    second = api.data(query, {"after": first["pageInfo"]["endCursor"]})["products"]
    names = [edge["node"]["name"] for edge in first["edges"] + second["edges"]]
    assert sorted(names) == ["Coffee", "Sugar", "Tea"]


# --- URLs with odd bytes -------------------------------------------------------------------
ODD_PATHS = [
    "/products/%00/",
    "/%ff/",
    "/%00",
    "/static/%00",
    "/static/%ff%fe",
    "/static/../settings.py",
    "/media/%00",
    "/graphql/%00",
    "/categories/%0a%0d/",
    "/products/%c0%af/",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_bytes_in_a_url_give_a_clean_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_bytes_in_a_url_give_a_404_with_debug_on_and_no_collected_static_files(
    client, db, settings, tmp_path, path
):
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path / "missing"
    response = client.get(path)
    assert response.status_code == 404
    assert b"Traceback" not in response.content


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=xyz"]
)
def test_a_malformed_multipart_body_is_refused_with_400(client, db, content_type):
    response = client.post("/graphql/", b"--abc\r\nnot a part", content_type=content_type)
    assert response.status_code == 400
    assert b"Traceback" not in response.content
