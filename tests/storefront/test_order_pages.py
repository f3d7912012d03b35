"""我的订单: the list with 待支付 badges, the detail with its timeline, 取消订单, and a guest's link."""

import uuid

import pytest
from django.core import mail

from orders.models import Order, OrderStatus
from tests.orders.helpers import pay, stock_of
from tests.storefront.buying import make_member, place_order
from tests.storefront.html import attributes, texts


def test_the_order_list_shows_number_status_total_and_a_pay_button_with_the_deadline(member_client, member, shop):
    unpaid = place_order(shop, [(shop.tea_small, 2)], user=member)
    paid = pay(place_order(shop, [(shop.rice, 1)], user=member))

    response = member_client.get("/account/orders/")

    assert response.status_code == 200
    assert texts(response, "order-card__number") == [f"订单 {paid.number}", f"订单 {unpaid.number}"]
    assert texts(response, "order-status") == ["待发货", "待支付"]
    assert texts(response, "badge") == ["待支付"]
    due = texts(response, "order-card__due")[0]
    assert due.startswith("待支付 请在 ") and due.endswith(" 前支付")
    # 2 × ¥25.00 member price + ¥10 shipping; ¥50 rice + ¥10 shipping.
    assert [text.split(" · ")[-1] for text in texts(response, "order-card__meta")] == ["实付 ¥60.00", "实付 ¥60.00"]
    assert attributes(response, "order-card__actions")
    assert [a["href"] for a in attributes(response, "button") if "pay" in a.get("href", "")] == [
        f"/account/orders/{unpaid.pk}/pay/"
    ]


def test_someone_without_orders_sees_a_friendly_empty_list(member_client):
    response = member_client.get("/account/orders/")
    assert texts(response, "empty__title") == ["还没有订单"]


def test_the_order_list_asks_for_sign_in(client, db):
    response = client.get("/account/orders/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


@pytest.mark.parametrize("count", [1, 6])
def test_the_order_list_runs_the_same_queries_for_1_or_6_orders(
    member_client, member, shop, count, django_assert_num_queries
):
    for _ in range(count):
        place_order(shop, [(shop.tea_small, 1), (shop.tea_large, 1)], user=member)
    member_client.get("/account/orders/")  # menus and channels cached from here on

    # session, user, count, orders page, their lines
    with django_assert_num_queries(5):
        response = member_client.get("/account/orders/")
    assert len(texts(response, "order-card__number")) == count


def test_the_order_detail_shows_lines_amounts_address_and_a_chinese_timeline(member_client, member, shop):
    order = place_order(shop, [(shop.tea_small, 2)], user=member)

    response = member_client.get(f"/account/orders/{order.pk}/")

    assert response.status_code == 200
    assert texts(response, "account__title") == [f"订单 {order.number}"]
    assert texts(response, "item") == ["普洱茶 · 规格1 × 2 ¥50.00"]
    assert texts(response, "totals__row") == ["商品小计 ¥50.00", "运费 ¥10.00", "应付 ¥60.00"]
    assert "广东省深圳市南山区 深南大道 6008 号" in texts(response, "account__panel")[2]
    assert texts(response, "timeline__label") == ["订单已提交"]
    assert texts(response, "button") == ["去支付", "取消订单"]


def test_a_paid_order_shows_paid_in_its_timeline_and_offers_neither_pay_nor_cancel(member_client, member, shop):
    order = pay(place_order(shop, [(shop.tea_small, 1)], user=member))

    response = member_client.get(f"/account/orders/{order.pk}/")

    assert texts(response, "order-status") == ["待发货"]
    assert texts(response, "timeline__label") == ["订单已提交", "支付成功"]
    assert texts(response, "button") == []


def test_nobody_sees_another_members_order(client, django_user_model, member, shop):
    order = place_order(shop, [(shop.tea_small, 1)], user=member)
    client.force_login(make_member(django_user_model, "other@example.com"))

    assert client.get(f"/account/orders/{order.pk}/").status_code == 404
    assert client.get(f"/account/orders/{order.pk}/pay/").status_code == 404
    assert client.post(f"/account/orders/{order.pk}/cancel/").status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNCONFIRMED


def test_a_members_order_is_not_reachable_through_the_guest_link(client, member, shop):
    order = place_order(shop, [(shop.tea_small, 1)], user=member)
    assert client.get(f"/orders/{order.pk}/").status_code == 404


def test_an_unknown_order_id_is_a_404(member_client):
    assert member_client.get(f"/account/orders/{uuid.uuid4()}/").status_code == 404
    assert member_client.get("/account/orders/not-a-uuid/").status_code == 404


# --- 取消订单 ------------------------------------------------------------------------------------------------
def test_cancelling_an_unpaid_order_gives_its_stock_back_and_says_so(member_client, member, shop):
    order = place_order(shop, [(shop.tea_small, 2)], user=member)
    assert stock_of(shop.tea_small) == (10, 2)

    response = member_client.post(f"/account/orders/{order.pk}/cancel/", follow=True)

    assert texts(response, "notice") == [f"订单 {order.number} 已取消。"]
    assert texts(response, "order-status") == ["已取消"]
    assert texts(response, "timeline__label")[1:] == ["订单已取消", "库存已释放"]
    assert stock_of(shop.tea_small) == (10, 0)


def test_a_paid_order_cannot_be_cancelled_by_its_buyer(member_client, member, shop):
    order = pay(place_order(shop, [(shop.tea_small, 1)], user=member))

    response = member_client.post(f"/account/orders/{order.pk}/cancel/", follow=True)

    assert texts(response, "notice--error")[0].startswith("订单状态为")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNFULFILLED


def test_cancel_needs_a_post_with_csrf(member, shop):
    from django.test import Client

    order = place_order(shop, [(shop.tea_small, 1)], user=member)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.get(f"/account/orders/{order.pk}/cancel/").status_code == 405
    assert client.post(f"/account/orders/{order.pk}/cancel/").status_code == 403
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNCONFIRMED


# --- Guests ---------------------------------------------------------------------------------------------------
def test_a_guest_sees_their_order_through_its_link_which_the_email_carries(
    client, shop, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(shop, [(shop.tea_small, 1)], email="guest@example.com")

    response = client.get(f"/orders/{order.pk}/")

    assert response.status_code == 200
    assert texts(response, "order-status") == ["待支付"]
    assert texts(response, "item") == ["普洱茶 · 规格1 × 1 ¥30.00"]  # a guest pays the list price
    assert f"/orders/{order.pk}/" in texts(response, "guest-link")[0]
    assert texts(response, "button") == ["去支付"]  # no cancel through a link
    assert f"/orders/{order.pk}/" in mail.outbox[-1].body
