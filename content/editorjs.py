"""Page content in EditorJS JSON: checking what clients send, and the plain-text form operators edit.

Operators write a page as text: paragraphs separated by a blank line, "## " starts a heading,
"- " a bulleted and "1. " a numbered list item. Text is stored HTML-escaped, as EditorJS stores it,
so `<script>` typed by an operator stays text.
"""

import html
import re

from django.core.exceptions import ValidationError

from catalog.richtext import editorjs_to_plaintext

BLOCK_TYPES = {"paragraph", "header", "list"}
MAX_BLOCKS = 500
MAX_TEXT_LENGTH = 50_000
# PostgreSQL's jsonb cannot hold NUL or a lone surrogate: refused as input instead of failing the save.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_ORDERED_ITEM = re.compile(r"^\d+[.、]\s*")
_HEADER = re.compile(r"^(#{2,4})\s+")


def _invalid(message: str) -> ValidationError:
    return ValidationError({"content": ValidationError(message, code="invalid")})


def clean_editorjs(content) -> dict | None:
    """`content` if it is EditorJS JSON the storefront can render (paragraphs, headers, lists)."""
    if content is None:
        return None
    if not isinstance(content, dict) or not isinstance(content.get("blocks"), list):
        raise _invalid("内容必须是 EditorJS JSON：包含 blocks 列表的对象。")
    if len(content["blocks"]) > MAX_BLOCKS:
        raise _invalid(f"内容最多 {MAX_BLOCKS} 个段落。")
    for block in content["blocks"]:
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            raise _invalid("内容只支持段落（paragraph）、标题（header）和列表（list）。")
        data = block.get("data")
        if not isinstance(data, dict):
            raise _invalid("每个内容块都需要 data 对象。")
        if block["type"] == "list":
            items = data.get("items")
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                raise _invalid("列表的 items 必须是文字列表。")
        elif not isinstance(data.get("text", ""), str):
            raise _invalid("段落和标题的 text 必须是文字。")
        level = data.get("level")
        if block["type"] == "header" and level is not None and (type(level) is not int or not 1 <= level <= 6):
            raise _invalid("标题的 level 必须是 1 到 6 的整数。")
    texts = [text for block in content["blocks"] for text in _texts(block["data"])]
    if sum(len(text) for text in texts) > MAX_TEXT_LENGTH:
        raise _invalid(f"内容最多 {MAX_TEXT_LENGTH} 个字。")
    if any(_UNSTORABLE.search(text) for text in texts):
        raise _invalid("内容含有无法保存的字符（NUL 或不成对的代理字符）。")
    return content


def _texts(value) -> list[str]:
    """Every string inside a block's data, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (*_texts(key), *_texts(item))]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def _block_from_chunk(lines: list[str]) -> dict:
    header = _HEADER.match(lines[0])
    if header and len(lines) == 1:
        text = lines[0][header.end() :]
        return {"type": "header", "data": {"text": html.escape(text), "level": len(header.group(1))}}
    if all(line.startswith("- ") for line in lines):
        return {
            "type": "list",
            "data": {"style": "unordered", "items": [html.escape(line[2:].strip()) for line in lines]},
        }
    if all(_ORDERED_ITEM.match(line) for line in lines):
        items = [html.escape(_ORDERED_ITEM.sub("", line, count=1)) for line in lines]
        return {"type": "list", "data": {"style": "ordered", "items": items}}
    return {"type": "paragraph", "data": {"text": html.escape("".join(lines))}}


def editorjs_from_text(text: str) -> dict:
    """EditorJS JSON from the operators' text form (see the module's docstring)."""
    chunks, current = [], []
    for raw_line in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw_line.strip()
        if line:
            # A heading line always stands alone, even without a blank line after it.
            if _HEADER.match(line) and current:
                chunks.append(current)
                current = []
            current.append(line)
            if _HEADER.match(line):
                chunks.append(current)
                current = []
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return {"time": 0, "version": "2.24.3", "blocks": [_block_from_chunk(chunk) for chunk in chunks]}


def _plain(text: str) -> str:
    return editorjs_to_plaintext({"blocks": [{"type": "paragraph", "data": {"text": text}}]})


def text_from_editorjs(content) -> str:
    """The operators' text form of EditorJS JSON; inline markup is dropped."""
    if not isinstance(content, dict):
        return ""
    chunks = []
    for block in content.get("blocks") or []:
        if not isinstance(block, dict):
            continue
        data = block.get("data") if isinstance(block.get("data"), dict) else {}
        if block.get("type") == "header":
            level = data.get("level") if type(data.get("level")) is int else 2
            chunks.append("#" * min(max(level, 2), 4) + " " + _plain(str(data.get("text") or "")))
        elif block.get("type") == "list":
            items = [_plain(str(item)) for item in data.get("items") or []]
            if data.get("style") == "ordered":
                chunks.append("\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1)))
            else:
                chunks.append("\n".join(f"- {item}" for item in items))
        else:
            chunks.append(_plain(str(data.get("text") or "")))
    return "\n\n".join(chunk for chunk in chunks if chunk.strip())
