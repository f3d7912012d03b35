from django.urls import path

from storefront import views

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("categories/<str:slug>/", views.category, name="category"),
    path("collections/<str:slug>/", views.collection, name="collection"),
    path("products/<str:slug>/", views.product, name="product"),
]
