from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.static import serve

from bulk_orders.recipient_template import recipient_template_csv, recipient_template_xlsx
from catalog.views import thumbnail
from mall.graphql.views import MallGraphQLView
from payments.views import stripe_webhook

# The mall's own 404 page; storefront.not_found shows it with DEBUG on as well.
handler404 = "storefront.views.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Token-authenticated API clients send no CSRF cookie, as with Saleor.
    path("graphql/", csrf_exempt(MallGraphQLView.as_view(graphiql=True)), name="graphql"),
    path("webhooks/stripe/", stripe_webhook, name="stripe-webhook"),
    path("thumbnail/<str:instance_id>/<int:size>/<str:format>/", thumbnail, name="thumbnail"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("relief/", include("relief_sourcing.urls")),
    path("branch/bulk/template.xlsx", recipient_template_xlsx, name="bulk-recipient-template-xlsx"),
    path("branch/bulk/template.csv", recipient_template_csv, name="bulk-recipient-template-csv"),
    path("", include("storefront.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    )
