"""Operators write pages as text and edit menus with their items inline; saves go through content.services."""

import pytest
from django.test import Client

from content.models import Menu, MenuItem, Page
from tests import factories


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def page_form(page_type, **fields) -> dict:
    return {
        "page_type": page_type.pk,
        "title": "配送说明",
        "slug": "delivery",
        "content_text": "",
        "is_published": "on",
        "published_at_0": "",
        "published_at_1": "",
        "seo_title": "",
        "seo_description": "",
        **fields,
    }


def test_a_page_written_as_text_is_stored_as_editorjs(editor_client, page_type):
    text = "现货商品48小时内发货。\n\n## 签收\n\n- 当面验货\n- 生鲜24小时内反馈\n\n<b>不是粗体</b>"
    response = editor_client.post("/admin/content/page/add/", page_form(page_type, content_text=text))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = Page.objects.get(slug="delivery")
    assert page.content["blocks"] == [
        {"type": "paragraph", "data": {"text": "现货商品48小时内发货。"}},
        {"type": "header", "data": {"text": "签收", "level": 2}},
        {"type": "list", "data": {"style": "unordered", "items": ["当面验货", "生鲜24小时内反馈"]}},
        {"type": "paragraph", "data": {"text": "&lt;b&gt;不是粗体&lt;/b&gt;"}},
    ]
    assert page.is_published and page.published_at is not None


def test_editing_a_page_shows_its_content_as_text_and_saves_the_change(editor_client, make_page, page_type):
    page = make_page("delivery", text="## 发货\n\n48小时内发货。")
    form = editor_client.get(f"/admin/content/page/{page.pk}/change/").content.decode()
    assert "## 发货\n\n48小时内发货。</textarea>" in form
    response = editor_client.post(
        f"/admin/content/page/{page.pk}/change/", page_form(page_type, content_text="72小时内发货。", is_published="")
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.content["blocks"] == [{"type": "paragraph", "data": {"text": "72小时内发货。"}}]
    assert page.is_published is False


def test_pages_and_menus_need_saleor_permissions_in_the_admin(staff_user, page_type):
    client = Client()
    client.force_login(staff_user)
    assert client.get("/admin/content/page/").status_code == 403
    assert client.get("/admin/content/menu/").status_code == 403


def menu_form(**fields) -> dict:
    return {
        "name": "页脚",
        "slug": "footer",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-name": "关于我们",
        "items-0-sort_order": "0",
        **fields,
    }


def test_a_menu_is_added_with_its_items_inline(editor_client, make_page):
    about = make_page("about")
    response = editor_client.post("/admin/content/menu/add/", menu_form(**{"items-0-page": about.pk}))
    assert response.status_code == 302, response.content.decode()[:3000]
    menu = Menu.objects.get(slug="footer")
    assert list(menu.items.values_list("name", "page__slug", "level")) == [("关于我们", "about", 0)]


def test_an_item_linking_two_targets_is_refused_in_the_form(editor_client, make_page):
    food = factories.category(name="食品")
    about = make_page("about")
    response = editor_client.post(
        "/admin/content/menu/add/", menu_form(**{"items-0-page": about.pk, "items-0-category": food.pk})
    )
    assert response.status_code == 200
    assert "一个菜单项只能链接到分类、专区、页面或网址中的一个。" in response.content.decode()
    assert Menu.objects.count() == 0


def test_moving_an_item_under_a_parent_in_the_admin_sets_its_level(editor_client):
    menu = Menu.objects.create(name="页脚", slug="footer")
    help_item = MenuItem.objects.create(menu=menu, name="帮助", sort_order=0)
    about = MenuItem.objects.create(menu=menu, name="关于", sort_order=1, url="https://example.com/")
    form = {
        "name": "页脚",
        "slug": "footer",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": help_item.pk,
        "items-0-menu": menu.pk,
        "items-0-name": "帮助",
        "items-0-sort_order": "0",
        "items-1-id": about.pk,
        "items-1-menu": menu.pk,
        "items-1-name": "关于",
        "items-1-sort_order": "1",
        "items-1-url": "https://example.com/",
        "items-1-parent": help_item.pk,
    }
    response = editor_client.post(f"/admin/content/menu/{menu.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    about.refresh_from_db()
    assert (about.parent_id, about.level) == (help_item.pk, 1)


def test_an_item_cannot_be_moved_under_its_own_child_in_the_admin(editor_client):
    menu = Menu.objects.create(name="页脚", slug="footer")
    top = MenuItem.objects.create(menu=menu, name="帮助")
    child = MenuItem.objects.create(menu=menu, name="关于", parent=top, level=1)
    form = {
        "name": "页脚",
        "slug": "footer",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": top.pk,
        "items-0-menu": menu.pk,
        "items-0-name": "帮助",
        "items-0-sort_order": "0",
        "items-0-parent": child.pk,
        "items-1-id": child.pk,
        "items-1-menu": menu.pk,
        "items-1-name": "关于",
        "items-1-sort_order": "0",
        "items-1-parent": top.pk,
    }
    response = editor_client.post(f"/admin/content/menu/{menu.pk}/change/", form)
    assert response.status_code == 200
    assert "不能把菜单项移到它自己的下级。" in response.content.decode()
    top.refresh_from_db()
    assert top.parent_id is None
