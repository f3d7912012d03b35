"""The `categories`, `category`, `collections` and `collection` queries."""

import pytest

from catalog import services
from tests import factories
from tests.graphql.helpers import gid

CATEGORIES = """
query($level: Int, $filter: CategoryFilterInput, $sortBy: CategorySortingInput) {
  categories(first: 20, level: $level, filter: $filter, sortBy: $sortBy) {
    totalCount
    edges { node { name level parent { name } } }
  }
}
"""


@pytest.fixture
def tree(db):
    """Food > Grain > Rice, Food > Oil, and Tea at the top."""
    food = factories.category(name="Food", slug="food", sort_order=1)
    tea = factories.category(name="Tea", slug="tea", sort_order=0)
    grain = factories.category(name="Grain", slug="grain", parent=food, sort_order=0)
    oil = factories.category(name="Oil", slug="oil", parent=food, sort_order=1)
    rice = factories.category(name="Rice", slug="rice", parent=grain)
    return {"food": food, "tea": tea, "grain": grain, "oil": oil, "rice": rice}


def category_names(api, **variables) -> list[str]:
    return [edge["node"]["name"] for edge in api.data(CATEGORIES, variables)["categories"]["edges"]]


def test_categories_come_level_by_level_in_their_set_order(api, tree):
    assert category_names(api) == ["Tea", "Food", "Grain", "Oil", "Rice"]


def test_level_zero_gives_the_top_of_the_tree(api, tree):
    data = api.data(CATEGORIES, {"level": 0})["categories"]
    assert data["totalCount"] == 2
    assert [edge["node"] for edge in data["edges"]] == [
        {"name": "Tea", "level": 0, "parent": None},
        {"name": "Food", "level": 0, "parent": None},
    ]


def test_category_filters_search_ids_and_slugs(api, tree):
    assert category_names(api, filter={"search": "ri"}) == ["Rice"]
    assert category_names(api, filter={"ids": [gid("Category", tree["oil"].pk)]}) == ["Oil"]
    assert category_names(api, filter={"slugs": ["tea", "grain"]}) == ["Tea", "Grain"]


def test_categories_sort_by_name_both_ways(api, tree):
    ascending = ["Food", "Grain", "Oil", "Rice", "Tea"]
    assert category_names(api, sortBy={"field": "NAME", "direction": "ASC"}) == ascending
    assert category_names(api, sortBy={"field": "NAME", "direction": "DESC"}) == list(reversed(ascending))


CATEGORY = """
query($slug: String, $id: ID) {
  category(slug: $slug, id: $id) {
    id name slug level description seoTitle updatedAt
    parent { slug }
    ancestors(first: 10) { edges { node { slug } } }
    children(first: 10) { totalCount edges { node { slug } } }
    products(first: 10) { totalCount edges { node { name category { slug } } } }
  }
}
"""


def test_a_category_shows_its_place_in_the_tree_and_the_products_below_it(api, tree, channel):
    factories.product(channel=channel, name="Jasmine rice", category=tree["rice"])
    factories.product(channel=channel, name="Millet", category=tree["grain"])
    factories.product(channel=channel, name="Draft grain", category=tree["grain"], published=False)
    factories.product(channel=channel, name="Peanut oil", category=tree["oil"])
    grain = api.data(CATEGORY, {"slug": "grain"})["category"]
    assert grain["id"] == gid("Category", tree["grain"].pk)
    assert (grain["name"], grain["level"]) == ("Grain", 1)
    assert grain["parent"] == {"slug": "food"}
    assert [edge["node"]["slug"] for edge in grain["ancestors"]["edges"]] == ["food"]
    assert grain["children"] == {"totalCount": 1, "edges": [{"node": {"slug": "rice"}}]}
    assert grain["products"]["totalCount"] == 2
    assert [edge["node"] for edge in grain["products"]["edges"]] == [
        {"name": "Jasmine rice", "category": {"slug": "rice"}},
        {"name": "Millet", "category": {"slug": "grain"}},
    ]


def test_a_category_is_found_by_id(api, tree, channel):
    assert api.data(CATEGORY, {"id": gid("Category", tree["rice"].pk)})["category"]["slug"] == "rice"


def test_an_unknown_category_gives_null_and_a_wrong_id_type_an_error(api, tree, channel):
    assert api.data(CATEGORY, {"slug": "no-such-category"})["category"] is None
    assert api.data(CATEGORY, {"id": gid("Category", 999999)})["category"] is None
    assert api.error(CATEGORY, {"id": gid("Collection", tree["rice"].pk)}) == "Must receive a Category id."


