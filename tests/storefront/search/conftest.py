import pytest

from tests.storefront.search.shelf import make_search_tables, make_shelf


@pytest.fixture
def shelf(channel, warehouse):
    return make_shelf(channel, warehouse)


@pytest.fixture
def search_tables(db):
    make_search_tables()
