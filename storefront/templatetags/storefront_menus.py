"""The header's and footer's links: Saleor's `navbar` and `footer` menus, read once per request."""

from django import template
from django.conf import settings

from content.selectors import cached_storefront_menus

register = template.Library()


@register.simple_tag(takes_context=True)
def storefront_menus(context) -> dict:
    """{"navbar": [MenuLink, ...], "footer": [...]}: from the cache, or one query, shared by every use in the page."""
    request = context.get("request")
    menus = getattr(request, "_storefront_menus", None)
    if menus is None:
        menus = cached_storefront_menus(channel_slug=settings.DEFAULT_CHANNEL_SLUG)
        if request is not None:
            request._storefront_menus = menus
    return menus
