"""Demo shipping zones and vouchers: what a shopper meets at checkout in `make run`."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog.models import Channel
from checkout.models import ShippingMethod, ShippingMethodChannelListing, ShippingZone, Voucher

# Provinces couriers charge extra for (偏远地区), spelled as the address rules spell them.
REMOTE_PROVINCES = ["新疆维吾尔自治区", "西藏自治区", "青海省", "内蒙古自治区", "宁夏回族自治区", "甘肃省"]
NOT_DELIVERED = ["香港", "澳门", "台湾"]

ZONES = [
    # name, provinces, is_default, methods: (name, description, price, free above, days)
    (
        "全国",
        [],
        True,
        [
            ("标准快递", "满99元包邮", "10.00", "99.00", (2, 4)),
            ("顺丰次日达", "当日16点前下单次日送达", "22.00", None, (1, 2)),
        ],
    ),
    ("偏远地区", REMOTE_PROVINCES, False, [("偏远地区快递", "满199元包邮", "25.00", "199.00", (4, 8))]),
    # Listed so that the default zone does not claim them; no method means 暂不支持配送.
    ("港澳台", NOT_DELIVERED, False, []),
]

VOUCHERS = [
    # code, name, type, value, minimum spend
    ("UNION10", "会员满100减10", Voucher.DiscountValueType.FIXED, "10.00", "100.00"),
    ("RELIEF95", "消费帮扶95折", Voucher.DiscountValueType.PERCENTAGE, "5", None),
]


@transaction.atomic
def seed_buying(channel: Channel) -> None:
    for zone_name, provinces, is_default, methods in ZONES:
        zone, _ = ShippingZone.objects.get_or_create(
            name=zone_name, defaults={"provinces": provinces, "is_default": is_default}
        )
        zone.channels.add(channel)
        for name, description, price, free_above, (fastest, slowest) in methods:
            method, _ = ShippingMethod.objects.get_or_create(
                zone=zone,
                name=name,
                defaults={
                    "description": description,
                    "minimum_delivery_days": fastest,
                    "maximum_delivery_days": slowest,
                },
            )
            ShippingMethodChannelListing.objects.get_or_create(
                shipping_method=method,
                channel=channel,
                defaults={
                    "price_amount": Decimal(price),
                    "free_above_amount": Decimal(free_above) if free_above else None,
                },
            )
    for code, name, value_type, value, minimum in VOUCHERS:
        voucher, _ = Voucher.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "discount_value_type": value_type,
                "discount_value": Decimal(value),
                "min_spent_amount": Decimal(minimum) if minimum else None,
                "start_date": timezone.now() - timedelta(days=1),
                "end_date": timezone.now() + timedelta(days=365),
            },
        )
        voucher.channels.add(channel)