def test_category_products_take_filters_sorting_and_a_channel(api, tree, channel):
    factories.product(channel=channel, name="Millet", category=tree["grain"], price="9.00")
    factories.product(channel=channel, name="Jasmine rice", category=tree["rice"], price="25.00", quantity=0)
    other = factories.channel(slug="retirees", name="退休职工专区")
    factories.product(channel=other, name="Barley", category=tree["grain"], price="7.00")
    query = """
    query($channel: String) {
      category(slug: "grain") {
        cheap: products(first: 10, filter: {price: {lte: 10}}) { edges { node { name } } }
        inStock: products(first: 10, filter: {isAvailable: true}) { edges { node { name } } }
        byPrice: products(first: 10, sortBy: {field: PRICE, direction: DESC}) { edges { node { name } } }
        elsewhere: products(first: 10, channel: $channel) { edges { node { name channel } } }
      }
    }"""
    category = api.data(query, {"channel": "retirees"})["category"]
    assert [edge["node"]["name"] for edge in category["cheap"]["edges"]] == ["Millet"]
    assert [edge["node"]["name"] for edge in category["inStock"]["edges"]] == ["Millet"]
    assert [edge["node"]["name"] for edge in category["byPrice"]["edges"]] == ["Jasmine rice", "Millet"]
    assert [edge["node"] for edge in category["elsewhere"]["edges"]] == [{"name": "Barley", "channel": "retirees"}]


# --- Collections ------------------------------------------------------------------------
COLLECTIONS = """
query($filter: CollectionFilterInput, $sortBy: CollectionSortingInput, $channel: String) {
  collections(first: 10, filter: $filter, sortBy: $sortBy, channel: $channel) {
    totalCount
    edges { node { name slug channel } }
  }
}
"""


@pytest.fixture
def collections(channel):
    gifts = services.create_collection(name="Festival gifts", slug="festival-gifts", sort_order=1)
    relief = services.create_collection(name="Relief goods", slug="relief-goods", sort_order=0)
    draft = services.create_collection(name="Autumn draft", slug="autumn-draft", sort_order=2)
    services.publish_collection(collection=gifts, channel=channel)
    services.publish_collection(collection=relief, channel=channel)
    return {"gifts": gifts, "relief": relief, "draft": draft}


def collection_names(api, **variables) -> list[str]:
    return [edge["node"]["name"] for edge in api.data(COLLECTIONS, variables)["collections"]["edges"]]


def test_only_published_collections_are_listed_in_their_set_order(api, collections):
    data = api.data(COLLECTIONS)["collections"]
    assert data["totalCount"] == 2
    assert [edge["node"] for edge in data["edges"]] == [
        {"name": "Relief goods", "slug": "relief-goods", "channel": "union-mall"},
        {"name": "Festival gifts", "slug": "festival-gifts", "channel": "union-mall"},
    ]


def test_operators_see_unpublished_collections(staff_api, collections):
    assert collection_names(staff_api) == ["Relief goods", "Festival gifts", "Autumn draft"]


def test_collection_filters_and_sorting(api, collections):
    assert collection_names(api, filter={"search": "gift"}) == ["Festival gifts"]
    assert collection_names(api, filter={"slugs": ["relief-goods"]}) == ["Relief goods"]
    assert collection_names(api, filter={"ids": [gid("Collection", collections["gifts"].pk)]}) == ["Festival gifts"]
    assert collection_names(api, sortBy={"field": "NAME", "direction": "ASC"}) == ["Festival gifts", "Relief goods"]
    assert collection_names(api, sortBy={"field": "NAME", "direction": "DESC"}) == ["Relief goods", "Festival gifts"]


def test_a_collection_lists_its_visible_products(api, collections, channel):
    tea = factories.product(channel=channel, name="Tea")
    honey = factories.product(channel=channel, name="Honey")
    draft = factories.product(channel=channel, name="Draft", published=False)
    services.add_products_to_collection(collection=collections["gifts"], products=[tea, honey, draft])
    query = """
    query($slug: String, $id: ID) {
      collection(slug: $slug, id: $id) {
        name channel
        products(first: 10) { totalCount edges { node { name channel } } }
      }
    }"""
    by_slug = api.data(query, {"slug": "festival-gifts"})["collection"]
    by_id = api.data(query, {"id": gid("Collection", collections["gifts"].pk)})["collection"]
    assert by_slug == by_id
    assert by_slug["channel"] == "union-mall"
    assert by_slug["products"]["totalCount"] == 2
    assert [edge["node"] for edge in by_slug["products"]["edges"]] == [
        {"name": "Honey", "channel": "union-mall"},
        {"name": "Tea", "channel": "union-mall"},
    ]


def test_an_unpublished_or_unknown_collection_gives_null(api, collections):
    query = "query($slug: String) { collection(slug: $slug) { name } }"
    assert api.data(query, {"slug": "autumn-draft"})["collection"] is None
    assert api.data(query, {"slug": "nothing-here"})["collection"] is None
