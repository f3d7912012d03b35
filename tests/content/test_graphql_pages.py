"""`page` and `pages`: Saleor's Page, unpublished pages only for operators with MANAGE_PAGES."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.graphql.helpers import gid

PAGE = """
query ($slug: String, $id: ID) {
  page(slug: $slug, id: $id) {
    id title slug content seoTitle seoDescription isPublished publishedAt created pageType { name slug }
  }
}
"""
PAGES = """
query ($first: Int, $after: String, $filter: PageFilterInput, $sortBy: PageSortingInput) {
  pages(first: $first, after: $after, filter: $filter, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { slug title isPublished pageType { slug } } }
  }
}
"""


def slugs(data) -> list[str]:
    return [edge["node"]["slug"] for edge in data["pages"]["edges"]]


def test_a_published_page_is_read_by_slug_with_its_editorjs_content(api, make_page):
    page = make_page(
        "about", title="关于我们", text="## 我们是谁\n\n工会商城。", seo_title="关于", seo_description="简介"
    )
    result = api.data(PAGE, {"slug": "about"})["page"]
    assert result["id"] == gid("Page", page.pk)
    assert (result["title"], result["seoTitle"], result["seoDescription"], result["isPublished"]) == (
        "关于我们",
        "关于",
        "简介",
        True,
    )
    assert json.loads(result["content"])["blocks"] == [
        {"type": "header", "data": {"text": "我们是谁", "level": 2}},
        {"type": "paragraph", "data": {"text": "工会商城。"}},
    ]
    assert result["pageType"] == {"name": "说明页", "slug": "information"}
    assert result["publishedAt"] is not None


def test_a_page_is_read_by_id(api, make_page):
    page = make_page("delivery")
    assert api.data(PAGE, {"id": gid("Page", page.pk)})["page"]["slug"] == "delivery"


def test_an_unpublished_page_is_hidden_from_visitors(api, make_page):
    make_page("draft", published=False)
    assert api.data(PAGE, {"slug": "draft"})["page"] is None
    assert slugs(api.data(PAGES, {"first": 10})) == []


def test_a_page_published_for_later_is_hidden_until_then(api, make_page):
    make_page("soon", published_at=timezone.now() + timedelta(days=1))
    assert api.data(PAGE, {"slug": "soon"})["page"] is None


def test_operators_with_manage_pages_see_unpublished_pages(editor_api, make_page):
    make_page("draft", published=False)
    assert editor_api.data(PAGE, {"slug": "draft"})["page"]["isPublished"] is False
    assert slugs(editor_api.data(PAGES, {"first": 10})) == ["draft"]


def test_staff_without_manage_pages_do_not_see_unpublished_pages(staff_api, make_page):
    make_page("draft", published=False)
    assert staff_api.data(PAGE, {"slug": "draft"})["page"] is None


def test_pages_are_filtered_by_search_slugs_and_ids(api, make_page):
    about = make_page("about", title="关于我们", text="市总工会的服务平台。")
    make_page("delivery", title="配送说明", text="48小时内发货。")
    assert slugs(api.data(PAGES, {"first": 10, "filter": {"search": "配送"}})) == ["delivery"]
    assert slugs(api.data(PAGES, {"first": 10, "filter": {"search": "发货"}})) == ["delivery"]
    assert slugs(api.data(PAGES, {"first": 10, "filter": {"slugs": ["about", "nope"]}})) == ["about"]
    assert slugs(api.data(PAGES, {"first": 10, "filter": {"ids": [gid("Page", about.pk)]}})) == ["about"]


def test_pages_sort_by_title_descending_and_page_with_a_cursor(api, make_page):
    for slug, title in [("a", "甲"), ("b", "乙"), ("c", "丙")]:
        make_page(slug, title=title)
    sort = {"field": "SLUG", "direction": "DESC"}
    first = api.data(PAGES, {"first": 2, "sortBy": sort})["pages"]
    assert [edge["node"]["slug"] for edge in first["edges"]] == ["c", "b"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"] is True
    rest = api.data(PAGES, {"first": 2, "sortBy": sort, "after": first["pageInfo"]["endCursor"]})
    assert slugs(rest) == ["a"]


def test_a_cursor_of_another_sort_order_is_refused(api, make_page):
    make_page("a")
    cursor = api.data(PAGES, {"first": 1})["pages"]["pageInfo"]["endCursor"]
    message = api.error(PAGES, {"first": 1, "after": cursor, "sortBy": {"field": "TITLE", "direction": "ASC"}})
    assert message.startswith("Received cursor is invalid")


@pytest.mark.parametrize("count", [2, 12])
def test_pages_list_runs_two_queries_whatever_its_length(api, make_page, django_assert_num_queries, count):
    for number in range(count):
        make_page(f"page-{number:02}")
    with django_assert_num_queries(2):  # the page of rows with their page types, and totalCount
        assert len(slugs(api.data(PAGES, {"first": 20}))) == count
