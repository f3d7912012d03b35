"""The operators' synonym list, as a search reads it: for each word, the other words it also finds.

The table is read once and kept in the cache (shared by the web and worker processes when CACHE_URL names
Redis); saving or deleting a Synonym forgets it, and it expires after a few minutes in any case.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from search.models import Synonym
from search.text import clean

CACHE_KEY = "search:synonyms:v1"
CACHE_SECONDS = 300


def _normal(word: str) -> str:
    return clean(word).replace(" ", "")


def load_table() -> dict[str, list[str]]:
    """{word: [other words it finds]} from the active synonyms."""
    table: dict[str, list[str]] = {}

    def add(word: str, others) -> None:
        known = table.setdefault(word, [])
        known += [other for other in others if other != word and other not in known]

    for synonym in Synonym.objects.filter(is_active=True).order_by("pk"):
        words = [w for w in (_normal(word) for word in synonym.words) if w]
        if synonym.kind == Synonym.Kind.EXPANSION:
            term = _normal(synonym.term)
            if term:
                add(term, words)
        else:
            for word in words:
                add(word, words)
    return table


def table() -> dict[str, list[str]]:
    cached = cache.get(CACHE_KEY)
    if cached is None:
        cached = load_table()
        cache.set(CACHE_KEY, cached, CACHE_SECONDS)
    return cached


def synonyms_of(word: str) -> list[str]:
    """The words `word` also finds (not itself): 土豆 → 马铃薯, 洋芋; 橙子 → 脐橙 …"""
    return table().get(_normal(word), [])


def forget() -> None:
    cache.delete(CACHE_KEY)


@receiver(post_save, sender=Synonym, dispatch_uid="search_synonyms_saved")
@receiver(post_delete, sender=Synonym, dispatch_uid="search_synonyms_deleted")
def _synonyms_changed(**kwargs) -> None:
    forget()
