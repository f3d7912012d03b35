"""The operators' text form of EditorJS content, and what the API accepts as content."""

import pytest
from django.core.exceptions import ValidationError

from content.editorjs import clean_editorjs, editorjs_from_text, text_from_editorjs

TEXT = "第一段，\n接着写。\n\n## 小标题\n\n- 甲\n- 乙\n\n1. 一\n2. 二"


def test_text_becomes_paragraphs_headings_and_lists():
    assert editorjs_from_text(TEXT)["blocks"] == [
        {"type": "paragraph", "data": {"text": "第一段，接着写。"}},
        {"type": "header", "data": {"text": "小标题", "level": 2}},
        {"type": "list", "data": {"style": "unordered", "items": ["甲", "乙"]}},
        {"type": "list", "data": {"style": "ordered", "items": ["一", "二"]}},
    ]


def test_the_text_form_survives_a_round_trip():
    text = "第一段。\n\n## 小标题\n\n- 甲 & 乙\n- <丙>\n\n1. 一\n2. 二"
    assert text_from_editorjs(editorjs_from_text(text)) == text


@pytest.mark.parametrize(
    "content",
    [
        [],
        {"blocks": "x"},
        {"blocks": [{"type": "raw", "data": {}}]},
        {"blocks": [{"type": "paragraph"}]},
        {"blocks": [{"type": "paragraph", "data": {"text": 3}}]},
        {"blocks": [{"type": "list", "data": {"items": [{"x": 1}]}}]},
        {"blocks": [{"type": "header", "data": {"text": "x", "level": "2"}}]},
        {"blocks": [{"type": "header", "data": {"text": "x", "level": 9}}]},
    ],
)
def test_content_the_storefront_cannot_render_is_refused(content):
    with pytest.raises(ValidationError) as error:
        clean_editorjs(content)
    assert error.value.error_dict["content"][0].code == "invalid"


def test_no_content_is_allowed():
    assert clean_editorjs(None) is None


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "x" * 50_001])
def test_text_postgresql_cannot_store_or_too_long_is_refused(text):
    with pytest.raises(ValidationError) as error:
        clean_editorjs({"blocks": [{"type": "paragraph", "data": {"text": text}}]})
    assert error.value.error_dict["content"][0].code == "invalid"
