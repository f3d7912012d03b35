"""Product pictures drawn locally with Pillow: a coloured card with the product's name in the CJK font."""

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

SIZE = 600
MARGIN = 48
WHITE = (255, 255, 255)


@lru_cache(maxsize=32)
def _font(path: str, size: int) -> tuple[ImageFont.FreeTypeFont, bool]:
    """The CJK font at `size`, or Pillow's own font when it is missing (then False: no Chinese glyphs)."""
    if path and Path(path).is_file():
        return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size=size), False


def shade(color: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    """Mix towards white (amount > 0) or black (amount < 0)."""
    target = 255 if amount > 0 else 0
    return tuple(round(channel + (target - channel) * abs(amount)) for channel in color)


def _wrap(text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for char in text:
        if font.getlength(line + char) > width and line:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    return lines + [line] if line else lines


def _title_lines(text: str, has_cjk: bool) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The largest font size at which the title fits in three lines."""
    for size in (72, 64, 56, 48, 40, 34):
        font, _ = _font(settings.CJK_FONT_PATH, size) if has_cjk else _font("", size)
        lines = _wrap(text, font, SIZE - 2 * MARGIN)
        if len(lines) <= 3:
            return lines, font
    return lines[:3], font


def product_card(
    *, title: str, label: str, footer: str, color: tuple[int, int, int], badge: str = "", ascii_title: str = ""
) -> bytes:
    """A 600×600 JPEG: `label` top left, `badge` top right, `title` in the middle, `footer` below.

    Without the CJK font (settings.CJK_FONT_PATH missing) Chinese cannot be drawn, so the card
    shows `ascii_title` (e.g. the slug) and leaves the Chinese texts out.
    """
    _, has_cjk = _font(settings.CJK_FONT_PATH, 30)
    if not has_cjk:
        title, label, footer, badge = ascii_title or "union mall", "", "", ""
    image = Image.new("RGB", (SIZE, SIZE), color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((SIZE - 260, -140, SIZE + 140, 260), fill=shade(color, 0.18))
    draw.ellipse((-160, SIZE - 220, 220, SIZE + 160), fill=shade(color, -0.12))
    small = _font(settings.CJK_FONT_PATH, 28)[0] if has_cjk else _font("", 28)[0]

    if label:
        width = small.getlength(label)
        draw.rounded_rectangle((MARGIN - 16, MARGIN - 10, MARGIN + width + 16, MARGIN + 40), 12, shade(color, -0.3))
        draw.text((MARGIN, MARGIN - 2), label, font=small, fill=WHITE)
    if badge:
        width = small.getlength(badge)
        left = SIZE - MARGIN - width - 16
        draw.rounded_rectangle((left, MARGIN - 10, SIZE - MARGIN + 16, MARGIN + 40), 12, (214, 40, 40))
        draw.text((left + 16, MARGIN - 2), badge, font=small, fill=WHITE)

    lines, font = _title_lines(title, has_cjk)
    line_height = font.size + 14
    top = (SIZE - line_height * len(lines)) // 2 - 10
    for index, line in enumerate(lines):
        width = font.getlength(line)
        draw.text(((SIZE - width) / 2, top + index * line_height), line, font=font, fill=WHITE)

    draw.line((MARGIN, SIZE - 118, SIZE - MARGIN, SIZE - 118), fill=shade(color, 0.35), width=2)
    if footer:
        draw.text((MARGIN, SIZE - 100), footer, font=small, fill=shade(color, 0.75))
    brand = "工会商城" if has_cjk else "Union Mall"
    draw.text((MARGIN, SIZE - 60), brand, font=small, fill=shade(color, 0.55))

    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()
