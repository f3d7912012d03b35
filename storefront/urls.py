from django.urls import include, path, register_converter

from content import views as content_views
from storefront import (
    bulk_export_views,
    bulk_notice_views,
    bulk_views,
    buy_views,
    member_views,
    order_views,
    relief_views,
    views,
)


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
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("categories/<slugtext:slug>/", views.category, name="category"),
    path("collections/<slugtext:slug>/", views.collection, name="collection"),
    path("products/<slugtext:slug>/", buy_views.product, name="product"),
    path("relief/", views.relief_zone, name="relief_zone"),
    path("suppliers/<slugtext:slug>/", views.supplier, name="supplier"),
    path("account/verification/", member_views.member_verification, name="member_verification"),
    path("account/", include("storefront.account_urls")),
    path("cart/", buy_views.cart, name="cart"),
    path("cart/lines/<uuid:line_id>/", buy_views.cart_line_update, name="cart_line_update"),
    path("cart/lines/<uuid:line_id>/delete/", buy_views.cart_line_delete, name="cart_line_delete"),
    path("checkout/", buy_views.checkout, name="checkout"),
    path("checkout/email/", buy_views.checkout_email, name="checkout_email"),
    path("checkout/address/", buy_views.checkout_address, name="checkout_address"),
    path("checkout/shipping/", buy_views.checkout_shipping, name="checkout_shipping"),
    path("checkout/voucher/", buy_views.checkout_voucher, name="checkout_voucher"),
    path("checkout/voucher/remove/", buy_views.checkout_voucher_remove, name="checkout_voucher_remove"),
    path("checkout/allowance/", buy_views.checkout_allowance, name="checkout_allowance"),
    path("checkout/complete/", buy_views.checkout_complete, name="checkout_complete"),
    # A guest's order: its random id is the secret of the link (members use /account/orders/).
    path("orders/<uuid:order_id>/", order_views.guest_order, name="guest_order"),
    path("orders/<uuid:order_id>/pay/", order_views.guest_order_pay, name="guest_order_pay"),
    path("orders/<uuid:order_id>/pay/process/", order_views.guest_order_pay_process, name="guest_order_pay_process"),
    path("orders/<uuid:order_id>/pay/card/", order_views.guest_order_pay_stand_in, name="guest_order_pay_stand_in"),
    # 工会看板 for branch staff and the public 公示 page (storefront.relief_views).
    path("branch/", relief_views.branch_home, name="branch_home"),
    path("branch/<str:code>/dashboard/", relief_views.branch_dashboard, name="branch_dashboard"),
    # 采购单 (bulk orders) in the branch portal (storefront.bulk_views).
    path("branch/<str:code>/bulk/", bulk_views.bulk_list, name="bulk_list"),
    path("branch/<str:code>/bulk/new/", bulk_views.bulk_create, name="bulk_create"),
    path("branch/<str:code>/bulk/<int:number>/", bulk_views.bulk_detail, name="bulk_detail"),
    path("branch/<str:code>/bulk/<int:number>/lines/", bulk_views.bulk_quick_order, name="bulk_quick_order"),
    path("branch/<str:code>/bulk/<int:number>/lines/delete/", bulk_views.bulk_lines_delete, name="bulk_lines_delete"),
    path("branch/<str:code>/bulk/<int:number>/recipients/", bulk_views.bulk_import_upload, name="bulk_import"),
    path(
        "branch/<str:code>/bulk/<int:number>/imports/<uuid:import_id>/",
        bulk_views.bulk_import_status,
        name="bulk_import_status",
    ),
    path(
        "branch/<str:code>/bulk/<int:number>/imports/<uuid:import_id>/drop-bad-rows/",
        bulk_views.bulk_import_drop_bad_rows,
        name="bulk_import_drop_bad_rows",
    ),
    path("branch/<str:code>/bulk/<int:number>/compliance/", bulk_views.bulk_compliance, name="bulk_compliance"),
    path("branch/<str:code>/bulk/<int:number>/edit/", bulk_views.bulk_update, name="bulk_update"),
    path("branch/<str:code>/bulk/<int:number>/invoice/", bulk_views.bulk_invoice, name="bulk_invoice"),
    path("branch/<str:code>/bulk/<int:number>/<str:action>/", bulk_views.bulk_transition, name="bulk_transition"),
    path("relief/disclosure/", relief_views.disclosure, name="relief_disclosure"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("pages/<slugtext:slug>/", content_views.page, name="page"),
    path(
        "branch/<str:code>/bulk/<int:number>/recipients.<str:fmt>",
        bulk_export_views.bulk_recipients_export,
        name="bulk_recipients_export",
    ),
    # 采购公示 (public) and the 采购计划 download of approved bulk orders (storefront.bulk_notice_views).
    path("bulk/notice/", bulk_notice_views.notice_index, name="bulk_notice_index"),
    path("bulk/notice/<str:number>/", bulk_notice_views.notice, name="bulk_notice"),
    path("branch/<str:code>/bulk/<str:number>/plan.xlsx", bulk_notice_views.plan_xlsx, name="bulk_plan_xlsx"),
]
