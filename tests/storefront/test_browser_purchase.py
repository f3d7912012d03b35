"""Buying on a phone, in chromium: a verified member's whole purchase, paid through localstripe's Stripe.js
stand-in, and a guest's purchase at list prices. Everything is real: the Django live server, PostgreSQL, the
localstripe server, its Stripe.js and its signed webhooks to /webhooks/stripe/."""

import json
import re
import time
import urllib.request
from decimal import Decimal

import pytest

from orders.models import Order, OrderChargeStatus, OrderStatus
from tests import factories
from tests.localstripe import LOCALSTRIPE_SECRET_KEY
from tests.storefront.browser import PHONE, chromium, needs_chromium
from tests.storefront.buying import ADDRESS, PASSWORD, make_member, make_shipping, saved_address

pytestmark = needs_chromium

WEBHOOK_SECRET = "whsec_union_mall_storefront"
TEST_CARD = {"number": "4242424242424242", "exp_month": "12", "exp_year": "34", "cvc": "123", "postal_code": "518000"}
PAID_WAIT_MS = 15_000  # localstripe sends its webhook a second after the charge


@pytest.fixture
def stripe_shop(transactional_db, settings, localstripe, live_server, tmp_path):
    """A shop whose payments go to localstripe, whose webhooks come back to the live server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STRIPE_SECRET_KEY = LOCALSTRIPE_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_union_mall_localstripe"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_JS_URL = f"{localstripe}/js.stripe.com/v3/"
    register_webhook(localstripe, url=f"{live_server.url}/webhooks/stripe/")
    channel = factories.channel()
    warehouse = factories.warehouse(channels=[channel])
    make_shipping(channel)
    tea = factories.product(
        channel=channel,
        name="普洱茶",
        slug="pu-er",
        price="30.00",
        member_price="25.00",
        quantity=10,
        warehouse=warehouse,
        variants=2,
    )
    factories.product_image(tea, color=(120, 60, 20), alt="普洱茶")
    return type("Shop", (), {"channel": channel, "tea": tea})


def register_webhook(localstripe, *, url):
    # One fixed name, so each test's registration replaces the previous one (localstripe cannot delete one).
    request = urllib.request.Request(
        f"{localstripe}/_config/webhooks/union-mall-storefront",
        data=json.dumps({"url": url, "secret": WEBHOOK_SECRET, "events": ["payment_intent.succeeded"]}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def pay_with_test_card(page):
    """Type the test card into the Payment Element (the stand-in's card inputs) and confirm."""
    from playwright.sync_api import expect

    element = page.get_by_test_id("payment-element")
    expect(element.locator("input")).to_have_count(5)
    for name, value in TEST_CARD.items():
        element.locator(f"input[placeholder={name}]").fill(value)
    page.get_by_role("button", name=re.compile("确认支付")).tap()


def wait_until_paid(page):
    """The order page says 待发货 once paid: at once when process_transaction saw the charge, else after the
    webhook; the page is read again each second until then."""
    deadline = time.monotonic() + PAID_WAIT_MS / 1000
    while page.get_by_test_id("order-status").inner_text().strip() != "待发货":
        assert time.monotonic() < deadline, "the order was not paid in time"
        time.sleep(1)
        page.reload()


def fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"the page is {width}px wide on a phone"


def test_a_verified_member_buys_on_a_phone_and_pays_by_card(live_server, stripe_shop, django_user_model, tmp_path):
    from playwright.sync_api import expect

    member = make_member(django_user_model, "li@example.com", last_name="李", first_name="晓梅")
    saved_address(member)

    with chromium() as browser:
        page = browser.new_context(locale="zh-CN", **PHONE).new_page()

        page.goto(f"{live_server.url}/account/login/?next=/products/pu-er/")
        page.get_by_label("邮箱或手机号").fill("li@example.com")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").tap()
        expect(page).to_have_url(re.compile(r"/products/pu-er/$"))

        # Choosing 规格2 shows its member price and stock in the price panel.
        page.locator(".variant__choice", has_text="规格2").tap()
        expect(page.locator(".price-panel .prices__main")).to_have_text("会员价¥26.00")
        expect(page.get_by_test_id("stock-state")).to_have_text("有货")
        page.get_by_label("数量").fill("2")
        page.get_by_role("button", name="加入购物车").tap()
        expect(page.locator(".flash__item")).to_contain_text("已加入购物车")
        expect(page.get_by_test_id("cart-count")).to_have_text("2")
        fits_the_screen(page)
        page.screenshot(path=tmp_path / "product.png", full_page=True)

        page.get_by_test_id("header-cart").tap()
        expect(page.locator(".cart-line__name")).to_have_text(["普洱茶"])
        expect(page.locator(".cart-line__price")).to_have_text("会员价¥26.00 ¥31.00")
        fits_the_screen(page)
        page.get_by_role("link", name="去结算").tap()

        expect(page).to_have_url(re.compile(r"/checkout/$"))
        page.locator(".choice", has_text="深南大道").tap()
        page.get_by_role("button", name="使用此地址").tap()
        expect(page.get_by_test_id("shipping-address")).to_contain_text("广东省深圳市南山区")
        page.locator(".choice", has_text="快递").tap()
        page.get_by_role("button", name="选择配送方式").tap()
        expect(page.get_by_test_id("total-due")).to_have_text("¥62.00")  # 2 × ¥26 + ¥10 shipping
        fits_the_screen(page)
        page.screenshot(path=tmp_path / "checkout.png", full_page=True)
        page.get_by_role("button", name="提交订单").tap()

        expect(page).to_have_url(re.compile(r"/account/orders/[0-9a-f-]+/pay/$"))
        expect(page.get_by_test_id("pay-amount")).to_have_text("¥62.00")
        fits_the_screen(page)
        pay_with_test_card(page)

        expect(page).to_have_url(re.compile(r"/account/orders/[0-9a-f-]+/$"), timeout=PAID_WAIT_MS)
        wait_until_paid(page)
        expect(page.locator(".timeline__label")).to_contain_text(["订单已提交", "支付成功"])
        page.screenshot(path=tmp_path / "paid.png", full_page=True)

    order = Order.objects.get()
    assert (order.user, order.total_amount, order.charge_status, order.status) == (
        member,
        Decimal("62.00"),
        OrderChargeStatus.FULL,
        OrderStatus.UNFULFILLED,
    )
    assert order.lines.get().unit_price_amount == Decimal("26.00")


def test_a_guest_buys_at_list_prices_with_an_email_and_pays(live_server, stripe_shop, tmp_path):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(locale="zh-CN", **PHONE).new_page()

        page.goto(f"{live_server.url}/products/pu-er/")
        page.locator(".variant__choice", has_text="规格1").tap()
        page.get_by_role("button", name="立即购买").tap()

        expect(page).to_have_url(re.compile(r"/checkout/$"))
        page.get_by_label("电子邮箱（接收订单通知）").fill("guest@example.com")
        page.get_by_role("button", name="保存邮箱").tap()
        for name, value in ADDRESS.items():
            page.locator(f"#id_new-{name}").fill(value)
        page.get_by_role("button", name="保存收货地址").tap()
        page.locator(".choice", has_text="快递").tap()
        page.get_by_role("button", name="选择配送方式").tap()
        expect(page.get_by_test_id("total-due")).to_have_text("¥40.00")  # the list price ¥30 + ¥10 shipping
        page.get_by_role("button", name="提交订单").tap()

        expect(page).to_have_url(re.compile(r"/orders/[0-9a-f-]+/pay/$"))
        pay_with_test_card(page)
        expect(page).to_have_url(re.compile(r"/orders/[0-9a-f-]+/$"), timeout=PAID_WAIT_MS)
        expect(page.get_by_test_id("guest-link")).to_be_visible()
        page.screenshot(path=tmp_path / "guest-order.png", full_page=True)

    order = Order.objects.get()
    assert (order.user, order.user_email, order.total_amount) == (None, "guest@example.com", Decimal("40.00"))
    assert order.lines.get().unit_price_amount == Decimal("30.00")
