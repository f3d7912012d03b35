"""Thumbnails in Saleor's shape: /thumbnail/<global id>/<size>/<format>/, made on first request."""

import base64
from functools import cache
from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageOps

# Saleor snaps requested sizes up to one of these, so a handful of files serve every client.
THUMBNAIL_SIZES = (32, 64, 128, 256, 512, 1024, 2048, 4096)
FORMATS = {"ORIGINAL": None, "WEBP": "webp", "AVIF": "avif"}
DEFAULT_SIZE = 4096


def snap_size(size: int | None) -> int:
    if not size or size <= 0:
        return DEFAULT_SIZE
    return next((allowed for allowed in THUMBNAIL_SIZES if allowed >= size), THUMBNAIL_SIZES[-1])


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def thumbnail_url(type_name: str, pk: int, *, size: int | None = None, format: str = "ORIGINAL") -> str:
    """Where a client fetches the thumbnail; built without touching the database or the disk."""
    format = format if format in FORMATS else "ORIGINAL"
    return _url_template(snap_size(size), format.lower()).replace(_ID_PLACEHOLDER, global_id(type_name, pk))


_ID_PLACEHOLDER = "INSTANCE-ID"


@cache
def _url_template(size: int, format: str) -> str:
    # A list page asks for a hundred of these; reverse() once per size and format is enough.
    return reverse("thumbnail", kwargs={"instance_id": _ID_PLACEHOLDER, "size": size, "format": format})


def thumbnail_name(image_name: str, size: int, format: str) -> str:
    path = PurePosixPath(image_name)
    extension = FORMATS.get(format.upper()) or path.suffix.lstrip(".") or "png"
    return f"thumbnails/{path.parent}/{path.stem}_{size}.{extension}"


def ensure_thumbnail(image_name: str, size: int, format: str) -> str:
    """The storage name of the thumbnail, creating it from the original when missing."""
    name = thumbnail_name(image_name, size, format)
    if default_storage.exists(name):
        return name
    with default_storage.open(image_name, "rb") as original:
        image = ImageOps.exif_transpose(Image.open(original))
        image.thumbnail((size, size))
        pillow_format = (FORMATS.get(format.upper()) or image.format or "png").upper()
        if pillow_format in {"JPEG", "JPG"} and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        buffer = BytesIO()
        image.save(buffer, format="JPEG" if pillow_format == "JPG" else pillow_format, quality=85)
    # Another request may have written it meanwhile; the content is the same either way.
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(buffer.getvalue()))
    return name
