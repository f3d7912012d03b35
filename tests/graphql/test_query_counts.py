"""Lists run a fixed number of SQL queries whatever their page size."""

import pytest

from catalog import services
from tests import factories
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
# channel, page of products (category, merchant, product type joined), variants, their stocks, media,
# channel listings, totalCount
PRODUCT_CARD_QUERIES = 7


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
    for page_size in (10, 100):
        with django_assert_num_queries(PRODUCT_CARD_QUERIES):
            data = api.data(PRODUCT_CARDS, {"first": page_size})
        edges = data["products"]["edges"]
        assert len(edges) == page_size
        assert data["products"]["totalCount"] == 101
        assert all(len(edge["node"]["variants"]) == 2 for edge in edges)
        assert all(edge["node"]["thumbnail"] for edge in edges)

    for page_size in (10, 100):
        # channel, the page, attribute values, collections: only what is selected is loaded.
        with django_assert_num_queries(4):
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
    # category, children, their count, channel, the products' ids and rows, their count, media, listings, variants
    for page_size in (5, 50):
        with django_assert_num_queries(10):
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
    for page_size in (3, 12):
        # channel, products with category and parent joined
        with django_assert_num_queries(2):
            edges = api.data(query, {"first": page_size})["products"]["edges"]
        assert [edge["node"]["category"]["parent"] for edge in edges] == [{"slug": "food"}] * page_size


# --- Nested shapes: a list inside a list loads by key in batches, never per parent ---------
@pytest.fixture
def tree(channel, warehouse, media_root):
    """12 root categories with 5 children each; 2 products (2 variants with an attribute) in each child."""
    from catalog.models import AssignedVariantAttributeValue, Attribute, AttributeValue

    size = Attribute.objects.create(name="规格", slug="gui-ge")
    values = [AttributeValue.objects.create(attribute=size, name=f"{n}kg", slug=f"{n}kg") for n in (1, 5)]
    merchant = factories.merchant()
    roots, products = [], []
    for root_number in range(12):
        root = factories.category(name=f"Root {root_number:02}")
        roots.append(root)
        for child_number in range(5):
            child = factories.category(name=f"Child {root_number:02}-{child_number}", parent=root)
            for product_number in range(2):
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
