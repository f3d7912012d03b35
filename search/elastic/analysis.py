"""The analyzers an index is built with: a Chinese one chosen by setting or by the cluster's plugins, the
operators' synonyms as a search-time synonym filter, and a plain one for the pinyin fields.

Flavours (settings.ELASTICSEARCH_ANALYZER):
- "ik": the IK plugin (analysis-ik), ik_max_word when indexing and ik_smart when searching;
- "smartcn": the smartcn plugin (analysis-smartcn);
- "cjk": built into Elasticsearch: bigrams of Han characters, with the single characters indexed too so that
  a one-character search (茶) finds 茶叶; searches use bigrams only;
- "auto" (the default): ik, else smartcn, else cjk, whichever plugin the cluster has when the index is built.
A plugin named but missing falls back to cjk with a warning, so that an index can always be built.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from elasticsearch_dsl import analyzer, token_filter

logger = logging.getLogger(__name__)

FLAVOURS = ("ik", "smartcn", "cjk")
PLUGINS = {"ik": "analysis-ik", "smartcn": "analysis-smartcn"}

# Names the mapping refers to; their definitions depend on the flavour.
TEXT_ANALYZER = "mall_text"
TEXT_SEARCH_ANALYZER = "mall_text_search"
PINYIN_ANALYZER = "mall_pinyin"
SUGGEST_ANALYZER = "mall_suggest"
SYNONYM_FILTER = "mall_synonyms"

# Characters with a meaning in Solr synonym rules: a word holding them is cut there.
_RULE_SYNTAX = re.compile(r"[,=>#\\\s]+")


def configured_flavour() -> str:
    return str(getattr(settings, "ELASTICSEARCH_ANALYZER", "auto") or "auto").lower()


def resolve_flavour(configured: str, installed_plugins: set[str]) -> str:
    """The flavour an index is built with, given the setting and the plugins the cluster reports."""
    if configured == "auto":
        for flavour in ("ik", "smartcn"):
            if PLUGINS[flavour] in installed_plugins:
                return flavour
        return "cjk"
    if configured not in FLAVOURS:
        logger.warning("ELASTICSEARCH_ANALYZER=%r is not one of %s; using cjk", configured, FLAVOURS)
        return "cjk"
    if configured in PLUGINS and PLUGINS[configured] not in installed_plugins:
        logger.warning("Elasticsearch has no %s plugin; using the cjk analyzer", PLUGINS[configured])
        return "cjk"
    return configured


def installed_plugins(client) -> set[str]:
    """The analysis plugins of every node (_cat/plugins)."""
    return {row["component"] for row in client.cat.plugins(format="json")}


def _word(text: str) -> str:
    return _RULE_SYNTAX.split(text.strip().lower())[0] if text and text.strip() else ""


def synonym_rules(synonyms) -> list[str]:
    """Synonym rows as Solr rules: "土豆, 马铃薯, 洋芋" for EQUIVALENT, "橙子 => 橙子, 脐橙" for EXPANSION
    (the term keeps finding itself)."""
    from search.models import Synonym

    rules = []
    for synonym in synonyms:
        words = list(dict.fromkeys(word for word in map(_word, synonym.words) if word))
        if synonym.kind == Synonym.Kind.EXPANSION:
            term = _word(synonym.term)
            words = [word for word in words if word != term]
            if term and words:
                rules.append(f"{term} => {', '.join([term, *words])}")
        elif len(words) > 1:
            rules.append(", ".join(words))
    return rules


def active_synonym_rules() -> list[str]:
    from search.models import Synonym

    return synonym_rules(Synonym.objects.filter(is_active=True).order_by("pk"))


def analyzers(flavour: str, rules: list[str]) -> list:
    """The custom analyzers of an index (elasticsearch-dsl objects), for Index.analyzer()."""
    synonyms = [token_filter(SYNONYM_FILTER, "synonym_graph", synonyms=rules, lenient=True)] if rules else []
    if flavour == "ik":
        index_text = analyzer(TEXT_ANALYZER, tokenizer="ik_max_word", filter=["lowercase"])
        search_text = analyzer(TEXT_SEARCH_ANALYZER, tokenizer="ik_smart", filter=["lowercase", *synonyms])
    elif flavour == "smartcn":
        index_text = analyzer(TEXT_ANALYZER, tokenizer="smartcn_tokenizer", filter=["lowercase"])
        search_text = analyzer(TEXT_SEARCH_ANALYZER, tokenizer="smartcn_tokenizer", filter=["lowercase", *synonyms])
    else:
        bigrams_and_unigrams = token_filter("mall_cjk_bigram_unigrams", "cjk_bigram", output_unigrams=True)
        index_text = analyzer(
            TEXT_ANALYZER, tokenizer="standard", filter=["cjk_width", "lowercase", bigrams_and_unigrams]
        )
        search_text = analyzer(
            TEXT_SEARCH_ANALYZER, tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram", *synonyms]
        )
    pinyin = analyzer(PINYIN_ANALYZER, tokenizer="whitespace", filter=["lowercase"])
    suggest = analyzer(SUGGEST_ANALYZER, tokenizer="keyword", filter=["cjk_width", "lowercase"])
    return [index_text, search_text, pinyin, suggest]
