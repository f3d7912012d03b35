"""Image URLs in Saleor's shape: absolute /thumbnail/<global id>/<size>/<format>/ links that lead to real images."""

import re
from io import BytesIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from catalog import services
from tests import factories
from tests.graphql.helpers import add_picture, gid, png_file

THUMBNAILS = """
query($slug: String!) {
  product(slug: $slug) {
    thumbnail { url alt }
    small: thumbnail(size: 100, format: WEBP) { url }
    original: thumbnail(size: 0) { url }
    media { id url alt type sortOrder productId small: url(size: 64) }
  }
}
"""


def fetch_image(url: str) -> Image.Image:
    """GET a thumbnail URL and open the picture its redirect points at.

    The file is read from storage rather than over HTTP: the /media/ route is bound to the
    MEDIA_ROOT of start-up, while these tests write to a temporary one.
    """
    response = Client().get(url)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(settings.MEDIA_URL)
    with default_storage.open(location.removeprefix(settings.MEDIA_URL)) as picture:
        image = Image.open(BytesIO(picture.read()))
        image.load()
        return image


def test_thumbnail_urls_are_absolute_and_name_the_media_size_and_format(api, channel, media_root):
    product = factories.product(channel=channel, name="Tea brick")
    media = add_picture(product, alt="A tea brick")
    data = api.data(THUMBNAILS, {"slug": product.slug})["product"]
    media_id = gid("ProductMedia", media.pk)
    assert data["thumbnail"] == {"url": f"http://testserver/thumbnail/{media_id}/4096/original/", "alt": "A tea brick"}
    assert data["small"] == {"url": f"http://testserver/thumbnail/{media_id}/128/webp/"}
    assert re.fullmatch(r"http://testserver/media/products/tea-brick[^/]*\.png", data["original"]["url"])
    assert data["media"] == [
        {
            "id": media_id,
            "url": f"http://testserver/thumbnail/{media_id}/4096/original/",
            "alt": "A tea brick",
            "type": "IMAGE",
            "sortOrder": 1,
            "productId": gid("Product", product.pk),
            "small": f"http://testserver/thumbnail/{media_id}/64/original/",
        }
    ]


def test_a_thumbnail_url_redirects_to_a_real_resized_image(api, channel, media_root):
    product = factories.product(channel=channel, name="Tea brick")
    add_picture(product, size=(600, 400))
    data = api.data(THUMBNAILS, {"slug": product.slug})["product"]

    small = fetch_image(data["small"]["url"].removeprefix("http://testserver"))
    assert (small.format, small.size) == ("WEBP", (128, 85))
    full = fetch_image(data["thumbnail"]["url"].removeprefix("http://testserver"))
    assert (full.format, full.size) == ("PNG", (600, 400))


def test_a_product_without_pictures_has_no_thumbnail(api, channel):
    product = factories.product(channel=channel, name="Salt")
    data = api.data(THUMBNAILS, {"slug": product.slug})["product"]
    assert (data["thumbnail"], data["media"]) == (None, [])


def test_category_and_collection_background_images(api, channel, media_root):
    category = factories.category(name="Tea", slug="tea", background_image_alt="Tea hills")
    category.background_image.save("tea.png", png_file("tea.png"))
    collection = services.create_collection(name="Gifts", slug="gifts")
    services.publish_collection(collection=collection, channel=channel)
    collection.background_image.save("gifts.png", png_file("gifts.png"))
    data = api.data(
        """{ category(slug: "tea") { backgroundImage(size: 200) { url alt } }
             collection(slug: "gifts") { backgroundImage(format: AVIF) { url alt } } }"""
    )
    category_id, collection_id = gid("Category", category.pk), gid("Collection", collection.pk)
    assert data["category"]["backgroundImage"] == {
        "url": f"http://testserver/thumbnail/{category_id}/256/original/",
        "alt": "Tea hills",
    }
    assert data["collection"]["backgroundImage"] == {
        "url": f"http://testserver/thumbnail/{collection_id}/4096/avif/",
        "alt": "",
    }
    assert fetch_image(f"/thumbnail/{category_id}/256/original/").size == (256, 171)
