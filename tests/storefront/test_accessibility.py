"""What was measured on a phone, measured again on every page kind in chromium at 360×740.

The rules, checked by phone_audit.js from the browser's computed styles:
- no visible text smaller than 14 CSS px;
- text contrast at least 4.5:1 against what is behind it (gradients by their worst colour stop, WCAG AA);
- every visible link, button, summary, select and input at least 44×44 CSS px (a checkbox counts by its
  label), except a link inside running text (its <p> or <li> has other text too: WCAG 2.5.8's inline exception);
- the page is no wider than the screen.
"""

import json
from pathlib import Path

import pytest

from catalog import services
from catalog.models import Merchant
from demo.content import seed_content
from tests import factories
from tests.storefront.browser import SMALL_PHONE, chromium, needs_chromium

pytestmark = needs_chromium

AUDIT = (Path(__file__).parent / "phone_audit.js").read_text()
MINIMUMS = {"fontSize": 14, "contrast": 4.5, "target": 44}
NO_PROBLEMS = {"fontSize": [], "contrast": [], "targets": [], "width": None}


@pytest.fixture
def full_shop(transactional_db, settings, tmp_path):
    """Enough of a shop that every part of every page shows: subcategories, two pages of products, a gallery."""
    settings.MEDIA_ROOT = tmp_path / "media"
    channel = factories.channel()
    warehouse = factories.warehouse(channels=[channel])
    food = factories.category(name="粮油米面", slug="food", sort_order=1)
    rice = factories.category(name="大米", slug="rice", parent=food)
    factories.category(name="杂粮", slug="grains", parent=food)
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
        variants=2,
    )
    factories.product_image(red_rice, color=(170, 40, 40), alt="高原红米")
    factories.product_image(red_rice, color=(40, 120, 40), alt="梯田")
    services.assign_attribute(product=red_rice, attribute_name="产地", value="云南省怒江州泸水市")
    services.assign_attribute(product=red_rice, attribute_name="保质期", value="12个月", sort_order=1)
    others = [
        factories.product(
            channel=channel, name=f"东北大米{number}号", category=rice, warehouse=warehouse, member_price="9.00"
        )
        for number in range(1, 26)
    ]
    factories.collection(channel=channel, slug="relief-zone", name="帮扶专区", products=[red_rice, *others[:5]])
    factories.collection(channel=channel, slug="member-deals", name="会员特惠", products=others[5:9])
    seed_content()  # the pages and the footer menu, as the demo has them


def audit(live_server, path: str, screenshot: Path, *, cookies=()) -> dict:
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", **SMALL_PHONE)
        context.add_cookies([{"name": name, "value": value, "url": live_server.url} for name, value in cookies])
        page = context.new_page()
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        page.screenshot(path=screenshot, full_page=True)  # left in pytest's tmp_path to look at
        return page.evaluate(AUDIT, MINIMUMS)


def assert_no_problems(problems: dict):
    assert problems == NO_PROBLEMS, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/", id="home"),
        pytest.param("/categories/food/", id="category"),
        pytest.param("/products/gao-yuan-hong-mi/", id="product"),
        pytest.param("/search/?q=大米", id="search"),
        pytest.param("/search/", id="empty-search"),
        pytest.param("/cart/", id="cart"),
        pytest.param("/pages/member-verification/", id="content-page"),
        pytest.param("/account/login/", id="login"),
        pytest.param("/account/register/", id="register"),
        pytest.param("/account/password/reset/", id="password-reset"),
        pytest.param("/no-such-page/", id="not-found"),
    ],
)
def test_a_page_on_a_360px_phone_has_readable_text_large_tap_targets_and_no_sideways_scroll(
    live_server, full_shop, path, tmp_path
):
    assert_no_problems(audit(live_server, path, tmp_path / "page.png"))


def test_the_open_filter_panel_on_a_phone_meets_the_same_rules(live_server, full_shop, tmp_path):
    with chromium() as browser:
        page = browser.new_context(locale="zh-CN", **SMALL_PHONE).new_page()
        page.goto(live_server.url + "/categories/food/")
        page.locator(".filters__toggle").tap()
        page.screenshot(path=tmp_path / "filters.png", full_page=True)
        assert_no_problems(page.evaluate(AUDIT, MINIMUMS))


def test_the_header_of_a_signed_in_person_fits_a_360px_phone(
    live_server, full_shop, tmp_path, client, django_user_model
):
    person = django_user_model.objects.create_user("li@example.com", "pass-1234-word", phone="+8613800138000")
    client.force_login(person)
    session = ("sessionid", client.cookies["sessionid"].value)
    assert_no_problems(audit(live_server, "/", tmp_path / "page.png", cookies=[session]))
