import pytest

from tests.graphql.conftest import GraphQLClient
from tests.search.api import catalogue as catalogue_module


@pytest.fixture
def catalogue(db):
    return catalogue_module.build()


@pytest.fixture
def api(client, db):
    return GraphQLClient(client)
