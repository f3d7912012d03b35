"""The mall's URLs without the storefront pages other parts of the mall provide (sign-in, my account, content
pages), so that tests can check what the header and the price block fall back to while those are missing."""

from django.urls import include, path

from mall.urls import urlpatterns as mall_urlpatterns
from storefront.urls import urlpatterns as storefront_urlpatterns

PROVIDED_ELSEWHERE = {"login", "logout", "register", "account", "page"}

storefront_only = [
    pattern for pattern in storefront_urlpatterns if getattr(pattern, "name", None) not in PROVIDED_ELSEWHERE
]

urlpatterns = [
    *(pattern for pattern in mall_urlpatterns if getattr(pattern, "app_name", None) != "storefront"),
    path("", include((storefront_only, "storefront"))),
]
