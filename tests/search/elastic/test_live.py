"""The Elasticsearch backend against a real cluster: start one (`docker compose --profile elasticsearch up -d
elasticsearch`) and set ELASTICSEARCH_URL=http://127.0.0.1:9200 to run it. Each test works in indices of its
own (a unique alias) and removes them at the end."""

import os
import uuid

import pytest

from catalog import services
from catalog.models import Product
from search.backends.base import SearchFilters
from search.backends.elastic import ElasticsearchBackend
from search.elastic import indexes
from tests import factories

pytestmark = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="ELASTICSEARCH_URL is not set: the live Elasticsearch suite needs a cluster "
    "(docker compose --profile elasticsearch up -d elasticsearch; ELASTICSEARCH_URL=http://127.0.0.1:9200)",
)


@pytest.fixture
def live(settings):
    settings.ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
    settings.ELASTICSEARCH_INDEX = f"test-union-mall-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    yield ElasticsearchBackend()
    indexes.delete_indices()


@pytest.fixture
def indexed(live, catalogue):
    assert live.reindex() == 4
    return live


def ranked_names(backend, text, queryset=None):
    found = backend.match(queryset if queryset is not None else Product.objects.all(), text)
    return [product.name for product in found.order_by("-search_rank", "pk")]


def refresh():
    indexes.client().indices.refresh(index=indexes.alias_name())


def counts(facet):
    return {bucket.value: bucket.count for bucket in facet.buckets}


def test_reindex_builds_a_new_index_then_moves_the_alias_and_deletes_the_old_one(live, catalogue):
    es, alias = indexes.client(), indexes.alias_name()
    progress = []

    assert live.reindex(lambda done, total: progress.append((done, total))) == 4
    [first] = indexes.indices_of(es, alias)
    assert first.startswith(f"{alias}-")
    assert progress[-1] == (4, 4)
    assert es.count(index=alias)["count"] == 4

    assert live.reindex() == 4
    [second] = indexes.indices_of(es, alias)

    assert second != first
    assert not es.indices.exists(index=first)
    assert indexes.indices_of(es, indexes.building_alias_name(alias)) == []
    assert ranked_names(live, "脐橙")[0] == "赣南脐橙"


@pytest.mark.parametrize("text", ["脐橙", "qicheng", "qc", "脐澄", "赣南 脐橙", "QiCheng"])
def test_navel_oranges_come_first(indexed, text):
    assert ranked_names(indexed, text)[0] == "赣南脐橙"


def test_a_name_match_ranks_above_a_description_and_a_merchant_match(indexed):
    names = ranked_names(indexed, "脐橙")

    assert names[0] == "赣南脐橙"
    assert set(names[1:]) <= {"鲜榨橙汁", "客家手工米粉"}
    assert "湘西剁辣椒" not in names


def test_the_partner_region_and_the_category_find_products(indexed):
    assert ranked_names(indexed, "寻乌")[0] == "赣南脐橙"
    assert ranked_names(indexed, "柑橘") == ["赣南脐橙"]


def test_the_queryset_filters_still_apply(indexed, catalogue):
    assert ranked_names(indexed, "脐橙", Product.objects.exclude(pk=catalogue.orange.pk))[0] != "赣南脐橙"


def test_bad_input_never_errors(indexed):
    specials = '+ - && || ! ( ) { } [ ] ^ " ~ * ? : \\ /'
    for text in ["", specials, ("脐橙" + specials + "\x00\x07") * 500, "a" * 10_000, "'; DROP TABLE x; --"]:
        assert isinstance(ranked_names(indexed, text), list)
        assert isinstance(indexed.suggest(text, factories.channel()), list)


def test_facets_count_the_results_each_with_the_other_selections(indexed, catalogue):
    products, channel = Product.objects.all(), catalogue.channel

    category, region, price, relief, in_stock = indexed.facets(products, channel, "脐橙", SearchFilters())

    assert counts(category) == {
        str(catalogue.citrus.pk): 1,
        str(catalogue.juice.category_id): 1,
        str(catalogue.staples.pk): 1,
    }
    assert counts(region) == {"360734": 1}
    assert counts(price) == {"0-50": 2, "50-100": 1, "100-200": 0, "200-500": 0, "500-": 0}
    assert counts(relief) == {"true": 1}
    assert counts(in_stock) == {"true": 3}

    selected = SearchFilters(relief_certified=True)
    category, region, price, relief, in_stock = indexed.facets(products, channel, "脐橙", selected)

    assert counts(category) == {str(catalogue.citrus.pk): 1}
    assert counts(price) == {"0-50": 0, "50-100": 1, "100-200": 0, "200-500": 0, "500-": 0}
    assert counts(relief) == {"true": 1}  # its own selection left out
    assert relief.buckets[0].selected is True


def test_facets_without_text_count_what_the_channel_lists(indexed, catalogue):
    facets = indexed.facets(Product.objects.all(), catalogue.channel, "", SearchFilters(in_stock=True))
    by_name = {facet.name: facet for facet in facets}

    assert counts(by_name["in_stock"]) == {"true": 3}  # the chilli sauce is out of stock
    assert sum(counts(by_name["category"]).values()) == 3
    assert counts(by_name["region"]) == {"360734": 1}


def test_suggestions_complete_chinese_pinyin_and_initials_within_the_channel(indexed, catalogue):
    for prefix in ["赣南", "脐", "qic", "gn", "qc"]:
        assert [s.text for s in indexed.suggest(prefix, catalogue.channel)] == ["赣南脐橙"], prefix
    assert indexed.suggest("qic", catalogue.channel)[0].slug == catalogue.orange.slug
    assert indexed.suggest("qic", factories.channel(slug="elsewhere", name="别的商城")) == []


def test_index_products_updates_and_deletes_single_documents(indexed, catalogue):
    services.update_product(catalogue.juice, name="鲜榨脐橙汁")
    Product.objects.filter(pk=catalogue.chilli.pk).delete()

    assert indexed.index_products([catalogue.juice.pk, catalogue.chilli.pk]) == 2
    refresh()

    assert ranked_names(indexed, "橙汁") == ["鲜榨脐橙汁"]
    assert ranked_names(indexed, "剁辣椒") == []
    assert not indexes.client().exists(index=indexes.alias_name(), id=catalogue.chilli.pk)


def test_index_products_before_any_reindex_makes_the_index(live, catalogue):
    assert live.index_products([catalogue.orange.pk]) == 1
    refresh()

    assert ranked_names(live, "脐橙") == ["赣南脐橙"]
