"""Storefront pages: thin views that render what storefront.pages reads through catalog.selectors."""

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from catalog import selectors
from storefront import pages, relief, searching


def not_found(request, message: str = ""):
    return render(request, "404.html", {"message": message}, status=404)


def page_not_found(request, exception=None):
    """The mall's own 404 page for an address nothing answers (handler404, and with DEBUG on too)."""
    return not_found(request)


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the file lives with the other static files."""
    return HttpResponseRedirect(static("storefront/favicon.ico"))


@require_safe
def home(request):
    channel = selectors.channel_by_slug(None)
    page = pages.home_page(channel, user=request.user)
    return render(request, "storefront/home.html", {"page": page, "shop_is_open": channel is not None})


@require_safe
def category(request, slug: str):
    channel = selectors.channel_by_slug(None)
    page = pages.category_page(channel, slug, request.GET, user=request.user) if channel else None
    if page is None:
        return not_found(request, _("This category does not exist."))
    return render(
        request,
        "storefront/listing.html",
        {"page": page, "empty_message": _("There are no products in this category yet.")},
    )


@require_safe
def collection(request, slug: str):
    channel = selectors.channel_by_slug(None)
    page = pages.collection_page(channel, slug, request.GET, user=request.user) if channel else None
    if page is None:
        return not_found(request, _("This collection does not exist."))
    return render(
        request,
        "storefront/listing.html",
        {"page": page, "empty_message": _("There are no products in this collection yet.")},
    )


@require_safe
def search(request):
    channel = selectors.channel_by_slug(None)
    page = pages.search_page(channel, request.GET, user=request.user) if channel else None
    return render(
        request,
        "storefront/search.html",
        {
            "page": page,
            "query": pages.search_text(request.GET),
            "search_home": None if page else searching.search_home(),
        },
    )


@require_safe
@cache_control(max_age=60, public=True)
def search_suggest(request):
    """Completions for the header's search box (storefront/js/search-suggest.js), as JSON."""
    channel = selectors.channel_by_slug(None)
    payload = searching.suggestions_payload(channel, request.GET.get("q"))
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@require_safe
def relief_zone(request):
    """帮扶专区: certified products grouped by partner region and county, filtered by GET parameters."""
    channel = selectors.channel_by_slug(None)
    page = relief.relief_zone_page(channel, request.GET, user=request.user)
    return render(request, "storefront/relief_zone.html", {"page": page})


@require_safe
def supplier(request, slug: str):
    channel = selectors.channel_by_slug(None)
    page = relief.supplier_page(channel, slug, user=request.user)
    if page is None:
        return not_found(request, "该帮扶供应商不存在或暂未准入。")
    return render(request, "storefront/supplier.html", {"page": page})
