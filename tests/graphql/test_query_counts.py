"""Lists run a fixed number of SQL queries whatever their page size."""

import pytest
from django.test import Client

from catalog import services
from catalog.models import AssignedVariantAttributeValue, Attribute, AttributeValue
from members.models import MemberProfile
from tests import factories
from tests.graphql.conftest import GraphQLClient
from tests.graphql.helpers import add_picture

PRODUCT_CARDS = """
query($first: Int!) {
  products(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id name slug isAvailable channel
        thumbnail(size: 256) { url alt }
        category { id name slug }
        merchant { id name kind }
        productType { name }
        pricing { priceRange { start { gross { amount currency } } stop { gross { amount } } } }
        memberPriceRange { start { amount } }
        variants { id sku quantityAvailable memberPrice { amount } pricing { price { gross { amount } } } }
        media { url }
      }
    }
  }
}
"""
WITH_ATTRIBUTES_AND_COLLECTIONS = """
query($first: Int!) {
  products(first: $first) {
    edges { node { name attributes { attribute { name } values { name } } collections { name } } }
  }
}
"""
# Once the active channels are cached (after a first request): page of products (category, merchant, product
# type joined), variants, their stocks, media, channel listings, totalCount
PRODUCT_CARD_QUERIES = 6


@pytest.fixture
def catalogue(channel, warehouse, media_root):
    """101 products, each with two variants, a picture, a category, an attribute and a collection."""
    merchant = factories.merchant(name="Co-op", kind="relief_supplier")
    categories = [factories.category(name=f"Category {number}") for number in range(3)]
    collection = services.create_collection(name="Gifts", slug="gifts")
    services.publish_collection(collection=collection, channel=channel)
    products = []
    for number in range(101):
        product = factories.product(
            channel=channel,
            name=f"Product {number:03}",
            category=categories[number % 3],
            merchant=merchant,
            warehouse=warehouse,
            price="10.00",
            member_price="9.00",
            variants=2,
        )
        add_picture(product, size=(8, 8))
        services.assign_attribute(product=product, attribute_name="产地", value=f"县{number % 5}")
        products.append(product)
    services.add_products_to_collection(collection=collection, products=products)
    return products


def test_product_pages_of_10_and_100_run_the_same_fixed_number_of_queries(api, catalogue, django_assert_num_queries):
    # One catalogue serves every measurement: building 101 products is the slow part.
    api.data(PRODUCT_CARDS, {"first": 1})  # warm-up: from here on the active channels come from the cache
    for page_size in (10, 100):
        with django_assert_num_queries(PRODUCT_CARD_QUERIES):
            data = api.data(PRODUCT_CARDS, {"first": page_size})
        edges = data["products"]["edges"]
        assert len(edges) == page_size
        assert data["products"]["totalCount"] == 101
        assert all(len(edge["node"]["variants"]) == 2 for edge in edges)
        assert all(edge["node"]["thumbnail"] for edge in edges)

    for page_size in (10, 100):
        # the page, attribute values, collections: only what is selected is loaded.
        with django_assert_num_queries(3):
            edges = api.data(WITH_ATTRIBUTES_AND_COLLECTIONS, {"first": page_size})["products"]["edges"]
        assert len(edges) == page_size
        assert all(edge["node"]["collections"] == [{"name": "Gifts"}] for edge in edges)
        assert all(len(edge["node"]["attributes"]) == 1 for edge in edges)


CATEGORY_PAGE = """
query($first: Int!) {
  category(slug: "food") {
    name
    children(first: $first) { totalCount edges { node { name slug } } }
    products(first: $first) {
      totalCount
      edges { node { name thumbnail { url } pricing { priceRange { start { gross { amount } } } } variants { sku } } }
    }
  }
}
"""


