"""Suggestions as you type, in Debian's chromium driven by Playwright: type in the header box, pick a suggestion
with the keyboard, land on its page, and find the search among the recent ones afterwards."""

import pytest

from tests import factories
from tests.storefront.browser import PHONE, chromium, needs_chromium
from tests.storefront.search.shelf import make_search_tables, make_shelf

pytestmark = needs_chromium


@pytest.fixture
def searchable(transactional_db):
    channel = factories.channel()
    warehouse = factories.warehouse(channels=[channel])
    make_shelf(channel, warehouse)
    make_search_tables()


def test_typing_shows_suggestions_the_keyboard_picks_one_and_it_is_remembered(live_server, searchable, tmp_path):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(locale="zh-CN", **PHONE).new_page()
        suggestions = []
        page.on("request", lambda request: "/search/suggest/" in request.url and suggestions.append(request.url))
        page.goto(live_server.url + "/categories/tea/")

        box = page.locator("#search-q")
        box.click()
        expect(page.locator(".suggest__title")).to_have_text(["热搜"])  # nothing typed, nothing searched yet
        expect(page.locator(".suggest__option").first).to_have_text("脐橙")
        box.press_sequentially("赣南", delay=40)
        options = page.locator(".suggest__option .suggest__text")
        expect(options.filter(has_text="赣南脐橙5斤装")).to_be_visible()
        expect(page.locator(".suggest__title")).to_have_count(0)  # completions now, not 热搜
        page.screenshot(path=tmp_path / "suggestions.png")
        texts = options.all_inner_texts()
        assert "赣南脐橙5斤装" in texts
        assert len(suggestions) <= 3  # debounced: not one request per key

        for _step in range(texts.index("赣南脐橙5斤装") + 1):
            box.press("ArrowDown")
        expect(page.locator(".suggest__option.is-active .suggest__text")).to_have_text("赣南脐橙5斤装")
        expect(box).to_have_attribute("aria-expanded", "true")
        box.press("Enter")

        page.wait_for_url("**/products/gannan-qicheng-5/")
        expect(page.locator("h1")).to_contain_text("赣南脐橙5斤装")

        # Back in the box: the pick is the first recent search, with a 清除 button.
        page.locator("#search-q").click()
        expect(page.locator(".suggest__title").first).to_have_text("最近搜索")
        expect(page.locator(".suggest__option .suggest__text").first).to_have_text("赣南脐橙5斤装")

        # Esc closes the list; Enter then submits the form as typed.
        page.locator("#search-q").fill("普洱")
        expect(page.locator(".suggest")).to_be_visible()
        page.locator("#search-q").press("Escape")
        expect(page.locator(".suggest")).to_be_hidden()
        page.locator("#search-q").press("Enter")
        page.wait_for_url("**/search/?q=*")
        expect(page.locator(".card__name")).to_have_text(["普洱茶"])

        # The empty search page lists both, most recent first, until 清除.
        page.goto(live_server.url + "/search/")
        expect(page.locator(".search-recent")).to_have_text(["普洱", "赣南脐橙5斤装"])
        page.locator("[data-recent-clear]").click()
        expect(page.locator("[data-recent-searches]")).to_be_hidden()
        page.reload()
        expect(page.locator("[data-recent-searches]")).to_be_hidden()


def test_facets_wait_behind_the_filter_button_on_a_phone(live_server, searchable):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(locale="zh-CN", **PHONE).new_page()
        page.goto(live_server.url + "/search/?q=橙")
        expect(page.locator(".card__name")).to_have_count(4)
        facet = page.locator("[data-facet=in_stock] .facet__option")
        expect(facet).to_be_hidden()
        page.locator(".search-facets__toggle").click()
        facet.click()
        expect(page.locator(".card__name")).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll


def test_the_search_works_without_the_script(live_server, searchable):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(locale="zh-CN", java_script_enabled=False, **PHONE).new_page()
        page.goto(live_server.url + "/")
        page.locator("#search-q").fill("橙")
        page.locator(".search__button").click()
        page.wait_for_url("**/search/?q=*")
        expect(page.locator(".card__name")).to_have_count(4)


def test_facets_stand_beside_the_results_on_a_wide_screen(live_server, searchable):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
        page.goto(live_server.url + "/search/?q=橙")
        expect(page.locator(".search-facets__toggle")).to_be_hidden()
        region = page.locator("[data-facet=region] .facet__option")
        expect(region).to_be_visible()
        region.click()
        expect(page.locator(".card__title")).to_have_text(["怒江冰糖橙"])
        page.locator("[data-testid=facets-clear]").click()
        expect(page.locator(".card__name")).to_have_count(4)
        expect(page.locator("#search-q")).to_have_value("橙")
