"""The product document as built from real rows: pinyin, category path, prices, relief data, listings."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import services
from catalog.models import Product
from relief_sourcing.models import ReliefCertification
from search.elastic.documents import (
    IndexingContext,
    build_document,
    pinyin_tokens,
    products_for_indexing,
    suggest_inputs,
)
from tests import factories
from tests.search.elastic.conftest import certify


def document_of(product) -> dict:
    loaded = products_for_indexing([product.pk]).get()
    return build_document(loaded, IndexingContext.load()).to_dict(include_meta=True)


def test_pinyin_tokens_hold_the_whole_name_and_each_word_in_full_and_initials():
    full, initials = pinyin_tokens("赣南脐橙")
    assert full.split() == ["gannanqicheng", "gannan", "qicheng"]
    assert initials.split() == ["gnqc", "gn", "qc"]


def test_pinyin_tokens_also_read_the_chinese_of_a_mixed_name_alone():
    full, initials = pinyin_tokens("5L电压力锅")
    assert {"5ldianyaliguo", "dianyaliguo", "yaliguo"} <= set(full.split())
    assert {"dylg", "ylg"} <= set(initials.split())


def test_suggest_inputs_reach_a_product_by_name_words_pinyin_and_initials():
    inputs = suggest_inputs("赣南脐橙")
    assert inputs[:3] == ["赣南脐橙", "gannanqicheng", "gnqc"]
    assert {"脐橙", "qicheng", "qc", "赣南", "gannan", "gn"} <= set(inputs)


def test_the_document_of_a_certified_product_holds_its_text_pinyin_prices_and_relief_data(catalogue):
    document = document_of(catalogue.orange)
    source = document["_source"]
    today = timezone.localdate()

    assert document["_id"] == catalogue.orange.pk
    assert source["id"] == catalogue.orange.pk
    assert source["name"] == "赣南脐橙"
    assert source["slug"] == catalogue.orange.slug
    assert source["category_path"] == "新鲜水果 / 柑橘"
    assert source["category_id"] == catalogue.citrus.pk
    assert source["category_ids"] == [catalogue.fruit.pk, catalogue.citrus.pk]
    assert source["merchant"] == "寻乌县赣南脐橙专业合作社"
    assert source["region"] == "江西省 赣州市 寻乌县 江西省赣州市寻乌县"
    assert "qicheng" in source["pinyin"].split()
    assert "qc" in source["initials"].split()
    assert set(source["category_pinyin"].split()) >= {"xinxianshuiguo", "ganju", "gj"}
    # Two variants: 59.90 and 60.90, member prices 55.00 and 56.00.
    assert (source["price"], source["price_max"], source["member_price"]) == (
        Decimal("59.90"),
        Decimal("60.90"),
        Decimal("55.00"),
    )
    assert source["relief_certified"] is True
    assert source["certifications"] == [
        {
            "number": "XWBF-2026-001",
            "status": "VALID",
            "region_code": "360734",
            "province": "江西省",
            "prefecture": "赣州市",
            "county": "寻乌县",
            "valid": {
                "gte": (today - timedelta(days=30)).isoformat(),
                "lte": (today + timedelta(days=300)).isoformat(),
            },
        }
    ]
    [listing] = source["listings"]
    assert listing["channel_id"] == catalogue.channel.pk
    assert listing["published"] is True and listing["visible_in_listings"] is True
    assert listing["in_stock"] is True
    assert listing["published_at"] <= timezone.now()
    assert source["suggest"]["contexts"] == {"channel": [str(catalogue.channel.pk)]}
    assert source["suggest"]["weight"] == 1
    assert {"赣南脐橙", "qicheng", "qc"} <= set(source["suggest"]["input"])


def test_an_uncertified_product_without_stock_says_so(catalogue):
    source = document_of(catalogue.chilli)["_source"]

    assert source["relief_certified"] is False
    # Empty values are left out of the document (elasticsearch-dsl's to_dict), as Elasticsearch reads them.
    assert "certifications" not in source and source["region"] == ""
    assert source["listings"][0]["in_stock"] is False
    assert source["member_price"] == Decimal("25.00")


def test_an_expired_or_revoked_certification_is_kept_but_not_counted_as_certified(catalogue):
    ReliefCertification.objects.filter(products=catalogue.orange).update(
        status=ReliefCertification.Status.REVOKED, revoked_reason="抽检不合格"
    )
    certify(catalogue.noodles, catalogue.supplier, catalogue.region, number="XWBF-2020-009", days_from=-400, days_to=-1)

    orange, noodles = document_of(catalogue.orange)["_source"], document_of(catalogue.noodles)["_source"]

    assert orange["relief_certified"] is False
    assert orange["certifications"][0]["status"] == "REVOKED"
    assert orange["region"] == "江西省赣州市寻乌县"  # the merchant's own region only
    assert noodles["relief_certified"] is False
    assert noodles["certifications"][0]["valid"]["lte"] == (timezone.localdate() - timedelta(days=1)).isoformat()


def test_stock_counts_only_in_the_warehouses_of_the_listing_channel(catalogue, channel):
    other_channel = factories.channel(slug="branch-shop", name="分会商城")
    services.publish_product(product=catalogue.chilli, channel=other_channel)
    other_warehouse = factories.warehouse(channels=[other_channel])
    services.set_stock(variant=catalogue.chilli.variants.get(), warehouse=other_warehouse, quantity=3)

    listings = {row["channel_id"]: row for row in document_of(catalogue.chilli)["_source"]["listings"]}

    assert listings[channel.pk]["in_stock"] is False
    assert listings[other_channel.pk]["in_stock"] is True


def test_a_product_listed_nowhere_has_a_placeholder_suggestion_context(channel):
    product = factories.product(channel=channel, name="未上架的茶叶", published=False)

    source = document_of(product)["_source"]

    assert "listings" not in source
    assert source["suggest"]["contexts"] == {"channel": ["none"]}


def test_popularity_weights_the_completion(catalogue):
    Product.objects.filter(pk=catalogue.orange.pk).update(popularity=41)

    source = document_of(catalogue.orange)["_source"]

    assert source["popularity"] == 41
    assert source["suggest"]["weight"] == 42


def test_loading_documents_takes_the_same_queries_for_three_products_or_thirty(channel, warehouse):
    def count_queries(how_many: int) -> int:
        products = [factories.product(channel=channel, warehouse=warehouse) for _ in range(how_many)]
        context = IndexingContext.load()

        with CaptureQueriesContext(connection) as captured:
            documents = [build_document(p, context) for p in products_for_indexing([p.pk for p in products])]
        assert len(documents) == how_many
        return len(captured)

    assert count_queries(3) == count_queries(30) == 5  # products, variants, stocks, listings, certifications
