from django.urls import include, path, register_converter

from content import views as content_views
from storefront import member_views, views


class SlugText:
    """A slug as catalog models allow it (letters of any script, digits, "-" and "_"); anything else is a 404."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SlugText, "slugtext")

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("categories/<slugtext:slug>/", views.category, name="category"),
    path("collections/<slugtext:slug>/", views.collection, name="collection"),
    path("products/<slugtext:slug>/", views.product, name="product"),
    path("account/verification/", member_views.member_verification, name="member_verification"),
    path("account/", include("storefront.account_urls")),
    path("cart/", views.cart, name="cart"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("pages/<slugtext:slug>/", content_views.page, name="page"),
]
