"""Counting the searches people make, for 热搜."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from search import text as search_text
from search.models import SearchQueryStat

logger = logging.getLogger(__name__)

HOT_DAYS = 7
HOT_CACHE_SECONDS = 60
HOT_CACHE_KEY = "search:hot:{limit}"


def record_search(text: str, result_count: int) -> None:
    """One more search of `text` today (and one more that found something if it did): one statement."""
    cleaned = search_text.clean(text)
    if not cleaned:
        return
    table = SearchQueryStat._meta.db_table
    found = 1 if result_count > 0 else 0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" ("day", "text", "searches", "searches_with_results") VALUES (%s, %s, 1, %s) '
                f'ON CONFLICT ("day", "text") DO UPDATE SET "searches" = "{table}"."searches" + 1, '
                f'"searches_with_results" = "{table}"."searches_with_results" + EXCLUDED."searches_with_results"',
                [timezone.localdate(), cleaned, found],
            )
    except DatabaseError:
        logger.exception("Could not count the search %r", cleaned)


def hot_searches(*, limit: int = 10) -> list[str]:
    """The texts that found something most often over the last HOT_DAYS days, cached briefly."""
    key = HOT_CACHE_KEY.format(limit=limit)
    found = cache.get(key)
    if found is None:
        since = timezone.localdate() - timedelta(days=HOT_DAYS - 1)
        rows = (
            SearchQueryStat.objects.filter(day__gte=since, searches_with_results__gt=0)
            .values("text")
            .annotate(total=Sum("searches_with_results"))
            .order_by("-total", "text")
            .values_list("text", flat=True)[:limit]
        )
        found = list(rows)
        cache.set(key, found, HOT_CACHE_SECONDS)
    return found


def popular_terms(*, days: int = 30, limit: int = 2000) -> list[tuple[str, int]]:
    """(text, searches with results) of the last `days` days, for suggestion terms."""
    since = timezone.localdate() - timedelta(days=days - 1)
    return list(
        SearchQueryStat.objects.filter(day__gte=since, searches_with_results__gt=0)
        .values("text")
        .annotate(total=Sum("searches_with_results"))
        .order_by("-total", "text")
        .values_list("text", "total")[:limit]
    )
