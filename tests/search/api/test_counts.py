"""A search counts its results once: the count that chose the tier is the result's count, remembered by the
queryset until the rows change."""

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import selectors
from catalog.models import Product
from search import indexing, ranking
from search.documents import SEARCH_CONFIG
from search.models import StaleProduct, Synonym

ORANGES = {"赣南脐橙", "秭归脐橙", "奉节脐橙礼盒"}  # 未上架脐橙 is not published


def search(catalogue, text):
    products = selectors.visible_products(catalogue.channel)
    return selectors.filter_products(products, catalogue.channel, selectors.ProductFilter(search=text))


def test_the_results_of_a_search_are_not_counted_again(catalogue):
    results = search(catalogue, "脐橙").order_by("-search_rank", "-pk")
    with CaptureQueriesContext(connection) as queries:
        total = results.count()
    assert len(queries) == 0
    assert total == len(ORANGES)
    assert {product.name for product in results} == ORANGES


def test_the_count_is_forgotten_when_the_rows_change(catalogue):
    results = search(catalogue, "脐橙")
    in_stock = results.filter(selectors.in_stock_condition(catalogue.channel))
    assert in_stock.count() == 2 == len(list(in_stock))  # 秭归脐橙 has no stock
    assert results.exclude(name="赣南脐橙").count() == 2
    assert results[:1].count() == 1
    assert results.none().count() == 0
    plums = Product.objects.filter(name="巫山脆李")
    assert (results | plums).count() == len(ORANGES) + 1  # the same number of conditions, joined by OR


def test_a_search_found_by_pinyin_slips_is_counted_by_the_database(catalogue):
    indexing.index_stale_products()  # the pinyin tier reads the documents
    results = search(catalogue, "脐澄")  # a homophone slip: found by pinyin, a tier that is not counted first
    assert results.count() == len(ORANGES) == len(list(results))


def names(results) -> set[str]:
    return {product.name for product in results}


def test_products_saved_before_their_documents_are_refreshed_are_found_by_their_names(catalogue, monkeypatch):
    # The fixture's products were saved and not indexed yet (the task runs on commit): found by name, by id.
    assert names(search(catalogue, "脐橙")) == ORANGES
    # When more are waiting than are named by id (a bulk change being indexed), by the name test itself.
    monkeypatch.setattr(ranking, "STALE_BY_ID_LIMIT", 2)
    assert names(search(catalogue, "脐橙")) == ORANGES
    monkeypatch.undo()

    indexing.index_stale_products()
    renamed = catalogue.products["巫山脆李"]
    renamed.name = "巫山脆李脐橙拼箱"
    renamed.save()
    assert StaleProduct.objects.get().product_id == renamed.pk  # its document still says 脆李
    assert names(search(catalogue, "脐橙")) == ORANGES | {"巫山脆李脐橙拼箱"}
    assert search(catalogue, "脐橙").count() == len(ORANGES) + 1
    # A product the queryset leaves out is not brought back by its name: 未上架脐橙 stays hidden.
    indexing.mark_stale(Product.objects.filter(name="未上架脐橙").values_list("pk", flat=True))
    assert names(search(catalogue, "脐橙")) == ORANGES | {"巫山脆李脐橙拼箱"}


def test_a_search_with_nothing_stale_is_the_words_alone(catalogue):
    """The condition the index answers by itself: no test of the name beside it to check every row again."""
    indexing.index_stale_products()
    with CaptureQueriesContext(connection) as queries:
        assert names(search(catalogue, "脐橙")) == ORANGES
    conditions = queries.captured_queries[-1]["sql"].split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
    assert "search_name_vector" in conditions and "LIKE" not in conditions
    # Nor is any product's name compared first: one probe of the stale products' index says there are none.
    probes = [query["sql"] for query in queries.captured_queries if "search_staleproduct" in query["sql"]]
    assert len(probes) == 1 and "LIKE" not in probes[0]


def test_a_word_is_looked_up_in_the_index_once(db):
    """Each word, and each synonym, only in its prefix form, which finds the word itself too: the exact form
    beside it made the index read the same posting list twice."""
    Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, words=["土豆", "马铃薯", "洋芋"])
    assert ranking.parse("土豆").in_names == "('土豆':* | '马铃薯':* | '洋芋':*)"
    for text in ("家庭", "土豆", "脐橙 礼盒", "qicheng"):
        parsed = ranking.parse(text)
        for condition in (parsed.in_names, parsed.anywhere):
            lexemes = [part.strip("() ") for part in condition.replace("&", "|").split("|")]
            assert lexemes and all(lexeme.endswith(":*") for lexeme in lexemes), condition
            assert len(lexemes) == len(set(lexemes)), condition


def test_a_synonym_that_a_shorter_prefix_covers_is_left_out(catalogue):
    """`'茶':*` finds 茶叶 too, and `'脐橙':*` every product 脐橙礼盒 finds: the index reads each posting list
    once, and the search finds exactly what every option written out finds."""
    Synonym.objects.create(kind=Synonym.Kind.EXPANSION, term="茶", words=["茶叶", "红茶"])
    Synonym.objects.create(kind=Synonym.Kind.EXPANSION, term="橙子", words=["脐橙", "脐橙礼盒", "血橙"])
    assert ranking.parse("茶").in_names == "('茶':* | '红茶':*)"
    # 血橙 is two words to jieba, neither covered by another option: kept, as both
    assert ranking.parse("橙子").in_names == "('橙子':* | '脐橙':* | ('血':* & '橙':*))"
    indexing.index_stale_products()  # the synonyms are in place: the documents read them
    written_out = {
        "茶": "'茶':* | '茶叶':* | '红茶':*",
        "橙子": "'橙子':* | '脐橙':* | ('脐橙':* & '礼盒':*) | ('血':* & '橙':*)",
    }
    for text, everything in written_out.items():
        every_option = SearchQuery(everything, search_type="raw", config=SEARCH_CONFIG)
        visible = selectors.visible_products(catalogue.channel)
        expected = set(visible.filter(search_name_vector=every_option).values_list("name", flat=True))
        assert expected, text
        assert set(search(catalogue, text).values_list("name", flat=True)) == expected, text
