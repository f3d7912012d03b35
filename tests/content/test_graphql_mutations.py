"""pageCreate, pageUpdate, menuCreate and menuItemCreate: Saleor's inputs, permissions and error codes."""

import json

from content.models import Menu, MenuItem, Page
from tests import factories
from tests.graphql.helpers import gid

PAGE_CREATE = """
mutation ($input: PageCreateInput!) {
  pageCreate(input: $input) {
    page { title slug content isPublished publishedAt seoTitle seoDescription pageType { slug } }
    errors { field code message }
  }
}
"""
PAGE_UPDATE = """
mutation ($id: ID!, $input: PageInput!) {
  pageUpdate(id: $id, input: $input) { page { title isPublished } errors { field code message } }
}
"""
MENU_CREATE = """
mutation ($input: MenuCreateInput!) {
  menuCreate(input: $input) {
    menu { slug items { name level page { slug } category { slug } url } }
    errors { field code message }
  }
}
"""
MENU_ITEM_CREATE = """
mutation ($input: MenuItemCreateInput!) {
  menuItemCreate(input: $input) {
    menuItem { name level parent { name } menu { slug } children { name } }
    errors { field code message }
  }
}
"""
CONTENT = json.dumps({"blocks": [{"type": "paragraph", "data": {"text": "会员价说明。"}}]})


def test_an_operator_creates_a_published_page(editor_api, page_type):
    data = editor_api.data(
        PAGE_CREATE,
        {
            "input": {
                "title": "会员认证说明",
                "slug": "member-verification",
                "content": CONTENT,
                "isPublished": True,
                "seo": {"title": "会员认证", "description": "如何认证"},
                "pageType": gid("PageType", page_type.pk),
            }
        },
    )["pageCreate"]
    assert data["errors"] == []
    page = data["page"]
    assert (page["title"], page["slug"], page["seoTitle"], page["seoDescription"]) == (
        "会员认证说明",
        "member-verification",
        "会员认证",
        "如何认证",
    )
    assert json.loads(page["content"]) == json.loads(CONTENT)
    assert page["isPublished"] is True and page["publishedAt"] is not None


def test_creating_a_page_needs_manage_pages(staff_api, page_type):
    message = staff_api.error(PAGE_CREATE, {"input": {"title": "关于", "pageType": gid("PageType", page_type.pk)}})
    assert message == "You need one of the following permissions: MANAGE_PAGES"
    assert Page.objects.count() == 0


def test_content_that_is_not_editorjs_is_refused_with_invalid(editor_api, page_type):
    content = json.dumps({"blocks": [{"type": "raw", "data": {"html": "<script>alert(1)</script>"}}]})
    data = editor_api.data(
        PAGE_CREATE, {"input": {"title": "关于", "content": content, "pageType": gid("PageType", page_type.pk)}}
    )["pageCreate"]
    assert data["page"] is None
    assert [(error["field"], error["code"]) for error in data["errors"]] == [("content", "INVALID")]
    assert Page.objects.count() == 0


def test_a_taken_slug_is_refused_with_unique(editor_api, make_page, page_type):
    make_page("about")
    data = editor_api.data(
        PAGE_CREATE, {"input": {"title": "关于", "slug": "about", "pageType": gid("PageType", page_type.pk)}}
    )["pageCreate"]
    assert [(error["field"], error["code"]) for error in data["errors"]] == [("slug", "UNIQUE")]


def test_an_operator_unpublishes_a_page(editor_api, make_page):
    page = make_page("about", title="关于")
    data = editor_api.data(
        PAGE_UPDATE, {"id": gid("Page", page.pk), "input": {"isPublished": False, "title": "关于我们"}}
    )
    assert data["pageUpdate"] == {"page": {"title": "关于我们", "isPublished": False}, "errors": []}
    page.refresh_from_db()
    assert (page.title, page.is_published) == ("关于我们", False)


