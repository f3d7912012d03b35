"""The admin's payment pages: transactions read-only, and a refund page that calls the refund service."""

from decimal import Decimal

import pytest
from django.test import Client

from mall.permissions import PermissionEnum
from orders.models import OrderGrantedRefund
from payments import services
from tests.payments import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(channel, django_user_model, stripe_settings, shopper_stripe):
    member = django_user_model.objects.create_user("buyer@example.com", factories.PASSWORD)
    order = factories.order(channel=channel, user=member)
    item, _, _ = services.initialize_transaction(order=order)
    shopper_stripe.pay(item.psp_reference)
    item, _, _ = services.process_transaction(item)
    return order, item


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(django_user_model):
    user = django_user_model.objects.create_user("clerk@example.com", factories.PASSWORD, is_staff=True)
    return factories.grant(user, PermissionEnum.MANAGE_ORDERS)


def refund_url(item) -> str:
    return f"/admin/payments/transactionitem/{item.pk}/refund/"


def test_a_clerk_sees_a_transaction_with_its_events_and_cannot_edit_it(paid, clerk):
    _, item = paid

    page = admin_client(clerk).get(f"/admin/payments/transactionitem/{item.pk}/change/")

    assert page.status_code == 200
    assert "支付成功" in page.content.decode()  # the CHARGE_SUCCESS event's message, from the inline
    assert b'name="_save"' not in page.content


def test_a_clerk_refunds_from_the_admin_once_however_often_the_form_is_sent(paid, clerk, shopper_stripe):
    order, item = paid
    client = admin_client(clerk)
    form = client.get(refund_url(item))
    token = form.context["form"].initial["request_token"]
    data = {"amount": "25.00", "reason": "退一件", "request_token": token}

    first = client.post(refund_url(item), data)
    second = client.post(refund_url(item), data)

    assert (first.status_code, second.status_code) == (302, 302)
    granted = OrderGrantedRefund.objects.get()
    assert (granted.amount, granted.reason, granted.user) == (Decimal("25.00"), "退一件", clerk)
    charge = shopper_stripe.intent(item.psp_reference).to_dict()["latest_charge"]
    assert charge["amount_refunded"] == 2500


def test_too_large_an_amount_is_shown_on_the_form_and_nothing_is_refunded(paid, clerk):
    _, item = paid
    client = admin_client(clerk)

    page = client.post(refund_url(item), {"amount": "120.00", "reason": "多退", "request_token": "t-1"})

    assert page.status_code == 200
    assert "退款金额超过可退金额 ¥99.00。" in page.content.decode()
    assert not OrderGrantedRefund.objects.exists()


def test_staff_without_manage_orders_cannot_refund(paid, django_user_model):
    _, item = paid
    viewer = django_user_model.objects.create_user("viewer@example.com", factories.PASSWORD, is_staff=True)
    viewer = factories.grant(viewer, PermissionEnum.HANDLE_PAYMENTS)

    page = admin_client(viewer).post(refund_url(item), {"amount": "5.00", "reason": "试试", "request_token": "t-2"})

    assert page.status_code == 200
    assert "需要「管理订单」权限才能退款。" in page.content.decode()
    assert not OrderGrantedRefund.objects.exists()
