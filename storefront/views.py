"""Storefront pages: thin views over catalog.selectors."""

from django.http import HttpResponse


def home(request):
    return HttpResponse("工会商城")
