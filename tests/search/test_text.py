"""search.text: segmenting piece by piece (and remembered) gives exactly jieba's words of the whole text."""

import re

import jieba
from hypothesis import given, settings
from hypothesis import strategies as st

from search import text as search_text

_TOKEN = re.compile(r"[\w\u4e00-\u9fff]+")
PIECES = ["赣南", "脐橙", "礼盒装", "果肉饱满", "5.5kg", "100g", "X-100_v2", "A+B", "50%", "#3", "明前特级", "家庭装"]
BETWEEN = [" ", "，", "。", "！", "、", "：", "(", "）", "《", "\n", "", "-", "/", "·"]


def jieba_words(text: str) -> list[str]:
    words = (word.strip().lower() for word in jieba.cut_for_search(text))
    return [word for word in words if word and _TOKEN.fullmatch(word)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(BETWEEN)), max_size=8))
def test_segmenting_piece_by_piece_gives_jiebas_words_of_the_whole_text(parts):
    text = "".join(piece + between for piece, between in parts)
    assert search_text.segment(text) == jieba_words(text)


def test_remembered_words_cannot_be_changed_by_a_caller():
    words = search_text.segment("赣南脐橙礼盒")
    words.append("篡改")
    assert search_text.segment("赣南脐橙礼盒") == jieba_words("赣南脐橙礼盒")
