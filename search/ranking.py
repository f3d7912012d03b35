"""Matching a search text against the products' search documents, and how well each matches.

A search text becomes jieba words (spaces between Chinese characters do not count: 大 米 is 大米). Every word
must be found (AND), each either as typed, as the start of a longer word (猕猴 → 猕猴桃), or as one of its
synonyms (土豆 → 马铃薯, 洋芋). Where a word must be found is tried from the most telling fields outwards (a count
per tier tells which one finds something), and the first tier that finds anything is the result:

1. the name, category path and partner region (weights A and B; the pinyin of names, categories and regions
   is there too, so qicheng, qc, dami and cha are found here);
2. any field, description and merchant included (a merchant's name finds its goods only when no product is
   named so: 大米 never returns the beef jerky of a rice cooperative);
3. the pinyin of the text against the pinyin of names, categories and regions: homophone slips (脐澄 finds
   脐橙) and pinyin typed with spaces (qi cheng).

The rank (annotated as `search_rank`, larger is better) is ts_rank with the field weights, plus a bonus when
the name is the text, ends with it (or a synonym) or starts with it, plus a small boost for popular products
(Product.popularity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

import jieba
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Least, Ln, Lower
from django.db.models.lookups import Contains, EndsWith, Exact, StartsWith

from search import synonyms
from search.documents import SEARCH_CONFIG
from search.models import StaleProduct
from search.text import clean, has_han, pinyin_full

MAX_WORDS = 12
# ts_rank's weights for D, C, B, A: merchant, details, category and region, name.
RANK_WEIGHTS = [0.02, 0.1, 0.4, 1.0]
# Factors of the rank's parts: the words as typed, their synonyms, longer words they begin.
RANK_PARTS = (1.0, 0.7, 0.3)
NAME_EXACT_BONUS = 1.0
NAME_HEAD_BONUS = 0.6
NAME_PREFIX_BONUS = 0.4
NAME_CONTAINS_BONUS = 0.1
POPULARITY_FACTOR = 0.03
POPULARITY_CAP = 0.3

_TOKEN = re.compile(r"[\w\u4e00-\u9fff]+")
_HAN_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def normalize(text: str | None) -> str:
    """What a person typed, cleaned (no control characters, lower case, bounded) with no spaces between
    Chinese characters: `大 米` → `大米`."""
    return _HAN_GAP.sub("", clean(text))


def words(text: str) -> list[str]:
    """jieba's words of a normalized text (precise mode), punctuation and SQL/tsquery characters dropped."""
    found = []
    for word in jieba.cut(text or ""):
        word = word.strip().lower()
        if word and _TOKEN.fullmatch(word) and word not in found:
            found.append(word)
    return found[:MAX_WORDS]


def _lexeme(token: str, weights: str, *, prefix: bool) -> str:
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    label = ("*" if prefix else "") + weights
    return f"{quoted}:{label}" if label else quoted


def _term(word: str, weights: str) -> str:
    """One word and everything that counts as it: itself or a longer word it begins, and its synonyms.

    Only prefix forms, and none that another one already covers: `'茶':*` finds 茶叶 too, so a synonym 茶叶
    adds nothing to the condition, and the index would read its posting list a second time (as it would an
    exact form beside the prefix: a third of a broad search's index scan, measured on 家庭)."""
    options = []
    for alternative in [word, *synonyms.synonyms_of(word)]:
        tokens = tuple(words(alternative)) if alternative != word else (word,)
        if tokens and tokens not in options:
            options.append(tokens)
    singles = [tokens[0] for tokens in options if len(tokens) == 1]
    rendered = []
    for tokens in options:
        covered_by = [single for single in singles if tokens != (single,)]
        if any(token.startswith(single) for token in tokens for single in covered_by):
            continue  # whatever it finds, a shorter prefix among the options finds too
        lexemes = [_lexeme(token, weights, prefix=True) for token in tokens]
        rendered.append(lexemes[0] if len(lexemes) == 1 else "(" + " & ".join(lexemes) + ")")
    return "(" + " | ".join(rendered) + ")"