def test_a_category_page_with_children_and_products_runs_a_fixed_number_of_queries(
    api, channel, warehouse, django_assert_num_queries
):
    root = factories.category(name="Food", slug="food")
    children = [factories.category(name=f"Sub {number:02}", parent=root) for number in range(60)]
    for number in range(60):
        factories.product(channel=channel, name=f"Item {number:02}", category=children[number], warehouse=warehouse)
    api.data(CATEGORY_PAGE, {"first": 1})  # warm-up: from here on the active channels come from the cache
    # category, children, their count, the products' ids and rows, their count, media, listings, variants
    for page_size in (5, 50):
        with django_assert_num_queries(9):
            category = api.data(CATEGORY_PAGE, {"first": page_size})["category"]
        assert len(category["children"]["edges"]) == page_size
        assert category["children"]["totalCount"] == 60
        assert len(category["products"]["edges"]) == page_size
        assert category["products"]["totalCount"] == 60


def test_a_menu_of_categories_with_their_parents_runs_a_fixed_number_of_queries(api, db, django_assert_num_queries):
    root = factories.category(name="Food", slug="food")
    for number in range(30):
        factories.category(name=f"Sub {number:02}", parent=root)
    query = "query($first: Int!) { categories(first: $first, level: 1) { edges { node { name parent { slug } } } } }"
    for page_size in (3, 30):
        with django_assert_num_queries(1):  # the page, its parents joined
            edges = api.data(query, {"first": page_size})["categories"]["edges"]
        assert [edge["node"]["parent"] for edge in edges] == [{"slug": "food"}] * page_size


def test_products_with_their_category_parents_run_a_fixed_number_of_queries(
    api, channel, warehouse, django_assert_num_queries
):
    root = factories.category(name="Food", slug="food")
    for number in range(12):
        leaf = factories.category(name=f"Sub {number:02}", parent=root)
        factories.product(channel=channel, category=leaf, warehouse=warehouse)
    query = "query($first: Int!) { products(first: $first) { edges { node { category { parent { slug } } } } } }"
    api.data(query, {"first": 1})  # warm-up: from here on the active channels come from the cache
    for page_size in (3, 12):
        # products with category and parent joined
        with django_assert_num_queries(1):
            edges = api.data(query, {"first": page_size})["products"]["edges"]
        assert [edge["node"]["category"]["parent"] for edge in edges] == [{"slug": "food"}] * page_size


# --- Nested shapes: a list inside a list loads by key in batches, never per parent ---------
@pytest.fixture
def tree(channel, warehouse, media_root):
    """12 root categories with 5 children each, a product in each child: 2 variants with an attribute each,
    a picture and an origin."""
    size = Attribute.objects.create(name="规格", slug="gui-ge")
    values = [AttributeValue.objects.create(attribute=size, name=f"{n}kg", slug=f"{n}kg") for n in (1, 5)]
    merchant = factories.merchant()
    roots, products = [], []
    for root_number in range(12):
        root = factories.category(name=f"Root {root_number:02}")
        roots.append(root)
        for child_number in range(5):
            child = factories.category(name=f"Child {root_number:02}-{child_number}", parent=root)
            for product_number in range(1):
                product = factories.product(
                    channel=channel,
                    name=f"Item {root_number:02}-{child_number}-{product_number}",
                    category=child,
                    merchant=merchant,
                    warehouse=warehouse,
                    member_price="8.00",
                    variants=2,
                )
                add_picture(product, size=(8, 8))
                services.assign_attribute(product=product, attribute_name="产地", value="云南")
                for variant, value in zip(product.variants.all(), values, strict=True):
                    AssignedVariantAttributeValue.objects.create(variant=variant, value=value)
                products.append(product)
    return {"roots": roots, "products": products}


