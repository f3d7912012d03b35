"""What a product is found by: its search document, in four weighted sections, and the tsvector built from it.

The sections, most important first (PostgreSQL's weights A > B > C > D):

- A: the product's name, and the name read in pinyin: each word in full (脐橙 → qicheng) and by its initials
  (qc), and the whole name in full and by initials (gannanqicheng, gnqc);
- B: the category path (茶饮冲调 茶叶, with the pinyin of its words) and the partner region (county and
  prefecture, with pinyin) of a valid relief certification;
- C: attribute values, variant names and SKUs, the description;
- D: the merchant.

The document is plain text: each section's jieba tokens separated by spaces, the sections by " | " (a token
never holds "|"). The tsvector is computed from that text by one SQL expression (search_vector_from), so a
product refreshed one by one and a product created in bulk get the same vector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import jieba
from django.contrib.postgres.search import SearchVector
from django.db.models import Expression, F, Func, Value
from django.db.models import TextField as TextOutput
from django.utils import timezone

from search.text import has_han, pinyin_full, pinyin_initials, segment

SEARCH_CONFIG = "simple"
WEIGHTS = ("A", "B", "C", "D")
SECTION_SEPARATOR = " | "
_NOT_WORD = re.compile(r"[^\w\u4e00-\u9fff]+")


@dataclass
class DocumentParts:
    name: str
    category_path: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    attribute_values: list[str] = field(default_factory=list)
    variant_names: list[str] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    description: str = ""
    merchant_name: str = ""


def pinyin_tokens(words: list[str], *, initials: bool = True) -> list[str]:
    """The pinyin a person may type for these words: full pinyin of each Chinese word, and its initials when
    it has two characters or more (a single letter finds too much)."""
    tokens = []
    for word in words:
        if not has_han(word):
            continue
        full = pinyin_full(word)
        if full:
            tokens.append(full)
        if initials and len(word) > 1:
            letters = pinyin_initials(word)
            if len(letters) > 1:
                tokens.append(letters)
    return tokens


def _unique(tokens) -> list[str]:
    return list(dict.fromkeys(token for token in tokens if token))


def name_tokens(name: str) -> list[str]:
    """The name's jieba words, their pinyin, the pinyin (full and initials) of each two neighbouring words
    (保靖黄金茶 → huangjincha, 空气炸锅 → kqzg: people type a word jieba splits), and of each run of Chinese
    characters as a whole, and each Chinese character alone (a one-character search such as 橙 or 米 finds every
    name holding it: jieba keeps 脐橙 whole)."""
    words = segment(name)
    han_runs = [run for run in segment_runs(name) if has_han(run)]
    whole = [pinyin_full(run) for run in han_runs] + [pinyin_initials(run) for run in han_runs]
    pairs = []
    for run in han_runs:
        precise = [word for word in jieba.cut(run) if word.strip()]
        for first, second in zip(precise, precise[1:], strict=False):
            pairs += [pinyin_full(first + second), pinyin_initials(first + second)]
    characters = [character for run in han_runs for character in run if has_han(character)]
    return _unique([*words, *pinyin_tokens(words), *pairs, *whole, *characters])


def segment_runs(text: str) -> list[str]:
    """The text split at anything that is not a letter, digit or Chinese character (赣南脐橙 礼盒 → two runs)."""
    return [run for run in _NOT_WORD.split(text or "") if run]


def build_document(parts: DocumentParts) -> str:
    """The document text: four sections of tokens, A to D."""
    section_b_words = segment(" ".join([*parts.category_path, *parts.regions]))
    sections = [
        name_tokens(parts.name),
        _unique([*section_b_words, *pinyin_tokens(section_b_words, initials=False)]),
        _unique(
            segment(" ".join([*parts.attribute_values, *parts.variant_names, *parts.skus, parts.description or ""]))
        ),
        _unique(segment(parts.merchant_name)),
    ]
    return SECTION_SEPARATOR.join(" ".join(section) for section in sections)


# Sections A and B alone (names, category path, region, with their pinyin) also make a small vector of their
# own: most searches are answered from it, and matching and ranking it costs a fraction of the whole document
# (no description to read, and no weight to check row by row, which the GIN index cannot do).
NAME_SECTIONS = 2


def search_vector_from(document: Expression | str, *, sections: int = len(WEIGHTS)) -> Expression:
    """setweight(to_tsvector(section A), 'A') || … || setweight(to_tsvector(section D), 'D'), in SQL."""
    source = Value(document) if isinstance(document, str) else document
    vector = None
    for position, weight in enumerate(WEIGHTS[:sections], start=1):
        section = Func(
            source, Value(SECTION_SEPARATOR.strip()), Value(position), function="split_part", output_field=TextOutput()
        )
        part = SearchVector(section, config=SEARCH_CONFIG, weight=weight)
        vector = part if vector is None else vector + part
    return vector


def search_vectors_from(document: Expression | str) -> dict[str, Expression]:
    """Both vectors of a document, as update() takes them: the whole one and the names-only one."""
    return {
        "search_vector": search_vector_from(document),
        "search_name_vector": search_vector_from(document, sections=NAME_SECTIONS),
    }


def search_vectors_of_column() -> dict[str, Expression]:
    return search_vectors_from(F("search_document"))


# --- Reading a product ------------------------------------------------------------------
def certified_regions(product_ids, *, today: date | None = None) -> dict[int, list[str]]:
    """The partner county and prefecture of each product's valid relief certifications (怒江傈僳族自治州 泸水市)."""
    from relief_sourcing.models import ReliefCertification

    today = today or timezone.localdate()
    rows = (
        ReliefCertification.products.through.objects.filter(
            product_id__in=list(product_ids),
            reliefcertification__status=ReliefCertification.Status.VALID,
            reliefcertification__valid_from__lte=today,
            reliefcertification__valid_to__gte=today,
        )
        .values_list("product_id", "reliefcertification__origin__prefecture", "reliefcertification__origin__county")
        .order_by("product_id", "reliefcertification__origin__code")
    )
    regions: dict[int, list[str]] = {}
    for product_id, prefecture, county in rows:
        names = regions.setdefault(product_id, [])
        names += [name for name in (prefecture, county) if name and name not in names]
    return regions


def category_paths(categories) -> dict[int, list[str]]:
    """{category id: the names from the root category down to it}, in one query (none for roots only)."""
    from catalog.models import Category

    categories = {category.pk: category for category in categories if category is not None}
    ancestor_ids = {pk for category in categories.values() for pk in category.ancestor_ids}
    names = dict(Category.objects.filter(pk__in=ancestor_ids).values_list("pk", "name")) if ancestor_ids else {}
    return {
        pk: [names[ancestor] for ancestor in category.ancestor_ids if ancestor in names] + [category.name]
        for pk, category in categories.items()
    }


def category_path(category) -> list[str]:
    """The names from the root category down to this one."""
    return category_paths([category]).get(category.pk, []) if category is not None else []


def product_document(product) -> str:
    """The search document of a saved product."""
    variants = list(product.variants.all())
    return build_document(
        DocumentParts(
            name=product.name,
            category_path=category_path(product.category),
            regions=certified_regions([product.pk]).get(product.pk, []),
            attribute_values=[assigned.value.name for assigned in product.attribute_values.select_related("value")],
            variant_names=[variant.name for variant in variants],
            skus=[variant.sku for variant in variants],
            description=product.description_plaintext,
            merchant_name=product.merchant.name,
        )
    )
