"""Fuzzing the API over HTTP: queries generated from the live schema (hypothesis-graphql) and hostile
JSON bodies. Whatever is sent, the answer is a well-formed GraphQL response below 500 whose errors
say what is wrong: never "Internal Server Error", never a traceback."""

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from mall.schema import schema
from tests import factories

FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=None,  # a single request may be slow on a busy machine; the run as a whole is bounded
    derandomize=True,  # the same examples on every run, so a failure reproduces
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Input scalars hypothesis-graphql has no strategy of its own for: well-formed values and junk alike.
CUSTOM_SCALARS = {
    "Decimal": st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6),
        st.text(max_size=12),
    ).map(nodes.String),
    "DateTime": st.one_of(st.datetimes().map(lambda moment: moment.isoformat()), st.text(max_size=12)).map(
        nodes.String
    ),
    # Relief certifications and batches take dates (valid from / to, harvest day).
    "Date": st.one_of(st.dates().map(lambda day: day.isoformat()), st.text(max_size=12)).map(nodes.String),
    # A file of the multipart request spec: in a plain JSON body only a string can stand for it.
    "Upload": st.text(max_size=12).map(nodes.String),
}
FORBIDDEN_TEXT = ("Internal Server Error", "Traceback", 'File "', "psycopg", "django.db")


@pytest.fixture
def catalogue(channel, warehouse):
    """A small catalogue: two categories (one inside the other), products with variants, a collection."""
    fruit = factories.category(name="水果", slug="fruit")
    apples = factories.category(name="苹果", slug="apples", parent=fruit)
    products = [
        factories.product(channel=channel, name="红富士", category=apples, warehouse=warehouse, variants=2),
        factories.product(channel=channel, name="香梨", category=fruit, warehouse=warehouse, member_price="8.00"),
        factories.product(channel=channel, name="未上架", category=fruit, warehouse=warehouse, published=False),
    ]
    factories.collection(channel=channel, slug="autumn", products=products[:2])
    return products


def assert_well_formed(response) -> None:
    assert response.status_code < 500, response.content[:500]
    text = response.content.decode()
    for forbidden in FORBIDDEN_TEXT:
        assert forbidden not in text, text[:1000]
    body = json.loads(text)
    assert isinstance(body, dict)
    assert set(body) <= {"data", "errors", "extensions"}, body
    for error in body.get("errors", []):
        assert isinstance(error.get("message"), str) and error["message"], error
        assert set(error) <= {"message", "locations", "path", "extensions"}, error
    if response.status_code == 200:
        assert "data" in body, body
    else:
        assert body.get("errors"), body


def post(client, body):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post("/graphql/", text, content_type="application/json")


def test_generated_valid_queries_never_fail_unhandled(client, catalogue):
    @FUZZ_SETTINGS
    @given(query=from_schema(schema.graphql_schema, codec=None, custom_scalars=CUSTOM_SCALARS))
    def run(query):
        assert_well_formed(post(client, {"query": query}))

    run()


def test_generated_queries_with_one_schema_violation_are_refused_cleanly(client, catalogue):
    @settings(FUZZ_SETTINGS, max_examples=75)
    @given(query=from_schema(schema.graphql_schema, mode=Mode.NEGATIVE, custom_scalars=CUSTOM_SCALARS))
    def run(query):
        assert_well_formed(post(client, {"query": query}))

    run()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
QUERY = """
query Q($first: Int, $after: String, $search: String) {
  products(first: $first, after: $after, search: $search) { edges { cursor node { name } } }
}
"""
CURSORS = st.binary(max_size=40).map(lambda raw: base64.b64encode(raw).decode())


def test_hostile_bodies_and_variables_never_fail_unhandled(client, catalogue):
    bodies = st.one_of(
        JSON_VALUES,
        st.fixed_dictionaries({"query": JSON_VALUES}),
        st.fixed_dictionaries(
            {"query": st.just(QUERY), "variables": JSON_VALUES, "operationName": st.none() | st.text(max_size=5)}
        ),
        st.fixed_dictionaries(
            {
                "query": st.just(QUERY),
                "variables": st.fixed_dictionaries(
                    {
                        "first": st.none() | st.integers() | st.text(max_size=5),
                        "after": st.none() | st.text() | CURSORS,
                        "search": st.none() | st.text(),
                    }
                ),
            }
        ),
        st.text(),
    )

    @settings(FUZZ_SETTINGS, max_examples=100)
    @given(body=bodies)
    def run(body):
        text = body if isinstance(body, str) else json.dumps(body)
        assert_well_formed(post(client, text))

    run()