CATEGORIES_WITH_CHILDREN_AND_PRODUCTS = """
query($first: Int!) {
  categories(first: $first, level: 0) {
    edges { node {
      name
      children(first: 5) { totalCount edges { node { name } } }
      products(first: 3) { totalCount edges { node { name pricing { priceRange { start { gross { amount } } } } } } }
    } }
  }
}
"""
PRODUCTS_WITH_CATEGORY_PRODUCTS = """
query($first: Int!) {
  products(first: $first) {
    edges { node { name category { name products(first: 3) { edges { node { name thumbnail { url } } } } } } }
  }
}
"""
PRODUCTS_WITH_VARIANT_ATTRIBUTES = """
query($first: Int!) {
  products(first: $first) {
    edges { node { name variants { sku attributes { attribute { slug } values { name } } } } }
  }
}
"""
CATEGORY_PRODUCTS_WITH_VARIANTS = """
query($slug: String!, $first: Int!) {
  category(slug: $slug) {
    name
    products(first: $first) {
      edges { node { name variants { sku quantityAvailable pricing { price { gross { amount } } } } } }
    }
  }
}
"""
# The shape Saleor's storefront sends for its product page.
PRODUCT_PAGE = """
query($slug: String!) {
  product(slug: $slug) {
    id name slug description seoTitle seoDescription
    category { id name slug }
    thumbnail(size: 1024, format: WEBP) { url alt }
    media { url alt type }
    pricing {
      onSale
      priceRange { start { gross { amount currency } } stop { gross { amount currency } } }
      priceRangeUndiscounted { start { gross { amount currency } } stop { gross { amount currency } } }
      discount { gross { amount } }
    }
    variants {
      id name sku quantityAvailable
      attributes { attribute { slug name } values { name } }
      pricing {
        onSale
        price { gross { amount currency } }
        priceUndiscounted { gross { amount currency } }
      }
    }
    attributes { attribute { slug name } values { name } }
  }
}
"""


def test_categories_with_their_children_and_products_run_the_same_queries_for_3_or_12_categories(
    api, tree, django_assert_num_queries
):
    api.data(CATEGORIES_WITH_CHILDREN_AND_PRODUCTS, {"first": 1})  # warm-up: the active channels are cached
    for page_size in (3, 12):
        # categories, children, their counts, products' ids and rows, their counts, variants, listings
        with django_assert_num_queries(8):
            edges = api.data(CATEGORIES_WITH_CHILDREN_AND_PRODUCTS, {"first": page_size})["categories"]["edges"]
        assert len(edges) == page_size
        first = edges[0]["node"]
        assert first["children"]["totalCount"] == 5
        assert [edge["node"]["name"] for edge in first["children"]["edges"]] == [f"Child 00-{n}" for n in range(5)]
        assert first["products"]["totalCount"] == 5
        assert [edge["node"]["name"] for edge in first["products"]["edges"]] == [
            "Item 00-0-0",
            "Item 00-1-0",
            "Item 00-2-0",
        ]
        last = edges[-1]["node"]
        assert last["products"]["edges"][0]["node"]["name"] == f"Item {page_size - 1:02}-0-0"
        assert last["products"]["edges"][0]["node"]["pricing"]["priceRange"]["start"]["gross"]["amount"] == 10.0


def test_products_with_the_products_of_their_category_run_the_same_queries_for_3_or_24_products(
    api, tree, django_assert_num_queries
):
    api.data(PRODUCTS_WITH_CATEGORY_PRODUCTS, {"first": 1})  # warm-up: the active channels are cached
    for page_size in (3, 24):
        # products with their category joined, the category products' ids and rows, media
        with django_assert_num_queries(4):
            edges = api.data(PRODUCTS_WITH_CATEGORY_PRODUCTS, {"first": page_size})["products"]["edges"]
        assert len(edges) == page_size
        for edge in edges:
            category = edge["node"]["category"]
            assert [item["node"]["name"] for item in category["products"]["edges"]] == [edge["node"]["name"]]
            assert category["products"]["edges"][0]["node"]["thumbnail"]["url"].startswith("http://testserver/")