def pinyin_groups(query_words: list[str]) -> list[str]:
    """The words read in pinyin, single Chinese characters joined to their neighbours first (jieba splits
    an unknown slip like 脐澄 into characters): [脐, 澄, 礼盒] → [qicheng, lihe]."""
    groups: list[str] = []
    previous_single = False
    for word in query_words:
        single = len(word) == 1 and bool(_HAN.match(word))
        if single and previous_single:
            groups[-1] += word
        else:
            groups.append(word)
        previous_single = single
    return [pinyin_full(group) if has_han(group) else group for group in groups if group]


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    words: list[str]
    in_names: str  # tier 1: every word in name, category or region
    anywhere: str  # tier 2: every word in any field
    by_pinyin: str  # tier 3: the pinyin of the text against the pinyin tokens
    # What the rank counts, each part with its own factor (RANK_PARTS): a word as typed counts more than
    # its synonyms, and both more than longer words it begins (which are many for a short prefix).
    exact_words: str
    exact_synonyms: str
    prefixes: str
    pinyin_exact: str
    pinyin_prefixes: str


def _any(lexemes) -> str:
    return " | ".join(dict.fromkeys(lexemes))


def parse(text: str) -> ParsedQuery | None:
    text = normalize(text)
    query_words = words(text)
    if not query_words:
        return None
    # Tiers 1 and 3 read the names-only vector, tier 2 the whole one: no weight labels in the queries, which
    # the GIN index cannot check (every candidate row would be read again to look at its weights).
    anywhere = " & ".join(_term(word, "") for word in query_words)
    in_names = anywhere
    groups = [group for group in pinyin_groups(query_words) if _TOKEN.fullmatch(group)]
    whole = "".join(groups)
    by_pinyin = " & ".join(_lexeme(group, "", prefix=True) for group in groups)
    if whole and len(groups) > 1:
        by_pinyin = f"({by_pinyin}) | {_lexeme(whole, '', prefix=True)}"
    by_pinyin = by_pinyin or in_names
    synonym_tokens = [
        token for word in query_words for synonym in synonyms.synonyms_of(word) for token in words(synonym)
    ]
    pinyin_words = [*groups, whole] if whole else groups
    return ParsedQuery(
        text=text,
        words=query_words,
        in_names=in_names,
        anywhere=anywhere,
        by_pinyin=by_pinyin,
        exact_words=_any(_lexeme(word, "", prefix=False) for word in query_words),
        exact_synonyms=_any(_lexeme(token, "", prefix=False) for token in synonym_tokens) or "",
        prefixes=_any(_lexeme(token, "", prefix=True) for token in [*query_words, *synonym_tokens]),
        pinyin_exact=_any(_lexeme(group, "", prefix=False) for group in pinyin_words) or by_pinyin,
        pinyin_prefixes=by_pinyin,
    )


def _tsquery(raw: str) -> SearchQuery:
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)


def match(queryset: QuerySet, text: str) -> QuerySet:
    """The products of `queryset` that `text` finds, annotated with `search_rank` (larger is better)."""
    parsed = parse(text)
    if parsed is None:
        text = normalize(text)
        if text:  # only punctuation or symbols: compare with the names as they are
            queryset = queryset.filter(name__icontains=text)
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))

    in_names = Q(search_name_vector=_tsquery(parsed.in_names))
    stale = _stale_by_name(queryset, parsed.text)
    if stale is not None:
        in_names |= stale
    anywhere = Q(search_vector=_tsquery(parsed.anywhere))
    tier, found = _tier(queryset, in_names, anywhere)
    if tier == IN_NAMES:
        condition, text_rank = in_names, _word_rank(parsed, NAME_VECTOR)
    elif tier == ANYWHERE:
        condition, text_rank = anywhere, _word_rank(parsed, WHOLE_VECTOR)
    else:
        condition = Q(search_name_vector=_tsquery(parsed.by_pinyin))
        text_rank = _weighted_rank(NAME_VECTOR, parsed.pinyin_exact, "", parsed.pinyin_prefixes)
    matched = queryset.filter(condition)
    if found is not None and hasattr(matched, "with_known_count"):
        matched = matched.with_known_count(found)  # the tier's count is the result's: not counted again
    return matched.annotate(search_rank=rank_expression(parsed, text_rank))


IN_NAMES, ANYWHERE, BY_PINYIN = 1, 2, 3
# Up to this many products whose documents are being refreshed are named in a search by their ids.
STALE_BY_ID_LIMIT = 200


