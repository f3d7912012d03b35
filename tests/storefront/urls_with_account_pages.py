"""The mall's URLs plus stand-ins for the storefront pages other parts of the mall provide (sign-in, my account,
content pages), so that tests can check the header and the price block link to them by name."""

from django.http import HttpResponse
from django.urls import include, path

from mall.urls import urlpatterns as mall_urlpatterns
from storefront.urls import urlpatterns as storefront_urlpatterns


def stand_in(request, **kwargs):
    return HttpResponse("stand-in")


storefront_with_stand_ins = [
    *storefront_urlpatterns,
    path("stand-in/login/", stand_in, name="login"),
    path("stand-in/account/", stand_in, name="account"),
    path("stand-in/pages/<slug:slug>/", stand_in, name="page"),
]

urlpatterns = [
    *(pattern for pattern in mall_urlpatterns if getattr(pattern, "app_name", None) != "storefront"),
    path("", include((storefront_with_stand_ins, "storefront"))),
]