def test_products_with_their_variants_attributes_run_the_same_queries_for_3_or_24_products(
    api, tree, django_assert_num_queries
):
    api.data(PRODUCTS_WITH_VARIANT_ATTRIBUTES, {"first": 1})  # warm-up: the active channels are cached
    for page_size in (3, 24):
        # products, variants, variant attribute values
        with django_assert_num_queries(3):
            edges = api.data(PRODUCTS_WITH_VARIANT_ATTRIBUTES, {"first": page_size})["products"]["edges"]
        assert len(edges) == page_size
        assert all(
            [variant["attributes"] for variant in edge["node"]["variants"]]
            == [
                [{"attribute": {"slug": "gui-ge"}, "values": [{"name": "1kg"}]}],
                [{"attribute": {"slug": "gui-ge"}, "values": [{"name": "5kg"}]}],
            ]
            for edge in edges
        )


def test_a_category_with_its_products_and_their_variants_runs_the_same_queries_for_2_or_5_products(
    api, tree, django_assert_num_queries
):
    slug = tree["roots"][0].slug
    api.data(CATEGORY_PRODUCTS_WITH_VARIANTS, {"slug": slug, "first": 1})  # warm-up: the channels are cached
    for page_size in (2, 5):
        # category, products' ids and rows, variants, listings, stocks
        with django_assert_num_queries(6):
            category = api.data(CATEGORY_PRODUCTS_WITH_VARIANTS, {"slug": slug, "first": page_size})["category"]
        edges = category["products"]["edges"]
        assert len(edges) == page_size
        assert all(
            [(variant["quantityAvailable"], variant["pricing"]["price"]["gross"]["amount"]) for variant in variants]
            == [(10, 10.0), (10, 11.0)]
            for variants in (edge["node"]["variants"] for edge in edges)
        )


def test_the_storefront_product_page_query_runs_the_same_queries_for_2_or_5_variants(
    api, channel, warehouse, media_root, django_assert_num_queries
):
    category = factories.category(name="Rice")
    small = factories.product(channel=channel, category=category, warehouse=warehouse, variants=2, member_price="9")
    large = factories.product(channel=channel, category=category, warehouse=warehouse, variants=5, member_price="9")
    for product in (small, large):
        add_picture(product, size=(8, 8))
        services.assign_attribute(product=product, attribute_name="产地", value="云南")
    api.data(PRODUCT_PAGE, {"slug": small.slug})  # warm-up: from here on the active channels come from the cache
    # listing with its product and the product's category joined, media, variants with their stocks, variant
    # attributes, product attributes
    for product, variant_count in ((small, 2), (large, 5)):
        with django_assert_num_queries(5):
            page = api.data(PRODUCT_PAGE, {"slug": product.slug})["product"]
        assert page["category"]["name"] == "Rice"
        assert len(page["variants"]) == variant_count
        assert page["pricing"]["priceRangeUndiscounted"]["start"]["gross"]["amount"] == 10.0
        assert page["attributes"] == [{"attribute": {"slug": "chan-di", "name": "产地"}, "values": [{"name": "云南"}]}]
        assert page["thumbnail"]["url"].endswith("/1024/webp/")


def test_a_variant_looked_up_alone_loads_its_product_without_extra_queries_per_field(
    api, channel, warehouse, django_assert_num_queries
):
    product = factories.product(channel=channel, warehouse=warehouse, variants=3)
    query = """
    query($sku: String!) {
      productVariant(sku: $sku) {
        sku quantityAvailable pricing { price { gross { amount } } }
        product { name variants { sku } pricing { priceRange { start { gross { amount } } } } }
      }
    }"""
    skus = [variant.sku for variant in product.variants.order_by("sort_order", "pk")]
    # channel, variant, listing, stocks, product, its variants
    with django_assert_num_queries(6):
        variant = api.data(query, {"sku": skus[1]})["productVariant"]
    assert variant["pricing"]["price"]["gross"]["amount"] == 11.0
    assert [item["sku"] for item in variant["product"]["variants"]] == skus