def _stale_by_name(queryset: QuerySet, text: str) -> Q | None:
    """Products saved moments ago whose documents the worker has not refreshed yet, found by their names.

    They are looked up first (search.StaleProduct lists them: usually none), so that a search's
    condition is, as a rule, the words alone, which the index answers without reading each row again; an
    OR with the name test in the search itself would have every row found checked twice."""
    if not _any_stale(queryset):
        return None
    stale = Q(pk__in=StaleProduct.objects.values("product_id"), name__icontains=text)
    ids = list(queryset.filter(stale).order_by().values_list("pk", flat=True)[: STALE_BY_ID_LIMIT + 1])
    if len(ids) > STALE_BY_ID_LIMIT:
        return stale  # a bulk change is being indexed: the test itself
    return Q(pk__in=ids) if ids else None


def _any_stale(queryset: QuerySet) -> bool:
    """Whether any product at all waits for its document (usually none): written out because building the
    query with the ORM cost more than running it, and it runs before every search."""
    database = connections[queryset.db]
    with database.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {database.ops.quote_name(StaleProduct._meta.db_table)})")
        return cursor.fetchone()[0]


NAME_VECTOR, WHOLE_VECTOR = "search_name_vector", "search_vector"


def _tier(queryset: QuerySet, in_names: Q, anywhere: Q) -> tuple[int, int | None]:
    """Which tier finds something among `queryset`, the narrow one first, and how many it finds (None for the
    pinyin tier, which is not counted here). A count rather than an EXISTS: the GIN index reads the matches,
    where LIMIT 1 tempts the planner into a sequential scan that reads the whole table when nothing matches;
    and the count is the result's count, which the caller needs anyway."""
    for tier, condition in ((IN_NAMES, in_names), (ANYWHERE, anywhere)):
        found = queryset.filter(condition).aggregate(found=Count("pk"))["found"]
        if found:
            return tier, found
    return BY_PINYIN, None


def _word_rank(parsed: ParsedQuery, vector: str):
    return _weighted_rank(vector, parsed.exact_words, parsed.exact_synonyms, parsed.prefixes)


def _weighted_rank(vector: str, exact: str, synonym: str, prefix: str):
    rank = None
    for raw, factor in zip((exact, synonym, prefix), RANK_PARTS, strict=True):
        if raw:
            part = SearchRank(F(vector), _tsquery(raw), weights=RANK_WEIGHTS) * Value(factor)
            rank = part if rank is None else rank + part
    return rank


def rank_expression(parsed: ParsedQuery, text_rank):
    sold = Cast("popularity", FloatField())  # ln() of a float, not of a numeric: ten times cheaper
    popularity = Least(
        Value(POPULARITY_CAP),
        Ln(sold + Value(1.0, output_field=FloatField())) * Value(POPULARITY_FACTOR),
        output_field=FloatField(),
    )
    return (text_rank + _name_bonus(parsed) + popularity) * Value(1.0, output_field=FloatField())


def _name_bonus(parsed: ParsedQuery):
    # A Chinese name ends with what the product is (定西马铃薯, not 定西马铃薯宽粉): a name ending with the
    # text, or with a synonym of a one-word text, names the thing searched for.
    heads = [parsed.text, *(synonyms.synonyms_of(parsed.text) if len(parsed.words) == 1 else [])]
    # Texts with letters that have a case (pinyin, brands) compare with the name in lower case; the others
    # (Chinese, digits) with the name as it is, without folding every name for every comparison.
    name = F("name")
    if any(head.upper() != head.lower() for head in heads):
        name, heads = Lower("name"), [head.lower() for head in heads]
    text, synonym_heads = heads[0], heads[1:]
    ends_with = reduce(or_, (EndsWith(name, head) for head in heads))
    # The first test sets aside, in one step, the names that have nothing to do with the text: most of a
    # broad search's matches (cha, jj, 精选 found in pinyin, category or region, not in the name).
    related = reduce(or_, (EndsWith(name, head) for head in synonym_heads), Contains(name, text))
    return Case(
        When(~related, then=Value(0.0)),
        When(Exact(name, text), then=Value(NAME_EXACT_BONUS)),
        When(ends_with, then=Value(NAME_HEAD_BONUS)),
        When(StartsWith(name, text), then=Value(NAME_PREFIX_BONUS)),
        default=Value(NAME_CONTAINS_BONUS),
        output_field=FloatField(),
    )
