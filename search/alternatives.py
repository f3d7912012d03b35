"""Other searches to offer when one finds nothing (or was found only through its pinyin).

Tried in this order, each kept only if it finds published products:
1. the Chinese words the pinyin stands for, read from the names the pinyin finds: 脐澄 and qicheng → 脐橙;
2. the synonyms of the words (橙子 → 脐橙, 土豆 → 马铃薯);
3. shorter searches: each word alone, longest first (有机脐橙礼盒 → 脐橙礼盒, 脐橙 …).
"""

from __future__ import annotations

import jieba
from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, OuterRef

from search import synonyms
from search.documents import SEARCH_CONFIG
from search.ranking import _lexeme, normalize, pinyin_groups, words
from search.text import has_han, pinyin_full

MAX_CANDIDATES = 10
NAMES_TO_READ = 30


def published_products():
    from catalog.models import Product, ProductChannelListing

    listed = ProductChannelListing.objects.filter(product=OuterRef("pk"), is_published=True)
    return Product.objects.filter(Exists(listed))


def _chinese_for(group: str, names: list[str]) -> str | None:
    """The word (or two neighbouring words) of these names whose pinyin is `group`."""
    for name in names:
        pieces = [piece for piece in jieba.cut(name) if piece.strip()]
        spans = pieces + [first + second for first, second in zip(pieces, pieces[1:], strict=False)]
        for span in spans:
            if has_han(span) and pinyin_full(span) == group:
                return span
    return None


def _from_pinyin(query_words: list[str], products) -> list[str]:
    groups = [group for group in pinyin_groups(query_words) if group.isascii() and group.isalnum()]
    if not groups:
        return []
    raw = " | ".join(_lexeme(group, "", prefix=True) for group in [*groups, "".join(groups)])
    names = list(
        products.filter(search_name_vector=SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)).values_list(
            "name", flat=True
        )[:NAMES_TO_READ]
    )
    found = [_chinese_for(group, names) for group in groups]
    candidates = ["".join(found)] if all(found) else []
    if len(groups) > 1:  # the whole text read as one word: 猕猴淘 → mihoutao → 猕猴桃
        whole = _chinese_for("".join(groups), names)
        candidates += [whole] if whole else []
    return candidates


def _from_synonyms(query_words: list[str]) -> list[str]:
    candidates = []
    for position, word in enumerate(query_words):
        for synonym in synonyms.synonyms_of(word):
            candidates.append("".join([*query_words[:position], synonym, *query_words[position + 1 :]]))
    return candidates


def _shorter(query_words: list[str]) -> list[str]:
    """Each word alone, longest first; a single Chinese character alone says too little to offer."""
    if len(query_words) < 2:
        return []
    return sorted((word for word in query_words if len(word) > 1 or not has_han(word)), key=len, reverse=True)


def alternatives(text: str, *, limit: int = 3) -> list[str]:
    from search import service

    text = normalize(text)
    query_words = words(text)
    if not query_words:
        return []
    products = published_products()
    candidates = [*_from_pinyin(query_words, products), *_from_synonyms(query_words), *_shorter(query_words)]
    offered: list[str] = []
    for candidate in list(dict.fromkeys(candidates))[:MAX_CANDIDATES]:
        if candidate == text or candidate.replace(" ", "") == text.replace(" ", ""):
            continue
        if service.match(products, candidate).exists():
            offered.append(candidate)
            if len(offered) == limit:
                break
    return offered
