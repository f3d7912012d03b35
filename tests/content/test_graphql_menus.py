"""`menu` and `menus`: Saleor's Menu and MenuItem, the whole tree read in a fixed number of queries."""

import pytest

from content import services
from content.models import MenuItem
from tests import factories
from tests.graphql.helpers import gid

MENU = """
query ($slug: String, $name: String, $id: ID) {
  menu(slug: $slug, name: $name, id: $id) {
    id name slug
    items {
      id name level url
      category { name slug }
      collection { name slug channel }
      page { title slug }
      menu { slug }
      parent { id }
      children {
        name level url parent { name }
        category { slug } collection { slug } page { slug }
        children { name level }
      }
    }
  }
}
"""
MENUS = """
query ($filter: MenuFilterInput, $sortBy: MenuSortingInput) {
  menus(first: 10, filter: $filter, sortBy: $sortBy) {
    edges { node { slug items { name children { name page { slug } } } } }
  }
}
"""


@pytest.fixture
def relief_zone(channel):
    return factories.collection(channel=channel, slug="relief-zone", name="帮扶专区")


@pytest.fixture
def navbar(make_page, relief_zone):
    """导航栏: a category with two children (a page and a URL), the relief collection and a page."""
    food = factories.category(name="食品", slug="food")
    menu = services.create_menu(requestor=None, name="导航栏", slug="navbar")
    top = services.create_menu_item(requestor=None, menu=menu, name="食品", category=food)
    services.create_menu_item(requestor=None, menu=menu, parent=top, name="配送", page=make_page("delivery"))
    services.create_menu_item(requestor=None, menu=menu, parent=top, name="外链", url="https://www.acftu.org/")
    services.create_menu_item(requestor=None, menu=menu, name="帮扶专区", collection=relief_zone)
    services.create_menu_item(requestor=None, menu=menu, name="会员认证", page=make_page("member-verification"))
    return menu


def test_a_menu_is_read_by_slug_with_its_nested_items_and_their_targets(api, navbar, relief_zone):
    menu = api.data(MENU, {"slug": "navbar"})["menu"]
    assert (menu["id"], menu["name"], menu["slug"]) == (gid("Menu", navbar.pk), "导航栏", "navbar")
    food, relief, verification = menu["items"]
    assert (food["name"], food["level"], food["category"], food["url"]) == (
        "食品",
        0,
        {"name": "食品", "slug": "food"},
        None,
    )
    assert food["menu"] == {"slug": "navbar"} and food["parent"] is None
    assert [(child["name"], child["level"], child["parent"]) for child in food["children"]] == [
        ("配送", 1, {"name": "食品"}),
        ("外链", 1, {"name": "食品"}),
    ]
    assert food["children"][0]["page"] == {"slug": "delivery"}
    assert food["children"][1]["url"] == "https://www.acftu.org/"
    assert relief["collection"] == {"name": "帮扶专区", "slug": "relief-zone", "channel": "union-mall"}
    assert verification["page"] == {"title": "member-verification", "slug": "member-verification"}


def test_a_menu_is_read_by_id_or_by_name(api, navbar):
    assert api.data(MENU, {"id": gid("Menu", navbar.pk)})["menu"]["slug"] == "navbar"
    assert api.data(MENU, {"name": "导航栏"})["menu"]["slug"] == "navbar"
    assert api.data(MENU, {"slug": "nope"})["menu"] is None


def test_links_to_unpublished_pages_and_collections_are_null_for_visitors(api, navbar, relief_zone, channel):
    from catalog.models import CollectionChannelListing
    from content.models import Page

    Page.objects.filter(slug="member-verification").update(is_published=False)
    CollectionChannelListing.objects.filter(collection=relief_zone).update(is_published=False)
    _, relief, verification = api.data(MENU, {"slug": "navbar"})["menu"]["items"]
    assert relief["collection"] is None
    assert verification["page"] is None


def test_operators_with_manage_pages_see_links_to_unpublished_pages(editor_api, navbar):
    from content.models import Page

    Page.objects.filter(slug="member-verification").update(is_published=False)
    assert editor_api.data(MENU, {"slug": "navbar"})["menu"]["items"][2]["page"]["slug"] == "member-verification"


def _grow(menu, make_page, count: int) -> None:
    food = MenuItem.objects.get(menu=menu, name="食品")
    for number in range(count):
        parent = services.create_menu_item(requestor=None, menu=menu, parent=food, name=f"分组{number}")
        services.create_menu_item(
            requestor=None, menu=menu, parent=parent, name=f"页面{number}", page=make_page(f"p-{number}")
        )


@pytest.mark.parametrize("extra", [0, 15])
def test_a_menu_tree_is_read_in_three_queries_whatever_its_size(
    api, navbar, make_page, django_assert_num_queries, extra
):
    _grow(navbar, make_page, extra)
    # The menu, every item with its category, collection and page, and the channel the collection is shown in.
    with django_assert_num_queries(3):
        menu = api.data(MENU, {"slug": "navbar"})["menu"]
    assert len(menu["items"][0]["children"]) == 2 + extra
    assert [child["children"] for child in menu["items"][0]["children"][2:]] == [
        [{"name": f"页面{number}", "level": 2}] for number in range(extra)
    ]


@pytest.mark.parametrize("menus", [1, 6])
def test_menus_with_their_items_are_read_in_two_queries_whatever_their_number(
    api, navbar, make_page, django_assert_num_queries, menus
):
    for number in range(menus):
        menu = services.create_menu(requestor=None, name=f"菜单{number}", slug=f"menu-{number}")
        services.create_menu_item(requestor=None, menu=menu, name="说明", page=make_page(f"page-{number}"))
    with django_assert_num_queries(2):  # the menus, the items of all of them
        edges = api.data(MENUS)["menus"]["edges"]
    assert len(edges) == menus + 1


def test_menus_are_filtered_by_slug_and_sorted_by_their_number_of_items(api, navbar):
    footer = services.create_menu(requestor=None, name="页脚", slug="footer")
    services.create_menu_item(requestor=None, menu=footer, name="关于", url="https://example.com/")
    by_slug = api.data(MENUS, {"filter": {"slugs": ["footer"]}})["menus"]["edges"]
    assert [edge["node"]["slug"] for edge in by_slug] == ["footer"]
    most_first = api.data(MENUS, {"sortBy": {"field": "ITEMS_COUNT", "direction": "DESC"}})["menus"]["edges"]
    assert [edge["node"]["slug"] for edge in most_first] == ["navbar", "footer"]
