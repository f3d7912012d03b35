"""Text as search sees it: cleaned, segmented by jieba, and read aloud in pinyin."""

import functools
import logging
import re
import unicodedata

import jieba
from pypinyin import Style, lazy_pinyin

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_LENGTH = 64
_TOKEN = re.compile(r"[\w\u4e00-\u9fff]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def clean(text: str | None, *, max_length: int = MAX_QUERY_LENGTH) -> str:
    """What a person typed, without control characters (PostgreSQL refuses NUL) or runs of spaces,
    lower-cased and cut to a length no real search needs."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in text)
    return " ".join(text.split())[:max_length].lower()


# Segmenting and reading aloud are pure and slow (a product's document asks for dozens of readings), and a
# catalogue repeats its words: remembered, rebuilding 100,000 documents reads each word once.
_MEMO_SIZE = 1 << 16


# Characters jieba never puts inside a word (outside its re_han class): the text cut at them segments the
# same, piece by piece, and the pieces (sentences of a description) repeat far more than whole texts.
_JIEBA_BOUNDARY = re.compile(r"[\s，。！？、；：,;:!?“”‘’（）()《》【】]+")


def segment(text: str) -> list[str]:
    """jieba's search-mode words (a long word and the shorter words inside it), punctuation dropped."""
    return [token for piece in _JIEBA_BOUNDARY.split(text or "") if piece for token in _segment(piece)]


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _segment(text: str) -> tuple[str, ...]:
    tokens = []
    for word in jieba.cut_for_search(text):
        word = word.strip().lower()
        if word and _TOKEN.fullmatch(word):
            tokens.append(word)
    return tuple(tokens)


def has_han(text: str) -> bool:
    return bool(_HAN.search(text or ""))


def pinyin_syllables(text: str) -> list[str]:
    """脐橙 → ["qi", "cheng"]; characters without a reading (Latin, digits) are kept as they are."""
    return [syllable.lower() for syllable in lazy_pinyin(text or "", errors="default") if syllable.strip()]


@functools.lru_cache(maxsize=_MEMO_SIZE)
def pinyin_full(text: str) -> str:
    """脐橙 → "qicheng": the syllables run together, as people type them."""
    return "".join(syllable for syllable in pinyin_syllables(text) if _TOKEN.fullmatch(syllable))


@functools.lru_cache(maxsize=_MEMO_SIZE)
def pinyin_initials(text: str) -> str:
    """脐橙 → "qc"."""
    initials = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default")
    return "".join(letter.lower() for letter in initials if _TOKEN.fullmatch(letter))
