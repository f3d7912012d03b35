"""Suggestion terms (prefix, pinyin, initials) and search statistics (热搜)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search import service, suggestions
from search.models import SearchQueryStat, SuggestionTerm
from search.stats import record_search


def texts(prefix, channel, limit=8):
    return [item.text for item in service.suggest(prefix, channel, limit=limit)]


def test_rebuild_keeps_published_products_categories_and_popular_searches(catalogue):
    record_search("脐橙", 4)
    record_search("没有结果的词", 0)
    suggestions.rebuild()
    kinds = dict(SuggestionTerm.objects.values_list("text", "kind"))
    assert kinds["赣南脐橙"] == "PRODUCT"
    assert kinds["橙子"] == "CATEGORY"
    assert kinds["脐橙"] == "TERM"
    assert "未上架脐橙" not in kinds
    assert "没有结果的词" not in kinds
    term = SuggestionTerm.objects.get(text="雷山银球茶")
    assert (term.pinyin, term.initials) == ("leishanyinqiucha", "lsyqc")


def test_prefix_pinyin_and_initials_best_weight_first(catalogue):
    for _ in range(3):
        record_search("脐橙", 4)
    suggestions.rebuild()
    channel = catalogue.channel
    assert texts("脐", channel) == ["脐橙"]
    assert texts("qic", channel) == ["脐橙"]
    assert texts("qi cheng", channel) == ["脐橙"]
    assert texts("QC", channel) == ["脐橙"]
    assert texts("lsyq", channel) == ["雷山银球茶"]
    # Weight first: the category 橙子 (3 products) before the product names.
    assert texts("橙", channel) == ["橙子"]
    assert texts("chengzi", channel) == ["橙子"]
    assert texts("d", channel, limit=3)[0] == "大米"


def test_each_text_once(catalogue):
    record_search("大米", 9)
    suggestions.rebuild()  # 大米 is a category and a popular search
    assert texts("大米", catalogue.channel).count("大米") == 1


def test_index_updates_the_terms_of_a_renamed_product(catalogue):
    from catalog import services

    suggestions.rebuild()
    product = catalogue.products["巫山脆李"]
    services.update_product(product=product, name="巫山脆李礼盒")
    service.index_products([product.pk])
    assert "巫山脆李礼盒" in texts("巫山", catalogue.channel)


def test_a_suggestion_is_one_query(catalogue):
    suggestions.rebuild()
    with CaptureQueriesContext(connection) as captured:
        service.suggest("lei", catalogue.channel)
    assert len(captured) == 1


def test_record_search_counts_per_day_and_text_in_one_statement(db):
    with CaptureQueriesContext(connection) as captured:
        record_search("  脐橙  ", 3)
    assert len(captured) <= 3  # the statement inside its savepoint
    record_search("脐橙", 0)
    record_search("", 5)
    record_search("x" * 10_000, 1)
    stat = SearchQueryStat.objects.get(text="脐橙")
    assert (stat.searches, stat.searches_with_results) == (2, 1)
    assert SearchQueryStat.objects.filter(text="x" * 64).exists()


def test_hot_searches_over_the_last_seven_days_with_results(db):
    today = timezone.localdate()
    SearchQueryStat.objects.create(day=today - timedelta(days=10), text="旧词", searches=99, searches_with_results=99)
    SearchQueryStat.objects.create(day=today - timedelta(days=6), text="大米", searches=5, searches_with_results=5)
    SearchQueryStat.objects.create(day=today, text="大米", searches=1, searches_with_results=1)
    SearchQueryStat.objects.create(day=today, text="脐橙", searches=4, searches_with_results=4)
    SearchQueryStat.objects.create(day=today, text="空", searches=50, searches_with_results=0)
    assert service.hot_searches() == ["大米", "脐橙"]
    SearchQueryStat.objects.create(day=today, text="茶", searches=80, searches_with_results=80)
    assert service.hot_searches() == ["大米", "脐橙"]  # cached briefly
    assert service.hot_searches(limit=1) == ["茶"]
