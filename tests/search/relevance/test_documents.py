"""What a product's search document holds, the same whether built one by one or in bulk, and synonyms."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import services
from catalog.models import Product
from search import service
from search.models import StaleProduct, Synonym
from tests import factories
from tests.demo.test_bulk_products import draft


def vector_of(product) -> str:
    with connection.cursor() as cursor:
        cursor.execute("select search_vector::text from catalog_product where id = %s", [product.pk])
        return cursor.fetchone()[0]


def weights_of(product) -> dict[str, set[str]]:
    """{lexeme: its weights} from the stored tsvector ('银球':2A,31 → {A, D}; no letter means D)."""
    weights = {}
    for item in vector_of(product).split(" "):
        lexeme, _, positions = item.rpartition(":")
        weights[lexeme.strip("'")] = {
            position[-1] if position[-1].isalpha() else "D" for position in positions.split(",")
        }
    return weights


def test_the_document_weighs_name_category_details_and_merchant(channel):
    root = factories.category(name="茶饮冲调")
    leaf = factories.category(name="茶叶", parent=root)
    product = factories.product(
        channel=channel, name="雷山银球茶", category=leaf, merchant=factories.merchant(name="苗岭生态茶业有限公司")
    )
    services.refresh_search_document(product.pk)
    weights = weights_of(product)
    for lexeme in ["银球", "yinqiu", "yq", "cha", "leishanyinqiucha", "lsyqc", "yinqiucha"]:
        assert "A" in weights[lexeme], lexeme
    for lexeme in ["茶叶", "冲调", "chaye"]:
        assert weights[lexeme] == {"B"}, lexeme
    assert weights["采摘"] == {"C"}  # the description
    assert weights["苗岭"] == {"D"}  # the merchant


def test_bulk_creation_builds_the_same_document_and_vector_as_a_refresh(channel, warehouse):
    root = factories.category(name="粮油米面")
    parts = {"merchant": factories.merchant(name="定西市安定区马铃薯产业专业合作社"), "warehouse": warehouse}
    parts["category"] = factories.category(name="面粉挂面", parent=root)
    services.bulk_create_products(drafts=[draft(slug="bulk-1", **parts)], channel=channel)
    counts = []
    for numbers in (range(2, 4), range(4, 8)):
        drafts = [draft(slug=f"bulk-{n}", skus=(f"B-{n}",), **parts) for n in numbers]
        with CaptureQueriesContext(connection) as queries:
            services.bulk_create_products(drafts=drafts, channel=channel)
        counts.append(len(queries))
    assert counts[0] == counts[1]  # a fixed number of statements, category paths included
    product = Product.objects.get(slug="bulk-1")
    bulk_document, bulk_vector = product.search_document, vector_of(product)
    assert "面粉" in bulk_document and "粮油" in bulk_document and "kuanfen" in bulk_document
    services.refresh_search_document(product.pk)
    product.refresh_from_db()
    assert product.search_document == bulk_document
    assert vector_of(product) == bulk_vector


def test_a_product_not_indexed_yet_is_found_by_its_name(channel):
    product = factories.product(channel=channel, name="新到的雪花梨")  # the refresh never ran (no commit)
    assert StaleProduct.objects.filter(pk=product.pk).exists()
    assert list(service.match(Product.objects.all(), "雪花梨")) == [product]


def test_synonyms_apply_at_once_after_an_operator_saves_them(channel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        potato = factories.product(channel=channel, name="定西马铃薯")
    assert list(service.match(Product.objects.all(), "土豆")) == []
    synonym = Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, words=["土豆", "马铃薯", "洋芋"])
    assert list(service.match(Product.objects.all(), "土豆")) == [potato]
    synonym.is_active = False
    synonym.save()
    assert list(service.match(Product.objects.all(), "土豆")) == []
    Synonym.objects.create(kind=Synonym.Kind.EXPANSION, term="薯", words=["马铃薯"])
    assert list(service.match(Product.objects.all(), "薯")) == [potato]
    # An expansion goes one way: 马铃薯 does not find what 薯 names.
    with django_capture_on_commit_callbacks(execute=True):
        factories.product(channel=channel, name="红薯干")
    assert [p.name for p in service.match(Product.objects.all(), "马铃薯")] == ["定西马铃薯"]


def test_the_synonym_admin_lists_and_finds_synonyms(admin_client):
    Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, words=["番茄", "西红柿"])
    response = admin_client.get("/admin/search/synonym/", {"q": "西红柿"})
    assert response.status_code == 200
    assert "番茄 = 西红柿" in response.content.decode()
    assert admin_client.get("/admin/search/synonym/add/").status_code == 200
