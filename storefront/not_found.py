"""The mall's 404 page even with DEBUG on, where Django would list every URL pattern of the site."""

from django.conf import settings
from django.http import Http404

from storefront.views import page_not_found


class MallNotFoundPageMiddleware:
    """With DEBUG on, an address no URL pattern matches (or a view raising Http404) gets the mall's 404 page.

    With DEBUG off Django already uses handler404. Place it last in MIDDLEWARE: it then sees the response of
    the URL resolver before CommonMiddleware, which still turns a 404 into the redirect that appends a slash.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
