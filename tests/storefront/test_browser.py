"""A member's journey on a phone, in Debian's chromium driven by Playwright."""

import re

import pytest

from catalog import services
from catalog.models import Merchant
from tests import factories
from tests.storefront.browser import PHONE, chromium, needs_chromium

PICTURE_LOADED = (
    "() => { const img = document.querySelector('.gallery__slide img'); return img.complete && img.naturalWidth > 0 }"
)

pytestmark = needs_chromium


@pytest.fixture
def shop(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    channel = factories.channel()
    warehouse = factories.warehouse(channels=[channel])
    food = factories.category(name="粮油米面", slug="food", sort_order=1)
    rice = factories.category(name="大米", slug="rice", parent=food)
    factories.category(name="茶叶冲饮", slug="tea", sort_order=2)
    coop = factories.merchant(name="怒江高原农业合作社", kind=Merchant.Kind.RELIEF_SUPPLIER, region="云南省怒江州")
    red_rice = factories.product(
        channel=channel,
        name="高原红米",
        slug="gao-yuan-hong-mi",
        category=rice,
        merchant=coop,
        price="39.90",
        member_price="35.00",
        quantity=3,
        warehouse=warehouse,
    )
    factories.product_image(red_rice, color=(170, 40, 40), alt="高原红米")
    services.assign_attribute(product=red_rice, attribute_name="产地", value="云南省怒江州泸水市")
    others = [
        factories.product(channel=channel, name=f"东北大米{number}号", category=rice, warehouse=warehouse)
        for number in range(1, 4)
    ]
    factories.collection(channel=channel, slug="relief-zone", name="帮扶专区", products=[red_rice, *others])
    return {"product": red_rice}


def test_a_member_on_a_phone_goes_from_home_through_a_category_to_a_product(live_server, shop, tmp_path):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(locale="zh-CN", **PHONE).new_page()

        page.goto(live_server.url + "/")
        expect(page.locator(".brand__name")).to_have_text("工会商城")
        expect(page.locator(".collection-row__title")).to_have_text(["帮扶专区"])
        _fits_the_screen(page)
        page.screenshot(path=tmp_path / "home.png", full_page=True)

        page.get_by_role("link", name="粮油米面").tap()
        expect(page).to_have_url(re.compile(r"/categories/food/$"))
        expect(page.locator(".listing-header__title")).to_have_text("粮油米面")
        expect(page.locator(".card__title")).to_have_count(4)
        first, second, third = (page.locator(".product-grid .card").nth(index).bounding_box() for index in range(3))
        assert first["y"] == second["y"] and first["x"] < second["x"], "two cards side by side on a phone"
        assert third["y"] > first["y"], "the third card starts the next row"
        _fits_the_screen(page)
        page.screenshot(path=tmp_path / "category.png", full_page=True)

        page.get_by_role("link", name=re.compile("高原红米")).tap()
        expect(page).to_have_url(re.compile(r"/products/gao-yuan-hong-mi/$"))
        expect(page.locator(".product__title")).to_have_text("高原红米")
        expect(page.locator(".price-panel .prices__main")).to_have_text("¥39.90")
        expect(page.locator(".price-panel .member-price")).to_have_text("会员价¥35.00")
        expect(page.get_by_test_id("stock-state")).to_have_text("库存紧张")
        expect(page.get_by_test_id("merchant")).to_have_text("怒江高原农业合作社")
        expect(page.get_by_test_id("origin")).to_have_text("云南省怒江州泸水市")
        expect(page.locator(".gallery__slide img").first).to_be_visible()
        page.wait_for_function(PICTURE_LOADED, timeout=10_000)  # times out if the thumbnail never arrives
        _fits_the_screen(page)
        page.screenshot(path=tmp_path / "product.png", full_page=True)


def _fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
