"""Small builders shared by the GraphQL API tests."""

from io import BytesIO

from django.core.files.base import ContentFile
from graphql_relay import to_global_id
from PIL import Image

from catalog import services


def gid(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)


def png_file(name: str, *, size=(600, 400), color=(30, 120, 200)) -> ContentFile:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def add_picture(product, *, alt: str = "", size=(600, 400)):
    return services.add_product_media(product=product, image=png_file(f"{product.slug}.png", size=size), alt=alt)
