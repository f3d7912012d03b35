"""The demo's shipping zones and vouchers: what a shopper meets at checkout in `make run`."""

from decimal import Decimal

from accounts.models import Address
from catalog.models import Channel
from checkout.models import Checkout, ShippingMethodChannelListing, Voucher
from checkout.selectors import shipping_listings_for, shipping_zone_for


def listings_for(province: str, subtotal: str) -> dict[str, ShippingMethodChannelListing]:
    address = Address.objects.create(country_area=province, city="某市", street_address_1="某路1号")
    checkout = Checkout(channel=Channel.objects.get(slug="union-mall"), shipping_address=address)
    return {listing.shipping_method.name: listing for listing in shipping_listings_for(checkout, Decimal(subtotal))}


def test_ordinary_provinces_get_standard_delivery_free_from_99_and_an_express_option(demo):
    listings = listings_for("广东省", "50.00")
    assert set(listings) == {"标准快递", "顺丰次日达"}
    standard = listings["标准快递"]
    assert (standard.price_amount, standard.free_above_amount) == (Decimal("10.00"), Decimal("99.00"))


def test_remote_provinces_pay_more_and_are_free_only_from_199(demo):
    listings = listings_for("新疆维吾尔自治区", "120.00")
    assert set(listings) == {"偏远地区快递"}
    assert listings["偏远地区快递"].price_amount > Decimal("10.00")
    assert listings["偏远地区快递"].free_above_amount == Decimal("199.00")


def test_hong_kong_macau_and_taiwan_are_not_delivered_to(demo):
    assert shipping_zone_for("香港").name == "港澳台"
    assert listings_for("台湾", "500.00") == {}


def test_the_demo_vouchers_are_valid_now_in_the_demo_channel(demo):
    codes = set(Voucher.objects.filter(channels__slug="union-mall").values_list("code", flat=True))
    assert {"UNION10", "RELIEF95"} <= codes
