"""Operators set up shipping zones, methods with their channel prices, and vouchers in the back office."""

from decimal import Decimal

import pytest
from django.test import Client

from checkout.models import ShippingMethod, ShippingZone, Voucher


@pytest.fixture
def admin_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("admin@example.com", "pass-1234-word"))
    return client


def zone_form(**fields) -> dict:
    form = {
        "name": "偏远地区",
        "provinces": "新疆维吾尔自治区,西藏自治区",
        "shipping_methods-TOTAL_FORMS": "1",
        "shipping_methods-INITIAL_FORMS": "0",
        "shipping_methods-0-name": "偏远地区快递",
        "shipping_methods-0-minimum_delivery_days": "5",
        "shipping_methods-0-maximum_delivery_days": "10",
    }
    return {**form, **fields}


def test_a_zone_is_created_with_its_methods(admin_client):
    response = admin_client.post("/admin/checkout/shippingzone/add/", zone_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    zone = ShippingZone.objects.get()
    assert zone.provinces == ["新疆维吾尔自治区", "西藏自治区"]
    assert list(zone.shipping_methods.values_list("name", flat=True)) == ["偏远地区快递"]


def test_a_misspelt_province_is_refused(admin_client):
    response = admin_client.post("/admin/checkout/shippingzone/add/", zone_form(provinces="新疆,西藏自治区"))
    assert response.status_code == 200
    assert "以下省份不在官方行政区划中：新疆" in response.content.decode()
    assert not ShippingZone.objects.exists()


def test_a_method_is_priced_per_channel_inline(admin_client, channel):
    zone = ShippingZone.objects.create(name="全国", is_default=True)
    method = ShippingMethod.objects.create(zone=zone, name="标准快递")
    response = admin_client.post(
        f"/admin/checkout/shippingmethod/{method.pk}/change/",
        {
            "zone": zone.pk,
            "name": "标准快递",
            "description": "",
            "minimum_delivery_days": "2",
            "maximum_delivery_days": "4",
            "channel_listings-TOTAL_FORMS": "1",
            "channel_listings-INITIAL_FORMS": "0",
            "channel_listings-0-channel": channel.pk,
            "channel_listings-0-price_amount": "8.00",
            "channel_listings-0-free_above_amount": "99.00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = method.channel_listings.get()
    assert (listing.price_amount, listing.free_above_amount) == (Decimal("8.00"), Decimal("99.00"))


def test_the_lists_show_in_chinese(admin_client, channel):
    zone = ShippingZone.objects.create(name="偏远地区", provinces=["青海省"])
    ShippingMethod.objects.create(zone=zone, name="偏远地区快递", minimum_delivery_days=5, maximum_delivery_days=10)
    voucher = Voucher.objects.create(
        code="NINE", discount_value_type="PERCENTAGE", discount_value=Decimal("10"), start_date="2026-01-01T00:00Z"
    )
    voucher.channels.add(channel)
    assert "青海省" in admin_client.get("/admin/checkout/shippingzone/").content.decode()
    assert "5–10 天" in admin_client.get("/admin/checkout/shippingmethod/").content.decode()
    page = admin_client.get("/admin/checkout/voucher/").content.decode()
    assert "10% 折扣" in page
    assert "0 / 不限" in page


def test_a_voucher_ending_before_it_starts_is_refused(admin_client, channel):
    response = admin_client.post(
        "/admin/checkout/voucher/add/",
        {
            "code": "BAD",
            "name": "",
            "discount_value_type": "FIXED",
            "discount_value": "5",
            "start_date_0": "2026-02-01",
            "start_date_1": "00:00:00",
            "end_date_0": "2026-01-01",
            "end_date_1": "00:00:00",
            "channels": [channel.pk],
        },
    )
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间" in response.content.decode()
    assert not Voucher.objects.exists()
