"""Template helpers of the storefront: prices in yuan, the mall's name."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from mall.money import Money

register = template.Library()

CURRENCY_SYMBOLS = {"CNY": "¥"}


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
