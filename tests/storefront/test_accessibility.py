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
from demo.content import seed_content
from tests import factories
from tests.storefront import relief_data
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
    coop = relief_data.supplier(
        "怒江高原农业合作社",
        "nujiang-coop",
        story="合作社在高黎贡山脚下种植红米，梯田一年一季。",
        farmer_linkage="订单收购、优先吸纳脱贫户务工，带动泸水市 126 户农户。",
        households_linked=126,
        recommended_by="泸水市乡村振兴局",
    )
    red_rice = factories.product(
        channel=channel,
        name="高原红米",
        slug="gao-yuan-hong-mi",
        category=rice,
        merchant=coop.merchant,
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
    # Certified, with a batch: the product page shows its 帮扶认定 block, 帮扶专区 and the supplier page list it.
    relief_data.certify(coop, [red_rice], "BF-533301-NJ-2")
    relief_data.batch(red_rice, "NJ-001-01")
    tea = relief_data.supplier("福贡县高山茶叶合作社", "fugong-tea", relief_data.FUGONG)
    green_tea = factories.product(
        channel=channel, name="福贡高山绿茶", merchant=tea.merchant, warehouse=warehouse, member_price="9.00"
    )
    relief_data.certify(tea, [green_tea], "BF-533323-FG-1")
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
        pytest.param("/relief/disclosure/", id="disclosure"),
        pytest.param("/relief/", id="relief-zone"),
        pytest.param("/relief/?province=云南省", id="relief-zone-province"),
        pytest.param("/relief/?county=999999", id="relief-zone-empty"),
        pytest.param("/suppliers/nujiang-coop/", id="supplier"),
        pytest.param("/bulk/notice/", id="bulk-notices"),
        pytest.param("/bulk/notice/CG99999/", id="bulk-notice-missing"),
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


# --- The buying pages -------------------------------------------------------------------------------------
@pytest.fixture
def buying_member(full_shop, client, django_user_model, settings, localstripe):
    """A verified member with an address, an allowance, a cart of two lines and an unpaid order, signed in."""
    from decimal import Decimal

    from catalog.models import ProductVariant
    from orders.services import complete_checkout
    from tests.localstripe import LOCALSTRIPE_SECRET_KEY
    from tests.storefront.buying import cart_rows, issue_allowance, make_member, make_shipping, saved_address

    settings.STRIPE_SECRET_KEY = LOCALSTRIPE_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_union_mall_localstripe"
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_JS_URL = f"{localstripe}/js.stripe.com/v3/"
    channel = factories.channel()
    express, _fast = make_shipping(channel)
    member = make_member(django_user_model, "li@example.com", last_name="李", first_name="晓梅")
    address = saved_address(member)
    issue_allowance(member, "20.00")
    red_rice = list(ProductVariant.objects.filter(product__slug="gao-yuan-hong-mi").order_by("pk"))
    placed = cart_rows(channel, [(red_rice[0], 1)], user=member)
    placed.shipping_address, placed.shipping_method = address, express
    placed.save()
    order, _created = complete_checkout(placed, user=member)
    cart = cart_rows(channel, [(red_rice[1], 2), (red_rice[0], 1)], user=member)
    cart.shipping_address, cart.shipping_method, cart.allowance_requested = address, express, Decimal("20.00")
    cart.save()
    client.force_login(member)
    return {"session": ("sessionid", client.cookies["sessionid"].value), "order": order}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/cart/", id="cart"),
        pytest.param("/checkout/", id="checkout"),
        pytest.param("/account/", id="account"),
        pytest.param("/account/orders/", id="orders"),
        pytest.param("/account/orders/{order}/", id="order"),
        pytest.param("/account/orders/{order}/pay/", id="pay"),
    ],
)
def test_a_buying_page_on_a_360px_phone_meets_the_same_rules(live_server, buying_member, path, tmp_path):
    path = path.format(order=buying_member["order"].pk)
    assert_no_problems(audit(live_server, path, tmp_path / "page.png", cookies=[buying_member["session"]]))


def test_the_product_page_with_its_buy_form_and_an_error_meets_the_same_rules(live_server, full_shop, tmp_path):
    with chromium() as browser:
        page = browser.new_context(locale="zh-CN", **SMALL_PHONE).new_page()
        page.goto(live_server.url + "/products/gao-yuan-hong-mi/")
        page.get_by_label("数量").fill("0")
        page.get_by_role("button", name="加入购物车").tap()  # no variant chosen, quantity 0: two errors
        page.wait_for_load_state("load")
        page.screenshot(path=tmp_path / "product-errors.png", full_page=True)
        assert page.locator(".form__error").count() == 2
        assert_no_problems(page.evaluate(AUDIT, MINIMUMS))
