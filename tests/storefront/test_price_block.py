"""storefront/includes/price.html: the viewer sees the price that applies to them, and what 会员价 means."""

from decimal import Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import reverse

from mall.money import Money
from tests import factories
from tests.storefront.html import attributes, texts


def prices(*, member_price="35.00", verified_member=False, varies=False):
    """Prices as storefront.display gives them: what the viewer pays, and the other one for comparison."""
    list_price = Money(Decimal("39.90"), "CNY")
    member = Money(Decimal(member_price), "CNY") if member_price else None
    pays_member_price = bool(verified_member and member)
    return SimpleNamespace(
        price=member if pays_member_price else list_price,
        member_price=None if verified_member else member,
        list_price=list_price if pays_member_price else None,
        pays_member_price=pays_member_price,
        price_varies=varies,
    )


def render(**context):
    return SimpleNamespace(content=render_to_string("storefront/includes/price.html", context).encode())


def test_someone_who_is_not_a_verified_member_sees_the_list_price_then_the_member_price_and_who_gets_it(db):
    block = render(prices=prices(), size="card", explain=False)
    assert texts(block, "prices__main") == ["¥39.90"]
    assert texts(block, "member-price") == ["会员价¥35.00"]
    assert texts(block, "prices__note") == ["认证会员专享"]


def test_a_verified_member_sees_the_member_price_first_and_the_list_price_for_comparison(db):
    block = render(prices=prices(verified_member=True, varies=True), size="large", explain=True)
    assert texts(block, "prices__main") == ["会员价¥35.00起"]
    assert texts(block, "prices__other") == ["原价 ¥39.90"]
    assert texts(block, "prices__note") == ["您已通过实名认证，按会员价结算。"]
    assert texts(block, "prices__help") == []


def test_a_product_without_a_member_price_shows_only_its_price(db):
    block = render(prices=prices(member_price=None, verified_member=True), size="card", explain=True)
    assert texts(block, "prices") == ["¥39.90"]


def test_the_product_page_price_links_to_the_page_explaining_member_verification(db):
    block = render(prices=prices(), size="large", explain=True)
    assert texts(block, "prices__help") == ["实名认证会员专享 · 如何认证 ›"]
    assert attributes(block, "prices__help")[0]["href"] == reverse(
        "storefront:page", kwargs={"slug": "member-verification"}
    )


def test_cards_explain_the_member_price_without_a_link_inside_the_card_link(db):
    block = render(prices=prices(), size="card", explain=False)
    assert texts(block, "prices__note") == ["认证会员专享"]
    assert attributes(block, "prices__help") == []


def test_listing_pages_say_once_what_member_prices_are_and_link_how_to_verify(client, channel, rice):
    response = client.get("/categories/food/")
    assert texts(response, "member-note") == ["会员价为实名认证的工会会员专享。 如何认证 ›"]
    assert attributes(response, "member-note__link")[0]["href"] == reverse(
        "storefront:page", kwargs={"slug": "member-verification"}
    )


def test_home_cards_hold_no_link_inside_their_own_link(client, channel, rice):
    factories.collection(channel=channel, slug="relief-zone", name="帮扶专区", products=[rice])
    response = client.get("/")
    assert texts(response, "hero__link") == ["什么是会员价？如何认证 ›"]
    assert texts(response, "prices__note") == ["认证会员专享"]
    assert attributes(response, "prices__help") == []
