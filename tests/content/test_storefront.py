"""The storefront's page view and the footer links read from the `footer` menu."""

import pytest
from django.test import Client
from django.urls import reverse

from content import selectors, services
from tests.storefront.html import texts


def test_a_page_shows_its_title_and_content_in_chinese(client, make_page):
    make_page("delivery", title="配送说明", text="## 发货时间\n\n现货商品48小时内发货。\n\n- 签收时验货\n- 生鲜冷链")
    response = client.get(reverse("storefront:page", args=["delivery"]))
    assert response.status_code == 200
    assert texts(response, "content-page__title") == ["配送说明"]
    body = response.content.decode()
    assert "<h2>发货时间</h2><p>现货商品48小时内发货。</p><ul><li>签收时验货</li><li>生鲜冷链</li></ul>" in body
    assert '<html lang="zh-hans">' in body


def test_markup_typed_into_a_page_is_shown_as_text(client, make_page):
    make_page("about", text="<script>alert('x')</script> 与 <b>粗体</b>")
    body = client.get("/pages/about/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 与 &lt;b&gt;粗体&lt;/b&gt;" in body
    assert "<script>alert" not in body


def test_markup_sent_as_editorjs_json_never_reaches_the_page(client, page_type):
    services.create_page(
        requestor=None,
        page_type=page_type,
        title="<img src=x onerror=alert(1)>",
        slug="raw",
        content={"blocks": [{"type": "paragraph", "data": {"text": '<img src=x onerror="alert(1)">正文'}}]},
        is_published=True,
    )
    body = client.get("/pages/raw/").content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body  # the title, as text
    assert "<p>正文</p>" in body


def test_an_unpublished_page_is_not_found(client, make_page):
    make_page("draft", published=False)
    response = client.get("/pages/draft/")
    assert response.status_code == 404
    assert texts(response, "empty__title") == ["页面不存在"]


def test_an_unknown_page_is_not_found(client, db):
    assert client.get("/pages/nope/").status_code == 404


def test_operators_who_manage_pages_preview_an_unpublished_page(editor, make_page):
    make_page("draft", title="草稿", published=False)
    client = Client()
    client.force_login(editor)
    response = client.get("/pages/draft/")
    assert response.status_code == 200
    assert texts(response, "notice") == ["尚未发布：仅有页面管理权限的运营人员可以看到此预览。"]


@pytest.fixture
def footer(make_page):
    menu = services.create_menu(requestor=None, name="页脚", slug="footer")
    services.create_menu_item(requestor=None, menu=menu, name="关于我们", page=make_page("about"))
    services.create_menu_item(requestor=None, menu=menu, name="草稿", page=make_page("draft", published=False))
    services.create_menu_item(requestor=None, menu=menu, name="全国总工会", url="https://www.acftu.org/")
    return menu


def test_the_footer_links_to_the_footer_menu_without_hidden_pages(client, footer):
    response = client.get("/pages/about/")
    assert texts(response, "footer-links") == ["关于我们 全国总工会"]
    body = response.content.decode()
    assert '<a href="/pages/about/">关于我们</a>' in body
    assert '<a href="https://www.acftu.org/">全国总工会</a>' in body


def test_both_storefront_menus_are_read_in_one_query(footer, django_assert_num_queries):
    navbar = services.create_menu(requestor=None, name="导航栏", slug="navbar")
    services.create_menu_item(requestor=None, menu=navbar, name="帮助", url="https://example.com/")
    with django_assert_num_queries(1):
        menus = selectors.storefront_menus(channel_slug="union-mall")
    assert [link.name for link in menus["navbar"]] == ["帮助"]
    assert [link.url for link in menus["footer"]] == ["/pages/about/", "https://www.acftu.org/"]


def test_the_footer_has_no_links_while_there_is_no_footer_menu(client, make_page):
    make_page("about")
    assert texts(client.get("/pages/about/"), "footer-links") == []


def test_pages_after_the_first_read_the_menus_from_the_cache(client, footer, django_assert_num_queries):
    first = client.get("/pages/about/")
    with django_assert_num_queries(1):  # the page itself; the menus come from the cache
        again = client.get("/pages/about/")
    assert texts(again, "footer-links") == texts(first, "footer-links") == ["关于我们 全国总工会"]


def test_a_menu_edit_shows_on_the_next_page_at_once(client, footer, django_capture_on_commit_callbacks):
    client.get("/pages/about/")  # the menus are cached now

    with django_capture_on_commit_callbacks(execute=True):
        services.create_menu_item(requestor=None, menu=footer, name="配送说明", url="https://example.com/delivery")

    assert texts(client.get("/pages/about/"), "footer-links") == ["关于我们 全国总工会 配送说明"]
