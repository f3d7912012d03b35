"""结算: e-mail, address (address book or new), shipping, voucher, allowance, totals and 提交订单."""

from decimal import Decimal

import pytest
from django.test import Client

from checkout.models import Checkout
from orders.models import Order
from tests.storefront.buying import (
    ADDRESS,
    cart_rows,
    guest_session,
    issue_allowance,
    make_voucher,
    ready_checkout,
    saved_address,
)
from tests.storefront.html import attributes, texts


def new_address(**changes):
    return {f"new-{name}": value for name, value in {**ADDRESS, **changes}.items()}


def test_an_empty_cart_has_no_checkout_and_leads_back_to_the_cart(client, shop):
    response = client.get("/checkout/", follow=True)
    assert response.redirect_chain == [("/cart/", 302)]
    assert texts(response, "flash__item") == ["购物车是空的，先去挑选商品吧。"]


def test_a_guest_checks_out_with_an_email_at_list_prices(client, shop):
    guest_session(client, cart_rows(shop.channel, [(shop.tea_small, 2)]))

    client.post("/checkout/email/", {"email": "guest@example.com"})
    client.post("/checkout/address/", new_address())
    page = client.get("/checkout/")
    assert texts(page, "choice__name") == ["快递", "顺丰"]
    assert texts(page, "shipping-address") == ["李晓梅 +8613800138000 广东省深圳市南山区 深南大道 6008 号"]
    client.post("/checkout/shipping/", {"shipping_method": shop.express.pk})
    page = client.get("/checkout/")
    assert texts(page, "totals__row") == ["商品小计 ¥60.00", "运费 ¥10.00", "应付 ¥70.00"]

    response = client.post("/checkout/complete/")

    order = Order.objects.get()
    assert (order.user, order.user_email, order.total_amount) == (None, "guest@example.com", Decimal("70.00"))
    assert order.lines.get().unit_price_amount == Decimal("30.00")
    assert response["Location"] == f"/orders/{order.pk}/pay/"
    assert not Checkout.objects.exists()
    assert "checkout_token" not in client.session


def test_a_member_chooses_an_address_from_their_address_book(member_client, member, shop):
    address = saved_address(member, city_area="福田区")
    checkout = cart_rows(shop.channel, [(shop.tea_small, 1)], user=member)

    page = member_client.get("/checkout/")
    assert texts(page, "choice__text")[0] == "李晓梅 +8613800138000 广东省深圳市福田区 深南大道 6008 号"
    member_client.post("/checkout/address/", {"address": address.pk})

    checkout.refresh_from_db()
    assert checkout.shipping_address.city_area == "福田区"
    assert checkout.shipping_address_id != address.pk  # the checkout holds a copy: editing the book later is safe


def test_shipping_is_free_over_the_threshold_and_says_baoyou(member_client, member, shop):
    ready_checkout(shop, [(shop.tea_small, 4)], user=member)  # 4 × ¥25 = ¥100 ≥ ¥99

    page = member_client.get("/checkout/")

    assert texts(page, "choice__price") == ["包邮", "¥20.00"]
    assert texts(page, "totals__row") == ["商品小计 ¥100.00", "运费 包邮", "应付 ¥100.00"]


def test_a_member_places_an_order_at_member_prices_and_is_sent_to_pay(member_client, member, shop):
    ready_checkout(shop, [(shop.tea_small, 2)], user=member)

    response = member_client.post("/checkout/complete/")

    order = Order.objects.get()
    assert (order.user, order.total_amount) == (member, Decimal("60.00"))
    assert response["Location"] == f"/account/orders/{order.pk}/pay/"


@pytest.mark.parametrize(
    ("changes", "field", "message_part"),
    [
        ({"country_area": ""}, "new-country_area", ""),
        ({"postal_code": "12"}, "new-postal_code", ""),
        ({"phone": "123"}, "new-phone", ""),
    ],
)
def test_a_bad_new_address_is_refused_beside_its_field_and_nothing_changes(client, shop, changes, field, message_part):
    checkout = cart_rows(shop.channel, [(shop.tea_small, 1)], email="guest@example.com")
    guest_session(client, checkout)

    response = client.post("/checkout/address/", new_address(**changes))

    assert response.status_code == 400
    errors = [a["id"] for a in attributes(response, "form__error")]
    assert f"id_{field}-error" in errors
    assert all(any("\u4e00" <= char <= "\u9fff" for char in text) for text in texts(response, "form__error"))
    checkout.refresh_from_db()
    assert checkout.shipping_address is None


def test_someone_elses_saved_address_cannot_be_chosen(member_client, member, django_user_model, shop):
    from tests.storefront.buying import make_member

    stranger = saved_address(make_member(django_user_model, "stranger@example.com"))
    checkout = cart_rows(shop.channel, [(shop.tea_small, 1)], user=member)

    response = member_client.post("/checkout/address/", {"address": stranger.pk})

    assert response.status_code == 400
    assert "请选择您地址簿中的地址。" in texts(response, "form__error")
    checkout.refresh_from_db()
    assert checkout.shipping_address is None


