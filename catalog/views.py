"""HTTP endpoints of the catalogue that are not GraphQL: thumbnails."""

import base64
import binascii

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.views.decorators.http import require_GET

from catalog.models import Category, Collection, ProductMedia
from catalog.thumbnails import THUMBNAIL_SIZES, ensure_thumbnail

IMAGE_FIELDS = {
    "ProductMedia": (ProductMedia, "image"),
    "Category": (Category, "background_image"),
    "Collection": (Collection, "background_image"),
}


def _decode(instance_id: str) -> tuple[str, int]:
    try:
        type_name, pk = base64.b64decode(instance_id, validate=True).decode().split(":", 1)
        return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise Http404("Unknown image.") from error


@require_GET
def thumbnail(request, instance_id: str, size: int, format: str):
    type_name, pk = _decode(instance_id)
    if (
        type_name not in IMAGE_FIELDS
        or size not in THUMBNAIL_SIZES
        or format.upper() not in {"ORIGINAL", "WEBP", "AVIF"}
    ):
        raise Http404("Unknown image.")
    model, field = IMAGE_FIELDS[type_name]
    image_name = model.objects.filter(pk=pk).values_list(field, flat=True).first()
    if not image_name or not default_storage.exists(image_name):
        raise Http404("Unknown image.")
    response = HttpResponseRedirect(default_storage.url(ensure_thumbnail(image_name, size, format)))
    response["Cache-Control"] = "public, max-age=86400"
    return response
