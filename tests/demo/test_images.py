from io import BytesIO

import pytest
from PIL import Image

from demo import images


@pytest.fixture(autouse=True)
def fresh_fonts():
    images._font.cache_clear()
    yield
    images._font.cache_clear()


def card(**overrides) -> Image.Image:
    fields = {"title": "定西马铃薯宽粉", "label": "粮油米面", "footer": "甘肃省定西市安定区", "color": (196, 140, 52)}
    return Image.open(BytesIO(images.product_card(**fields | overrides)))


def test_a_product_card_is_a_600_pixel_jpeg_that_is_the_same_every_time():
    first = images.product_card(title="雷山银球茶", label="茶叶", footer="雷山县", color=(58, 125, 90), badge="帮扶")
    second = images.product_card(title="雷山银球茶", label="茶叶", footer="雷山县", color=(58, 125, 90), badge="帮扶")
    picture = Image.open(BytesIO(first))
    assert (picture.format, picture.size) == ("JPEG", (600, 600))
    assert first == second


def test_a_card_is_still_drawn_when_the_cjk_font_is_missing(settings):
    settings.CJK_FONT_PATH = "/nonexistent/font.ttc"
    picture = card(ascii_title="ding-xi-kuan-fen")
    assert (picture.format, picture.size) == ("JPEG", (600, 600))


def test_the_title_is_drawn_in_white_on_the_card_colour():
    picture = card().convert("RGB")
    colours = {colour for _, colour in picture.getcolors(maxcolors=600 * 600)}
    assert any(min(colour) > 240 for colour in colours)
