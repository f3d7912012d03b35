"""Template helpers of the storefront: prices in yuan, the mall's name, links that may not exist yet, who is in."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from mall.money import Money

register = template.Library()

CURRENCY_SYMBOLS = {"CNY": "¥"}
# The content page that says what 会员价 is and how to become a verified member (storefront:page).
MEMBER_VERIFICATION_PAGE_SLUG = "member-verification"
MAINLAND_PREFIX = "+86"


@register.simple_tag
def price(money: Money | None, css_class: str = "price"):
    """¥12.80 as <span class="price"><small>¥</small>12<small>.80</small></span>; empty for no price."""
    if money is None:
        return ""
    whole, _dot, cents = f"{money.amount:.2f}".partition(".")
    symbol = CURRENCY_SYMBOLS.get(money.currency, money.currency + " ")
    return format_html(
        '<span class="{}"><small class="price-symbol">{}</small>{}<small>.{}</small></span>',
        css_class,
        symbol,
        whole,
        cents,
    )


@register.simple_tag
def mall_name() -> str:
    return settings.MALL_NAME


@register.simple_tag
def member_verification_url() -> str:
    """The page explaining what 会员价 is and how real-name verification gets it."""
    return reverse("storefront:page", kwargs={"slug": MEMBER_VERIFICATION_PAGE_SLUG})


def masked_mobile(phone: str) -> str:
    """+8613800138000 → 138****8000: enough for the owner to recognise, not enough for a shoulder to read."""
    digits = phone.removeprefix(MAINLAND_PREFIX)
    if len(digits) < 7:
        return digits
    return f"{digits[:3]}****{digits[-4:]}"


@register.filter
def account_label(user) -> str:
    """How the header names the signed-in person: their name, else their masked mobile, else their e-mail's name."""
    name = f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()
    if name:
        return name
    phone = getattr(user, "phone", "") or ""
    if phone:
        return masked_mobile(phone)
    return (getattr(user, "email", "") or "").partition("@")[0]