def test_the_products_list_for_a_verified_member_shows_member_prices_at_the_same_query_count(
    catalogue, django_user_model, django_assert_num_queries
):
    user = django_user_model.objects.create_user("member@example.com", "pass-1234-word")
    MemberProfile.objects.create(user=user, number="M-1", verification_status="verified")
    client = Client()
    client.force_login(user)
    member_api = GraphQLClient(client)
    member_api.data(PRODUCT_CARDS, {"first": 1})  # warm-up: from here on the active channels come from the cache
    for page_size in (10, 100):
        # The anonymous queries, and the session and its user with the member profile joined (as a Bearer
        # token's user is loaded).
        with django_assert_num_queries(PRODUCT_CARD_QUERIES + 2):
            edges = member_api.data(PRODUCT_CARDS, {"first": page_size})["products"]["edges"]
        assert len(edges) == page_size
        assert {edge["node"]["pricing"]["priceRange"]["start"]["gross"]["amount"] for edge in edges} == {9.0}


def test_categories_with_their_ancestors_run_the_same_queries_for_3_or_30_categories(
    api, db, django_assert_num_queries
):
    root = factories.category(name="Food", slug="food")
    middle = factories.category(name="Grain", slug="grain", parent=root)
    for number in range(30):
        factories.category(name=f"Rice {number:02}", parent=middle)
    query = """
    query($first: Int!) {
      categories(first: $first, level: 2) { edges { node { ancestors(first: 5) { edges { node { slug } } } } } }
    }"""
    for page_size in (3, 30):
        with django_assert_num_queries(2):  # the page, the ancestors of all of it
            edges = api.data(query, {"first": page_size})["categories"]["edges"]
        assert len(edges) == page_size
        assert {tuple(a["node"]["slug"] for a in edge["node"]["ancestors"]["edges"]) for edge in edges} == {
            ("food", "grain")
        }


def test_products_with_the_products_of_their_collections_run_the_same_queries_for_3_or_12_products(
    api, channel, warehouse, django_assert_num_queries
):
    products = [factories.product(channel=channel, name=f"Item {n:02}", warehouse=warehouse) for n in range(12)]
    for number, product in enumerate(products):
        factories.collection(channel=channel, slug=f"set-{number:02}", products=[product])
    query = """
    query($first: Int!) {
      products(first: $first) { edges { node { collections { slug products(first: 2) { totalCount } } } } }
    }"""
    api.data(query, {"first": 1})  # warm-up: from here on the active channels come from the cache
    for page_size in (3, 12):
        # products, their collections, the collections' first products (ids, rows) and counts
        with django_assert_num_queries(5):
            edges = api.data(query, {"first": page_size})["products"]["edges"]
        assert [edge["node"]["collections"] for edge in edges] == [
            [{"slug": f"set-{n:02}", "products": {"totalCount": 1}}] for n in range(page_size)
        ]


def test_nested_first_pages_follow_the_requested_sort_and_page_on_with_their_cursor(api, channel, warehouse):
    for root_name in ("A", "B"):
        root = factories.category(name=root_name)
        for number, price in enumerate(["5.00", "30.00", "12.00"]):
            factories.product(
                channel=channel, name=f"{root_name}{number}", category=root, price=price, warehouse=warehouse
            )
    query = """
    query($after: String) {
      categories(first: 2, level: 0) { edges { node { name
        products(first: 2, after: $after, sortBy: {field: PRICE, direction: DESC}) {
          pageInfo { hasNextPage endCursor } edges { node { name } }
        }
      } } }
    }"""
    edges = api.data(query)["categories"]["edges"]
    pages = [edge["node"]["products"] for edge in edges]
    assert [[item["node"]["name"] for item in page["edges"]] for page in pages] == [["A1", "A2"], ["B1", "B2"]]
    assert all(page["pageInfo"]["hasNextPage"] for page in pages)
    # The cursor of a batched first page continues the same list (read per parent).
    after = pages[0]["pageInfo"]["endCursor"]
    following = api.data(query, {"after": after})["categories"]["edges"][0]["node"]["products"]
    assert [item["node"]["name"] for item in following["edges"]] == ["A0"]
    assert following["pageInfo"]["hasNextPage"] is False
