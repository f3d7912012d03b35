"""The searches as elasticsearch-dsl builds them: relevance, filters, facet aggregations, completions, and bad
input that never reaches Elasticsearch as syntax."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from search.backends.base import FACET_NAMES, SearchFilters
from search.elastic import queries

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 4, 30, tzinfo=UTC)
FIELDS = ["name^8", "category_path^4", "region^3", "description^1", "merchant^0.5"]
LUCENE_SPECIALS = '+ - && || ! ( ) { } [ ] ^ " ~ * ? : \\ /'


def clauses(text: str) -> list[dict]:
    body = queries.ranked_query(text).to_dict()["function_score"]
    return body["query"]["bool"]["should"]


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_in(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_in(item)}
    return set()


def test_a_chinese_search_weighs_name_over_category_region_description_and_merchant():
    best, cross, phrase, pinyin, category_pinyin = clauses("脐橙")

    assert best == {
        "multi_match": {
            "query": "脐橙",
            "fields": FIELDS,
            "type": "best_fields",
            "operator": "and",
            "tie_breaker": 0.3,
        }
    }
    assert cross == {
        "multi_match": {"query": "脐橙", "fields": FIELDS, "type": "cross_fields", "operator": "and", "boost": 0.5}
    }
    assert phrase == {"match_phrase": {"name": {"query": "脐橙", "boost": 4}}}
    # Homophones (脐澄) meet through the pinyin, weighed below the Chinese words.
    assert pinyin == {"match": {"pinyin": {"query": "qicheng", "boost": 1.0}}}
    assert category_pinyin == {"match": {"category_pinyin": {"query": "qicheng", "boost": 0.25}}}


def test_a_homophone_slip_looks_for_the_same_pinyin():
    assert clauses("脐澄")[3] == {"match": {"pinyin": {"query": "qicheng", "boost": 1.0}}}


def test_a_single_chinese_character_is_not_looked_up_by_pinyin():
    assert len(clauses("茶")) == 3


def test_pinyin_typed_in_latin_letters_is_matched_fuzzily_and_as_initials():
    best, _cross, _phrase, pinyin, category_pinyin, initials = clauses("Qi Cheng")

    assert best["multi_match"]["fuzziness"] == "AUTO"
    assert best["multi_match"]["prefix_length"] == 1
    assert best["multi_match"]["query"] == "qi cheng"
    assert pinyin == {"match": {"pinyin": {"query": "qicheng", "boost": 4.0, "fuzziness": "AUTO", "prefix_length": 1}}}
    assert category_pinyin == {"match": {"category_pinyin": {"query": "qicheng", "boost": 1.0}}}
    assert initials == {"match": {"initials": {"query": "qicheng", "boost": 3}}}


def test_short_initials_are_matched_exactly():
    pinyin = clauses("qc")[3]
    assert pinyin == {"match": {"pinyin": {"query": "qc", "boost": 4.0}}}


def test_mixed_chinese_and_latin_has_no_fuzziness():
    best = clauses("5L电压力锅")[0]["multi_match"]
    assert best["query"] == "5l电压力锅"
    assert "fuzziness" not in best


def test_popularity_lifts_the_score_a_little():
    body = queries.ranked_query("脐橙").to_dict()["function_score"]

    assert body["boost_mode"] == "sum"
    assert body["functions"] == [
        {"field_value_factor": {"field": "popularity", "modifier": "log1p", "missing": 0}, "weight": 0.5}
    ]


def test_the_match_search_asks_for_ids_and_scores_of_the_best_hits_only(settings):
    settings.ELASTICSEARCH_MAX_HITS = 1000
    body = queries.match_search(None, "products", "脐橙").to_dict()

    assert body["_source"] is False
    assert body["size"] == 1000
    assert body["track_total_hits"] is False
    assert "function_score" in body["query"]


@pytest.mark.parametrize(
    "text",
    ["", "   ", None, LUCENE_SPECIALS, "\x00\x01\x1b\u200b", "!!!" * 3000, "（）【】、。，"],
)
def test_text_with_nothing_to_search_for_builds_no_query(text):
    assert queries.text_query(text) is None
    assert queries.match_search(None, "products", text) is None


def test_ten_thousand_characters_of_lucene_syntax_and_control_characters_stay_plain_match_text():
    text = ("脐橙 AND qicheng OR " + LUCENE_SPECIALS + "\x00\x07\n\t") * 400
    assert len(text) > 10_000

    body = queries.ranked_query(text).to_dict()
    best = body["function_score"]["query"]["bool"]["should"][0]["multi_match"]["query"]

    assert len(best) <= 64
    assert not any(char in best for char in "\x00\x07\n\t")
    assert keys_in(body).isdisjoint({"query_string", "simple_query_string", "regexp", "wildcard"})


def test_the_selections_become_filters_as_the_catalogue_filters_read_them():
    filters = SearchFilters(
        category_ids=(3,),
        region_codes=("360734",),
        price_gte=Decimal("50"),
        price_lte=Decimal("100"),
        relief_certified=True,
        in_stock=False,
    )
    selected = queries.selection_filters(filters, channel_id=7, today=TODAY, now=NOW)
    as_dicts = {name: query.to_dict() for name, query in selected.items()}

    assert list(as_dicts) == ["category", "region", "price", "relief", "in_stock"]
    assert as_dicts["category"] == {"terms": {"category_ids": [3]}}
    assert as_dicts["region"] == {
        "nested": {
            "path": "certifications",
            "query": {
                "bool": {
                    "filter": [
                        {"term": {"certifications.status": "VALID"}},
                        {"term": {"certifications.valid": "2026-11-28"}},
                        {"terms": {"certifications.region_code": ["360734"]}},
                    ]
                }
            },
        }
    }
    # Some variant within the bounds: the highest price at least 50, the lowest at most 100.
    assert as_dicts["price"] == {
        "bool": {"filter": [{"range": {"price_max": {"gte": "50"}}}, {"range": {"price": {"lte": "100"}}}]}
    }
    assert as_dicts["relief"]["nested"]["path"] == "certifications"
    assert as_dicts["in_stock"] == {
        "bool": {
            "must_not": [
                {
                    "nested": {
                        "path": "listings",
                        "query": {
                            "bool": {
                                "filter": [
                                    {"term": {"listings.channel_id": 7}},
                                    {"term": {"listings.published": True}},
                                    {"range": {"listings.available_from": {"lte": NOW.isoformat()}}},
                                    {"term": {"listings.in_stock": True}},
                                ]
                            }
                        },
                    }
                }
            ]
        }
    }


def test_no_selection_means_no_filter():
    assert queries.selection_filters(SearchFilters(), channel_id=1, today=TODAY, now=NOW) == {}


def test_facets_count_each_facet_with_the_other_selections_and_filter_hits_with_all_of_them():
    filters = SearchFilters(category_ids=(3,), relief_certified=True)
    selected = queries.selection_filters(filters, channel_id=7, today=TODAY, now=NOW)
    visible = queries.visible_in_channel(7, NOW)
    body = queries.facet_search(
        None, "products", base=[visible], selected=selected, channel_id=7, today=TODAY, now=NOW
    ).to_dict()
    category, relief = selected["category"].to_dict(), selected["relief"].to_dict()

    assert body["size"] == 0 and body["track_total_hits"] is True
    assert body["query"] == {"bool": {"filter": [visible.to_dict()]}}
    assert body["post_filter"] == {"bool": {"filter": [category, relief]}}
    aggs = body["aggs"]
    assert list(aggs) == list(FACET_NAMES)
    assert aggs["category"]["filter"] == {"bool": {"filter": [relief]}}
    assert aggs["relief"]["filter"] == {"bool": {"filter": [category]}}
    for name in ("region", "price", "in_stock"):
        assert aggs[name]["filter"] == {"bool": {"filter": [category, relief]}}, name
    assert aggs["category"]["aggs"] == {"values": {"terms": {"field": "category_id", "size": 100}}}
    region = aggs["region"]["aggs"]["certifications"]
    assert region["nested"] == {"path": "certifications"}
    assert region["aggs"]["valid"]["filter"] == queries.valid_certification(TODAY).to_dict()
    assert region["aggs"]["valid"]["aggs"]["values"] == {
        "terms": {"field": "certifications.region_code", "size": 100},
        "aggs": {"products": {"reverse_nested": {}}},
    }
    price = aggs["price"]["aggs"]["values"]["filters"]["filters"]
    assert list(price) == ["0-50", "50-100", "100-200", "200-500", "500-"]
    assert price["500-"] == {"bool": {"filter": [{"range": {"price_max": {"gte": "500"}}}]}}
    assert aggs["relief"]["aggs"]["values"]["filter"] == queries.relief_certified(TODAY).to_dict()
    assert aggs["in_stock"]["aggs"]["values"]["filter"] == queries.in_stock(7, NOW).to_dict()


def test_without_selections_there_is_no_post_filter_and_every_facet_counts_everything():
    body = queries.facet_search(None, "p", base=[], selected={}, channel_id=1, today=TODAY, now=NOW).to_dict()

    assert "post_filter" not in body
    assert all(body["aggs"][name]["filter"] == {"bool": {}} for name in FACET_NAMES)


def test_listed_in_the_channel_means_published_from_its_time_and_shown_in_listings():
    assert queries.visible_in_channel(7, NOW).to_dict() == {
        "nested": {
            "path": "listings",
            "query": {
                "bool": {
                    "filter": [
                        {"term": {"listings.channel_id": 7}},
                        {"term": {"listings.published": True}},
                        {"range": {"listings.published_at": {"lte": NOW.isoformat()}}},
                        {"term": {"listings.visible_in_listings": True}},
                    ]
                }
            },
        }
    }


def test_suggestions_use_the_completion_field_within_the_channel():
    body = queries.suggest_search(None, "products", "QiC", channel_id=7, limit=5).to_dict()

    assert body == {
        "size": 0,
        "_source": ["name", "slug"],
        "suggest": {
            "products": {
                "prefix": "qic",
                "completion": {
                    "field": "suggest",
                    "size": 5,
                    "skip_duplicates": True,
                    "contexts": {"channel": ["7"]},
                },
            }
        },
    }


@pytest.mark.parametrize("prefix", ["", "  ", LUCENE_SPECIALS, "\x00"])
def test_a_prefix_with_nothing_to_complete_builds_no_suggestion(prefix):
    assert queries.suggest_search(None, "products", prefix, channel_id=1, limit=5) is None
