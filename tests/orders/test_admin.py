"""Operators read orders in the admin and cancel them through the same service as the API."""

import pytest
from django.test import Client
from django.urls import reverse

from orders.models import Order, OrderStatus
from orders.services import complete_checkout
from tests.orders.conftest import make_checkout, make_user
from tests.orders.helpers import pay, stock_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:orders_order_changelist")


@pytest.fixture
def operator(order_manager):
    client = Client()
    client.force_login(order_manager)
    return client


@pytest.fixture
def placed(shop, member, tea):
    order, _ = complete_checkout(make_checkout(shop, [(tea, 2)], user=member, email="member@example.com"), user=member)
    return order


def test_the_list_shows_number_status_charge_total_and_customer(operator, placed):
    response = operator.get(CHANGELIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert str(placed.number) in page and "member@example.com" in page
    assert "待确认" in page and "未支付" in page and "60.00" in page  # 2 × ¥25 + ¥10 shipping


def test_the_list_searches_by_number_and_email(operator, placed, shop, tea):
    other, _ = complete_checkout(make_checkout(shop, [(tea, 1)], email="guest@example.com"), user=None)
    assert list(operator.get(CHANGELIST, {"q": str(placed.number)}).context["cl"].result_list) == [placed]
    assert list(operator.get(CHANGELIST, {"q": "guest@"}).context["cl"].result_list) == [other]
    # Too long for an order number: searched as text, not sent to the integer column.
    assert operator.get(CHANGELIST, {"q": "9" * 30}).status_code == 200


def test_the_detail_page_shows_lines_and_events_and_nothing_is_editable(operator, placed):
    page = operator.get(reverse("admin:orders_order_change", args=[placed.pk])).content.decode()
    assert "普洱茶" in page and "已下单" in page
    assert 'name="status"' not in page and 'name="lines-0-quantity"' not in page


def test_the_cancel_action_gives_the_stock_back(operator, placed, shop, tea):
    paid, _ = complete_checkout(make_checkout(shop, [(tea, 1)]), user=None)
    pay(paid)

    response = operator.post(
        CHANGELIST, {"action": "cancel_orders", "_selected_action": [placed.pk, paid.pk]}, follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert "已取消 1 个订单。" in messages
    assert any(str(paid.number) in message and "退款" in message for message in messages)
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.CANCELED
    assert Order.objects.get(pk=paid.pk).status == OrderStatus.UNFULFILLED
    assert stock_of(tea) == (10, 1)


def test_staff_without_manage_orders_see_no_orders(django_user_model, placed):
    client = Client()
    client.force_login(make_user(django_user_model, "clerk@example.com", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