def test_an_operator_creates_a_menu_with_items(editor_api, make_page):
    page = make_page("about")
    food = factories.category(name="食品", slug="food")
    data = editor_api.data(
        MENU_CREATE,
        {
            "input": {
                "name": "页脚",
                "slug": "footer",
                "items": [
                    {"name": "关于我们", "page": gid("Page", page.pk)},
                    {"name": "食品", "category": gid("Category", food.pk)},
                    {"name": "全总", "url": "https://www.acftu.org/"},
                ],
            }
        },
    )["menuCreate"]
    assert data["errors"] == []
    assert data["menu"] == {
        "slug": "footer",
        "items": [
            {"name": "关于我们", "level": 0, "page": {"slug": "about"}, "category": None, "url": None},
            {"name": "食品", "level": 0, "page": None, "category": {"slug": "food"}, "url": None},
            {"name": "全总", "level": 0, "page": None, "category": None, "url": "https://www.acftu.org/"},
        ],
    }


def test_a_menu_item_is_added_under_a_parent(editor_api):
    menu = Menu.objects.create(name="导航栏", slug="navbar")
    parent = MenuItem.objects.create(menu=menu, name="帮助")
    data = editor_api.data(
        MENU_ITEM_CREATE,
        {
            "input": {
                "name": "配送",
                "menu": gid("Menu", menu.pk),
                "parent": gid("MenuItem", parent.pk),
                "url": "https://example.com/",
            }
        },
    )["menuItemCreate"]
    assert data == {
        "menuItem": {
            "name": "配送",
            "level": 1,
            "parent": {"name": "帮助"},
            "menu": {"slug": "navbar"},
            "children": [],
        },
        "errors": [],
    }


def test_an_item_linking_two_targets_is_refused_with_too_many_menu_items(editor_api, make_page):
    menu = Menu.objects.create(name="导航栏", slug="navbar")
    page = make_page("about")
    data = editor_api.data(
        MENU_ITEM_CREATE,
        {"input": {"name": "关于", "menu": gid("Menu", menu.pk), "page": gid("Page", page.pk), "url": "https://a.cn/"}},
    )["menuItemCreate"]
    assert [(error["field"], error["code"]) for error in data["errors"]] == [(None, "TOO_MANY_MENU_ITEMS")]
    assert MenuItem.objects.count() == 0


def test_a_parent_from_another_menu_is_refused_with_invalid_menu_item(editor_api):
    navbar = Menu.objects.create(name="导航栏", slug="navbar")
    footer = Menu.objects.create(name="页脚", slug="footer")
    other = MenuItem.objects.create(menu=footer, name="关于")
    data = editor_api.data(
        MENU_ITEM_CREATE,
        {"input": {"name": "配送", "menu": gid("Menu", navbar.pk), "parent": gid("MenuItem", other.pk)}},
    )["menuItemCreate"]
    assert [(error["field"], error["code"]) for error in data["errors"]] == [("parent", "INVALID_MENU_ITEM")]


def test_a_javascript_url_is_refused(editor_api):
    menu = Menu.objects.create(name="导航栏", slug="navbar")
    data = editor_api.data(
        MENU_ITEM_CREATE, {"input": {"name": "坏链接", "menu": gid("Menu", menu.pk), "url": "javascript:alert(1)"}}
    )["menuItemCreate"]
    assert [(error["field"], error["code"]) for error in data["errors"]] == [("url", "INVALID")]


def test_creating_a_menu_needs_manage_menus(staff_api):
    assert staff_api.error(MENU_CREATE, {"input": {"name": "页脚"}}) == (
        "You need one of the following permissions: MANAGE_MENUS"
    )
    assert Menu.objects.count() == 0


MENU_ITEM_UPDATE = """
mutation ($id: ID!, $input: MenuItemInput!) {
  menuItemUpdate(id: $id, input: $input) { menuItem { name url page { slug } } errors { field code } }
}
"""
MENU_ITEM = "query ($id: ID!) { menuItem(id: $id) { name level menu { slug } parent { name } children { name } } }"