@pytest.mark.parametrize(("email", "message"), [("", "请填写电子邮箱。"), ("not-an-email", "请填写有效的电子邮箱。")])
def test_a_bad_email_is_refused_and_nothing_changes(client, shop, email, message):
    checkout = cart_rows(shop.channel, [(shop.tea_small, 1)], email="first@example.com")
    guest_session(client, checkout)

    response = client.post("/checkout/email/", {"email": email})

    assert response.status_code == 400
    assert texts(response, "form__error") == [message]
    checkout.refresh_from_db()
    assert checkout.email == "first@example.com"


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_a_shipping_method_not_offered_is_refused(member_client, member, shop, value):
    checkout = ready_checkout(shop, [(shop.tea_small, 1)], user=member)

    response = member_client.post("/checkout/shipping/", {"shipping_method": value})

    assert response.status_code == 400
    assert texts(response, "form__error")[0] in ("请选择配送方式。", "该配送方式不适用于您的收货地址。")
    checkout.refresh_from_db()
    assert checkout.shipping_method == shop.express


def test_placing_an_order_without_shipping_says_what_is_missing_and_places_nothing(member_client, member, shop):
    cart_rows(shop.channel, [(shop.tea_small, 1)], user=member)

    response = member_client.post("/checkout/complete/")

    assert response.status_code == 400
    assert texts(response, "form__errors")[0] in ("请填写收货地址。", "请选择配送方式。")
    assert not Order.objects.exists()


def test_a_guest_without_an_email_cannot_place_an_order(client, shop):
    checkout = ready_checkout(shop, [(shop.tea_small, 1)], email="")
    guest_session(client, checkout)

    response = client.post("/checkout/complete/")

    assert response.status_code == 400
    assert texts(response, "form__errors") == ["请填写电子邮箱。"]
    assert not Order.objects.exists()


# --- Voucher --------------------------------------------------------------------------------------------------
def test_a_voucher_takes_its_discount_off_and_can_be_removed(member_client, member, shop):
    make_voucher(shop.channel, "MID-AUTUMN", "5.00")
    checkout = ready_checkout(shop, [(shop.tea_small, 2)], user=member)

    member_client.post("/checkout/voucher/", {"code": "MID-AUTUMN"})
    page = member_client.get("/checkout/")
    assert texts(page, "totals__row") == ["商品小计 ¥50.00", "优惠 −¥5.00", "运费 ¥10.00", "应付 ¥55.00"]

    member_client.post("/checkout/voucher/remove/")
    checkout.refresh_from_db()
    assert (checkout.voucher, checkout.voucher_code) == (None, "")


@pytest.mark.parametrize("code", ["NO-SUCH-CODE", ""])
def test_an_unknown_voucher_code_is_refused_in_chinese_and_nothing_changes(member_client, member, shop, code):
    checkout = ready_checkout(shop, [(shop.tea_small, 1)], user=member)

    response = member_client.post("/checkout/voucher/", {"code": code})

    assert response.status_code == 400
    error = texts(response, "form__error")[0]
    assert any("\u4e00" <= char <= "\u9fff" for char in error)
    checkout.refresh_from_db()
    assert checkout.voucher is None


# --- Allowance ------------------------------------------------------------------------------------------------
def test_the_allowance_shows_its_balance_what_applies_and_can_be_switched_on_and_off(member_client, member, shop):
    issue_allowance(member, "30.00")
    checkout = ready_checkout(shop, [(shop.tea_small, 2)], user=member)

    page = member_client.get("/checkout/")
    assert texts(page, "step__value")[-1] == "余额 ¥30.00，本单可抵扣 ¥30.00"

    member_client.post("/checkout/allowance/", {"use": "on"})
    page = member_client.get("/checkout/")
    assert texts(page, "totals__row") == ["商品小计 ¥50.00", "运费 ¥10.00", "福利额度抵扣 −¥30.00", "应付 ¥30.00"]

    member_client.post("/checkout/allowance/", {"use": ""})
    checkout.refresh_from_db()
    assert checkout.allowance_requested is None


def test_a_guest_is_offered_no_allowance_and_cannot_switch_it_on(client, shop):
    checkout = ready_checkout(shop, [(shop.tea_small, 1)])
    guest_session(client, checkout)

    assert texts(client.get("/checkout/"), "allowance-offer") == []
    response = client.post("/checkout/allowance/", {"use": "on"})
    assert response.status_code == 400
    assert texts(response, "form__errors") == ["福利额度仅限登录的会员使用。"]
    checkout.refresh_from_db()
    assert checkout.allowance_requested is None


def test_an_order_paid_wholly_by_allowance_skips_payment(member_client, member, shop):
    issue_allowance(member, "200.00")
    ready_checkout(shop, [(shop.tea_small, 4)], user=member)  # ¥100, ships free
    member_client.post("/checkout/allowance/", {"use": "on"})

    response = member_client.post("/checkout/complete/", follow=True)

    order = Order.objects.get()
    assert (order.total_amount, order.allowance_amount, order.is_paid) == (Decimal("0.00"), Decimal("100.00"), True)
    assert response.redirect_chain == [(f"/account/orders/{order.pk}/", 302)]
    assert texts(response, "order-status") == ["待发货"]


# --- CSRF -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/checkout/email/",
        "/checkout/address/",
        "/checkout/shipping/",
        "/checkout/voucher/",
        "/checkout/voucher/remove/",
        "/checkout/allowance/",
        "/checkout/complete/",
    ],
)
def test_every_checkout_change_needs_the_csrf_token(shop, path):
    client = Client(enforce_csrf_checks=True)
    guest_session(client, ready_checkout(shop, [(shop.tea_small, 1)]))

    assert client.post(path, {"email": "x@example.com"}).status_code == 403
    assert not Order.objects.exists()
