"""A small shelf for the search pages: oranges in two categories, tea, a relief product from 泸水市, and the
search tables (suggestion terms, 热搜 statistics, synonyms) as the real search modules read them."""

from datetime import timedelta

from django.utils import timezone

from catalog.models import Product
from search.models import SearchQueryStat, SuggestionTerm, Synonym
from tests import factories
from tests.storefront import relief_data

ORANGE_NAMES = ["赣南脐橙5斤装", "赣南脐橙10斤装", "脐橙果干", "怒江冰糖橙"]


def make_shelf(channel, warehouse) -> dict:
    fruit = factories.category(name="水果", slug="fruit", sort_order=1)
    snacks = factories.category(name="零食", slug="snacks", sort_order=2)
    tea = factories.category(name="茶叶", slug="tea", sort_order=3)
    coop = relief_data.supplier("泸水高原农业合作社", "lushui-coop")

    def product(name, slug, category, price, popularity, **fields):
        made = factories.product(
            channel=channel, name=name, slug=slug, category=category, price=price, warehouse=warehouse, **fields
        )
        Product.objects.filter(pk=made.pk).update(popularity=popularity)
        return made

    products = {
        "赣南脐橙5斤装": product("赣南脐橙5斤装", "gannan-qicheng-5", fruit, "39.90", 50),
        "赣南脐橙10斤装": product("赣南脐橙10斤装", "gannan-qicheng-10", fruit, "69.90", 10),
        "脐橙果干": product("脐橙果干", "qicheng-guogan", snacks, "120.00", 5, quantity=0),
        "怒江冰糖橙": product("怒江冰糖橙", "nujiang-bingtangcheng", fruit, "29.90", 20, merchant=coop.merchant),
        "普洱茶": product("普洱茶", "puer-cha", tea, "199.00", 100),
    }
    relief_data.certify(coop, [products["怒江冰糖橙"]], "LS-2026-001")
    return {"products": products, "categories": {"水果": fruit, "零食": snacks, "茶叶": tea}}


def make_search_tables():
    """Rows the real suggestions, 热搜 and alternatives read: what the tests expect them to find."""
    SuggestionTerm.objects.bulk_create(
        [
            SuggestionTerm(
                kind="PRODUCT",
                text="赣南脐橙5斤装",
                slug="gannan-qicheng-5",
                pinyin="gannanqicheng5jinzhuang",
                initials="gnqc5jz",
                weight=50,
            ),
            SuggestionTerm(kind="CATEGORY", text="水果", slug="fruit", pinyin="shuiguo", initials="sg", weight=4),
            SuggestionTerm(kind="TERM", text="脐橙", pinyin="qicheng", initials="qc", weight=30),
        ],
        # Where saving the shelf committed (browser tests), indexing has already made the products' terms.
        update_conflicts=True,
        unique_fields=["kind", "text"],
        update_fields=["slug", "pinyin", "initials", "weight"],
    )
    today = timezone.localdate()
    SearchQueryStat.objects.bulk_create(
        [
            SearchQueryStat(day=today, text="脐橙", searches=30, searches_with_results=30),
            SearchQueryStat(day=today - timedelta(days=1), text="普洱茶", searches=12, searches_with_results=12),
            # Searched a lot but never found anything: no 热搜.
            SearchQueryStat(day=today, text="榴莲", searches=80, searches_with_results=0),
        ]
    )
    Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, words=["番茄", "西红柿"])
    Synonym.objects.create(kind=Synonym.Kind.EXPANSION, term="橙子", words=["脐橙", "冰糖橙"])
