"""The account pages, under /account/, named in the storefront namespace (storefront:login, ...)."""

from django.urls import path

from storefront import account_views as views
from storefront import allowance_views, order_views

urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register, name="register"),
    path("confirm/", views.confirm_account, name="confirm_account"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/set/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/change/", views.password_change, name="password_change"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/new/", views.address_add, name="address_add"),
    path("addresses/<int:pk>/", views.address_edit, name="address_edit"),
    path("addresses/<int:pk>/delete/", views.address_delete, name="address_delete"),
    path("addresses/<int:pk>/default/", views.address_set_default, name="address_set_default"),
    path("allowances/", allowance_views.allowances, name="allowances"),
    path("orders/", order_views.orders, name="orders"),
    path("orders/<uuid:order_id>/", order_views.order, name="order"),
    path("orders/<uuid:order_id>/cancel/", order_views.order_cancel, name="order_cancel"),
    path("orders/<uuid:order_id>/pay/", order_views.order_pay, name="order_pay"),
    path("orders/<uuid:order_id>/pay/process/", order_views.order_pay_process, name="order_pay_process"),
    # Only with localstripe's Stripe.js stand-in (storefront.stripe_stand_in); a 404 against real Stripe.
    path("orders/<uuid:order_id>/pay/card/", order_views.order_pay_stand_in, name="order_pay_stand_in"),
]
