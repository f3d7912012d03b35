"""Rich descriptions in EditorJS JSON (Saleor's format): build, flatten to text, render safely."""

import html
import re

from django.utils.safestring import SafeString, mark_safe

_TAGS = re.compile(r"<[^>]+>")


def editorjs_from_paragraphs(*paragraphs: str) -> dict:
    return {
        "time": 0,
        "version": "2.24.3",
        "blocks": [{"type": "paragraph", "data": {"text": html.escape(text)}} for text in paragraphs if text],
    }


def _block_texts(block: dict) -> list[str]:
    data = block.get("data") or {}
    if block.get("type") == "list":
        return [str(item) for item in data.get("items") or []]
    return [str(data.get("text") or "")]


def editorjs_to_plaintext(description: dict | None) -> str:
    if not isinstance(description, dict):
        return ""
    texts = []
    for block in description.get("blocks") or []:
        texts += [html.unescape(_TAGS.sub("", text)) for text in _block_texts(block)]
    return "\n".join(text for text in texts if text)


def editorjs_to_html(description: dict | None) -> SafeString:
    """Render paragraphs, headers and lists; inline markup is stripped, text escaped."""
    if not isinstance(description, dict):
        return mark_safe("")
    parts = []
    for block in description.get("blocks") or []:
        texts = [html.escape(html.unescape(_TAGS.sub("", text))) for text in _block_texts(block)]
        kind = block.get("type")
        if kind == "header":
            level = min(max(int((block.get("data") or {}).get("level") or 3), 2), 6)
            parts.append(f"<h{level}>{texts[0]}</h{level}>")
        elif kind == "list":
            tag = "ol" if (block.get("data") or {}).get("style") == "ordered" else "ul"
            parts.append(f"<{tag}>" + "".join(f"<li>{text}</li>" for text in texts) + f"</{tag}>")
        else:
            parts.append(f"<p>{texts[0]}</p>")
    return mark_safe("".join(parts))
