from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from catalog.views import thumbnail

urlpatterns = [
    path("admin/", admin.site.urls),
    path("thumbnail/<str:instance_id>/<int:size>/<str:format>/", thumbnail, name="thumbnail"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    )