def test_a_new_link_replaces_the_old_one(editor_api, make_page):
    menu = Menu.objects.create(name="页脚", slug="footer")
    item = MenuItem.objects.create(menu=menu, name="关于", url="https://example.com/")
    page = make_page("about")
    data = editor_api.data(MENU_ITEM_UPDATE, {"id": gid("MenuItem", item.pk), "input": {"page": gid("Page", page.pk)}})
    assert data["menuItemUpdate"] == {
        "menuItem": {"name": "关于", "url": None, "page": {"slug": "about"}},
        "errors": [],
    }


def test_deleting_an_item_deletes_the_items_below_it(editor_api):
    menu = Menu.objects.create(name="页脚", slug="footer")
    top = MenuItem.objects.create(menu=menu, name="帮助")
    MenuItem.objects.create(menu=menu, name="关于", parent=top, level=1)
    query = "mutation ($id: ID!) { menuItemDelete(id: $id) { menuItem { id name } errors { code } } }"
    data = editor_api.data(query, {"id": gid("MenuItem", top.pk)})["menuItemDelete"]
    assert data == {"menuItem": {"id": gid("MenuItem", top.pk), "name": "帮助"}, "errors": []}
    assert MenuItem.objects.count() == 0


def test_a_menu_is_renamed_and_deleted(editor_api):
    menu = Menu.objects.create(name="页脚", slug="footer")
    rename = """
    mutation ($id: ID!) { menuUpdate(id: $id, input: {name: "底部导航"}) { menu { name slug } errors { code } } }
    """
    assert editor_api.data(rename, {"id": gid("Menu", menu.pk)})["menuUpdate"] == {
        "menu": {"name": "底部导航", "slug": "footer"},
        "errors": [],
    }
    delete = "mutation ($id: ID!) { menuDelete(id: $id) { menu { id } errors { code } } }"
    assert editor_api.data(delete, {"id": gid("Menu", menu.pk)})["menuDelete"]["menu"] == {"id": gid("Menu", menu.pk)}
    assert Menu.objects.count() == 0


def test_deleting_a_page_removes_the_menu_items_linking_to_it(editor_api, make_page):
    page = make_page("about")
    menu = Menu.objects.create(name="页脚", slug="footer")
    MenuItem.objects.create(menu=menu, name="关于", page=page)
    query = "mutation ($id: ID!) { pageDelete(id: $id) { page { id slug } errors { code } } }"
    data = editor_api.data(query, {"id": gid("Page", page.pk)})["pageDelete"]
    assert data == {"page": {"id": gid("Page", page.pk), "slug": "about"}, "errors": []}
    assert (Page.objects.count(), MenuItem.objects.count()) == (0, 0)


def test_a_menu_item_is_read_by_id_with_its_place_in_the_tree(api):
    menu = Menu.objects.create(name="页脚", slug="footer")
    top = MenuItem.objects.create(menu=menu, name="帮助")
    child = MenuItem.objects.create(menu=menu, name="关于", parent=top, level=1)
    assert api.data(MENU_ITEM, {"id": gid("MenuItem", child.pk)})["menuItem"] == {
        "name": "关于",
        "level": 1,
        "menu": {"slug": "footer"},
        "parent": {"name": "帮助"},
        "children": [],
    }


def test_an_escaped_lone_surrogate_inside_content_is_refused_with_invalid(editor_api, page_type):
    content = '{"blocks": [{"type": "paragraph", "data": {"text": "a\\ud800b"}}]}'
    data = editor_api.data(
        PAGE_CREATE, {"input": {"title": "关于", "content": content, "pageType": gid("PageType", page_type.pk)}}
    )["pageCreate"]
    assert [(error["field"], error["code"]) for error in data["errors"]] == [("content", "INVALID")]
