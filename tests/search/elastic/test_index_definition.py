"""The index as elasticsearch-dsl builds it: settings, analyzers per flavour, synonyms, mapping, alias moves."""

from datetime import UTC, datetime

import pytest

from search.elastic import analysis
from search.elastic.indexes import alias_swap_actions, build_index, new_index_name
from search.models import Synonym

RULES = ["土豆, 马铃薯, 洋芋", "橙子 => 橙子, 脐橙"]


def definition(flavour="cjk", rules=RULES) -> dict:
    return build_index("union-mall-products-1", flavour=flavour, synonym_rules=rules).to_dict()


def test_the_cjk_flavour_indexes_bigrams_and_single_characters_and_searches_bigrams_with_synonyms():
    settings = definition()["settings"]
    analyzers, filters = settings["analysis"]["analyzer"], settings["analysis"]["filter"]

    assert (settings["number_of_shards"], settings["number_of_replicas"]) == (1, 0)
    assert analyzers["mall_text"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "mall_cjk_bigram_unigrams"],
    }
    assert filters["mall_cjk_bigram_unigrams"] == {"type": "cjk_bigram", "output_unigrams": True}
    assert analyzers["mall_text_search"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "cjk_bigram", "mall_synonyms"],
    }
    assert filters["mall_synonyms"] == {"type": "synonym_graph", "synonyms": RULES, "lenient": True}
    assert analyzers["mall_pinyin"] == {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]}
    assert analyzers["mall_suggest"] == {"type": "custom", "tokenizer": "keyword", "filter": ["cjk_width", "lowercase"]}


@pytest.mark.parametrize(
    ("flavour", "index_tokenizer", "search_tokenizer"),
    [("ik", "ik_max_word", "ik_smart"), ("smartcn", "smartcn_tokenizer", "smartcn_tokenizer")],
)
def test_the_plugin_flavours_use_the_plugins_tokenizers(flavour, index_tokenizer, search_tokenizer):
    analysis_settings = definition(flavour)["settings"]["analysis"]

    assert analysis_settings["analyzer"]["mall_text"] == {
        "type": "custom",
        "tokenizer": index_tokenizer,
        "filter": ["lowercase"],
    }
    assert analysis_settings["analyzer"]["mall_text_search"] == {
        "type": "custom",
        "tokenizer": search_tokenizer,
        "filter": ["lowercase", "mall_synonyms"],
    }
    assert list(analysis_settings["filter"]) == ["mall_synonyms"]


def test_without_synonyms_there_is_no_synonym_filter():
    analysis_settings = definition(rules=[])["settings"]["analysis"]

    assert "mall_synonyms" not in analysis_settings["filter"]
    assert analysis_settings["analyzer"]["mall_text_search"]["filter"] == ["cjk_width", "lowercase", "cjk_bigram"]


def test_the_mapping_has_every_field_with_its_type_and_analyzer():
    properties = definition()["mappings"]["properties"]
    text = {"type": "text", "analyzer": "mall_text", "search_analyzer": "mall_text_search"}
    pinyin = {"type": "text", "analyzer": "mall_pinyin"}
    money = {"type": "scaled_float", "scaling_factor": 100}

    assert properties["name"] == {**text, "fields": {"raw": {"type": "keyword"}}}
    for name in ("description", "category_path", "merchant", "region"):
        assert properties[name] == text, name
    for name in ("pinyin", "initials", "category_pinyin"):
        assert properties[name] == pinyin, name
    for name in ("price", "price_max", "member_price"):
        assert properties[name] == money, name
    for name in ("id", "category_id", "category_ids", "merchant_id", "popularity"):
        assert properties[name] == {"type": "integer"}, name
    assert properties["slug"] == {"type": "keyword", "index": False}
    assert properties["relief_certified"] == {"type": "boolean"}
    assert properties["certifications"] == {
        "type": "nested",
        "properties": {
            "number": {"type": "keyword"},
            "status": {"type": "keyword"},
            "region_code": {"type": "keyword"},
            "province": {"type": "keyword"},
            "prefecture": {"type": "keyword"},
            "county": {"type": "keyword"},
            "valid": {"type": "date_range", "format": "yyyy-MM-dd"},
        },
    }
    assert properties["listings"] == {
        "type": "nested",
        "properties": {
            "channel_id": {"type": "integer"},
            "published": {"type": "boolean"},
            "published_at": {"type": "date"},
            "visible_in_listings": {"type": "boolean"},
            "available_from": {"type": "date"},
            "in_stock": {"type": "boolean"},
        },
    }
    assert properties["suggest"] == {
        "type": "completion",
        "analyzer": "mall_suggest",
        "contexts": [{"name": "channel", "type": "category"}],
        "max_input_length": 50,
    }
    assert len(properties) == 21


@pytest.mark.parametrize(
    ("configured", "plugins", "flavour"),
    [
        ("auto", set(), "cjk"),
        ("auto", {"analysis-smartcn"}, "smartcn"),
        ("auto", {"analysis-smartcn", "analysis-ik"}, "ik"),
        ("ik", {"analysis-ik"}, "ik"),
        ("ik", {"analysis-smartcn"}, "cjk"),
        ("smartcn", set(), "cjk"),
        ("cjk", {"analysis-ik"}, "cjk"),
        ("jieba", {"analysis-ik"}, "cjk"),
    ],
)
def test_the_flavour_follows_the_setting_and_the_clusters_plugins(configured, plugins, flavour):
    assert analysis.resolve_flavour(configured, plugins) == flavour


def test_the_setting_is_read_lower_cased_with_auto_as_default(settings):
    settings.ELASTICSEARCH_ANALYZER = "SmartCN"
    assert analysis.configured_flavour() == "smartcn"
    del settings.ELASTICSEARCH_ANALYZER
    assert analysis.configured_flavour() == "auto"


def test_synonym_rows_become_solr_rules_and_rule_syntax_in_words_is_cut(db):
    Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, words=["土豆", "马铃薯", "洋芋", "土豆"])
    Synonym.objects.create(kind=Synonym.Kind.EXPANSION, term="橙子", words=["脐橙", "血橙"])
    Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, words=["番茄,西红柿=>x", "西红柿"])
    Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, words=["孤词"])
    Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, words=["停用", "不用"], is_active=False)

    assert analysis.active_synonym_rules() == ["土豆, 马铃薯, 洋芋", "橙子 => 橙子, 脐橙, 血橙", "番茄, 西红柿"]


def test_a_new_index_is_named_after_the_alias_and_the_time():
    moment = datetime(2026, 11, 28, 4, 30, 5, 123456, tzinfo=UTC)
    assert new_index_name("union-mall-products", moment) == "union-mall-products-20261128043005123456"


def test_the_alias_moves_in_one_atomic_request_and_the_building_alias_goes():
    actions = alias_swap_actions("products", "products-2", ["products-1", "products-0"])

    assert actions == [
        {"add": {"index": "products-2", "alias": "products"}},
        {"remove": {"index": "products-0", "alias": "products"}},
        {"remove": {"index": "products-1", "alias": "products"}},
        {"remove": {"index": "products-2", "alias": "products-building"}},
    ]


def test_an_index_that_took_the_alias_name_is_removed_in_the_same_request():
    actions = alias_swap_actions("products", "products-2", [], legacy_index=True)

    assert actions[-1] == {"remove_index": {"index": "products"}}
    assert actions[0] == {"add": {"index": "products-2", "alias": "products"}}
