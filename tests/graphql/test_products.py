"""The `products`, `product` and `productVariant` queries: filters, sorting, visibility, prices, stock, lookups."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from catalog import services
from catalog.models import Attribute
from catalog.slugs import slug_from_name
from members.models import MemberProfile
from tests import factories
from tests.graphql.conftest import GraphQLClient
from tests.graphql.helpers import gid

LIST = """
query List($filter: ProductFilterInput, $sortBy: ProductOrder, $search: String, $channel: String) {
  products(first: 20, filter: $filter, sortBy: $sortBy, search: $search, channel: $channel) {
    totalCount
    edges { node { name } }
  }
}
"""


BY_SLUG = "query($slug: String) { product(slug: $slug) { name } }"
BY_ID = "query($id: ID) { product(id: $id) { name } }"


def listed_names(api, **variables) -> list[str]:
    return [edge["node"]["name"] for edge in api.data(LIST, variables)["products"]["edges"]]


# --- Filters ----------------------------------------------------------------------------
@pytest.fixture
def shelf(channel, warehouse):
    """Four products across a two-level category tree, two merchants, one collection and stock levels."""
    food = factories.category(name="Food")
    grain = factories.category(name="Grain", parent=food)
    tea = factories.category(name="Tea")
    farm = factories.merchant(name="Farm co-op", kind="relief_supplier")
    products = {
        "Rice": factories.product(channel=channel, name="Rice", category=grain, price="30.00", merchant=farm),
        "Noodles": factories.product(channel=channel, name="Noodles", category=food, price="12.50"),
        "Green tea": factories.product(channel=channel, name="Green tea", category=tea, price="88.00", merchant=farm),
        "Black tea": factories.product(channel=channel, name="Black tea", category=tea, price="45.00", quantity=0),
    }
    gifts = services.create_collection(name="Festival gifts", slug="festival-gifts")
    services.add_products_to_collection(collection=gifts, products=[products["Rice"], products["Green tea"]])
    services.publish_collection(collection=gifts, channel=channel)
    return {"food": food, "grain": grain, "tea": tea, "farm": farm, "gifts": gifts, **products}


def test_without_filters_every_visible_product_is_listed_by_name(api, shelf):
    assert listed_names(api) == ["Black tea", "Green tea", "Noodles", "Rice"]


def test_search_matches_part_of_the_name(api, shelf):
    assert listed_names(api, filter={"search": "tea"}) == ["Black tea", "Green tea"]
    assert listed_names(api, search="Rice") == ["Rice"]


def test_a_category_filter_includes_the_categories_below_it(api, shelf):
    assert listed_names(api, filter={"categories": [gid("Category", shelf["food"].pk)]}) == ["Noodles", "Rice"]
    assert listed_names(api, filter={"categories": [gid("Category", shelf["grain"].pk)]}) == ["Rice"]


def test_collection_filter(api, shelf):
    assert listed_names(api, filter={"collections": [gid("Collection", shelf["gifts"].pk)]}) == ["Green tea", "Rice"]


def test_merchant_filter(api, shelf):
    assert listed_names(api, filter={"merchants": [gid("Merchant", shelf["farm"].pk)]}) == ["Green tea", "Rice"]


def test_ids_filter(api, shelf):
    ids = [gid("Product", shelf["Noodles"].pk), gid("Product", shelf["Black tea"].pk)]
    assert listed_names(api, filter={"ids": ids}) == ["Black tea", "Noodles"]


def test_price_range_filter_is_inclusive_at_both_ends(api, shelf):
    assert listed_names(api, filter={"price": {"gte": 30, "lte": 88}}) == ["Black tea", "Green tea", "Rice"]
    assert listed_names(api, filter={"price": {"lte": 12.5}}) == ["Noodles"]
    assert listed_names(api, filter={"price": {"gte": 88.01}}) == []


def test_is_available_filter_separates_products_with_and_without_stock(api, shelf):
    assert listed_names(api, filter={"isAvailable": True}) == ["Green tea", "Noodles", "Rice"]
    assert listed_names(api, filter={"isAvailable": False}) == ["Black tea"]


def test_filters_combine(api, shelf):
    combined = {"categories": [gid("Category", shelf["tea"].pk)], "isAvailable": True, "price": {"gte": 50}}
    assert listed_names(api, filter=combined) == ["Green tea"]


def test_a_filter_id_of_the_wrong_type_is_a_clear_error(api, shelf):
    message = api.error(LIST, {"filter": {"categories": [gid("Product", shelf["Rice"].pk)]}})
    assert message == "Must receive a Category id."
    assert api.error(LIST, {"filter": {"ids": ["garbage"]}}) == "Couldn't resolve id: garbage."


# --- Sorting ----------------------------------------------------------------------------
@pytest.fixture
def sortable(channel, warehouse):
    """Three products whose name, price, creation and modification orders all differ."""
    merchant = factories.merchant()
    plum = factories.product(channel=channel, name="Plum", price="20.00", merchant=merchant, warehouse=warehouse)
    fig = factories.product(channel=channel, name="Fig", price="35.00", merchant=merchant, warehouse=warehouse)
    kiwi = factories.product(channel=channel, name="Kiwi", price="5.00", merchant=merchant, warehouse=warehouse)
    services.update_product(plum, seo_title="Plums")  # now the most recently modified
    return [plum, fig, kiwi]


@pytest.mark.parametrize(
    ("field", "ascending"),
    [
        ("NAME", ["Fig", "Kiwi", "Plum"]),
        ("PRICE", ["Kiwi", "Plum", "Fig"]),
        ("MINIMAL_PRICE", ["Kiwi", "Plum", "Fig"]),
        ("CREATED_AT", ["Plum", "Fig", "Kiwi"]),
        ("LAST_MODIFIED_AT", ["Fig", "Kiwi", "Plum"]),
    ],
)
def test_each_sort_field_orders_both_ways(api, sortable, field, ascending):
    assert listed_names(api, sortBy={"field": field, "direction": "ASC"}) == ascending
    assert listed_names(api, sortBy={"field": field, "direction": "DESC"}) == list(reversed(ascending))


def test_products_without_variants_sort_last_by_price_ascending_and_first_descending(api, sortable, channel):
    factories.product(channel=channel, name="Unpriced", variants=0)
    assert listed_names(api, sortBy={"field": "PRICE", "direction": "ASC"}) == ["Kiwi", "Plum", "Fig", "Unpriced"]
    assert listed_names(api, sortBy={"field": "PRICE", "direction": "DESC"}) == ["Unpriced", "Fig", "Plum", "Kiwi"]


def test_paging_through_a_price_sort_with_unpriced_products_meets_each_once(api, sortable, channel):
    factories.product(channel=channel, name="Unpriced A", variants=0)
    factories.product(channel=channel, name="Unpriced B", variants=0)
    query = """
    query($after: String, $direction: OrderDirection!) {
      products(first: 2, after: $after, sortBy: {field: PRICE, direction: $direction}) {
        pageInfo { hasNextPage endCursor } edges { node { name } }
      }
    }"""
    for direction, expected in [
        ("ASC", ["Kiwi", "Plum", "Fig", "Unpriced A", "Unpriced B"]),
        ("DESC", ["Unpriced B", "Unpriced A", "Fig", "Plum", "Kiwi"]),
    ]:
        seen, after = [], None
        while True:
            page = api.data(query, {"after": after, "direction": direction})["products"]
            seen += [edge["node"]["name"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert seen == expected


def test_an_unknown_sort_field_is_refused_before_running(api, sortable):
    status, body = api.post(LIST, {"sortBy": {"field": "POPULARITY", "direction": "ASC"}})
    assert status == 400
    assert "POPULARITY" in body["errors"][0]["message"]


def test_sort_by_without_a_field_is_a_clear_error(api, sortable):
    assert api.error(LIST, {"sortBy": {"direction": "ASC"}}) == "You must provide `field` to sort the products."


# --- Visibility -------------------------------------------------------------------------
@pytest.fixture
def draft(channel, warehouse):
    factories.product(channel=channel, name="On sale", warehouse=warehouse)
    return factories.product(channel=channel, name="Draft", published=False, warehouse=warehouse)


def test_an_unpublished_product_is_hidden_from_anonymous_visitors(api, draft):
    assert listed_names(api) == ["On sale"]
    assert api.data(BY_SLUG, {"slug": draft.slug})["product"] is None


def test_operators_see_unpublished_products(staff_api, draft):
    assert listed_names(staff_api) == ["Draft", "On sale"]
    assert staff_api.data(BY_SLUG, {"slug": draft.slug})["product"] == {"name": "Draft"}


def test_a_product_published_for_later_is_hidden_until_then(api, channel, warehouse):
    later = factories.product(channel=channel, name="Later", warehouse=warehouse)
    services.publish_product(product=later, channel=channel, published_at=timezone.now() + timedelta(days=1))
    assert listed_names(api) == []


def test_a_product_hidden_from_listings_is_still_found_by_slug(api, channel, warehouse):
    hidden = factories.product(channel=channel, name="Hidden", warehouse=warehouse)
    services.publish_product(product=hidden, channel=channel, visible_in_listings=False)
    assert listed_names(api) == []
    assert api.data(BY_SLUG, {"slug": hidden.slug})["product"] == {"name": "Hidden"}


# --- Channels ---------------------------------------------------------------------------
def test_without_a_channel_argument_the_default_channel_is_used(api, channel, warehouse, settings):
    factories.product(channel=channel, name="Default shelf", warehouse=warehouse)
    other = factories.channel(slug="retirees", name="退休职工专区")
    factories.product(channel=other, name="Other shelf", warehouse=factories.warehouse(channels=[other]))
    assert channel.slug == settings.DEFAULT_CHANNEL_SLUG
    assert listed_names(api) == ["Default shelf"]
    assert listed_names(api, channel="retirees") == ["Other shelf"]
    assert api.data("{ products(first: 1) { edges { node { channel } } } }")["products"]["edges"][0]["node"] == {
        "channel": "union-mall"
    }


def test_an_unknown_channel_is_a_clear_error(api, channel):
    assert api.error(LIST, {"channel": "nowhere"}) == "Channel with 'nowhere' slug does not exist."
    assert api.error('{ product(slug: "x", channel: "nowhere") { name } }') == (
        "Channel with 'nowhere' slug does not exist."
    )


# --- One product ------------------------------------------------------------------------
def test_a_product_is_found_by_its_global_id_and_by_its_slug(api, channel):
    product = factories.product(channel=channel, name="Tea brick")
    query = "query($id: ID, $slug: String) { product(id: $id, slug: $slug) { id name slug } }"
    by_id = api.data(query, {"id": gid("Product", product.pk)})["product"]
    by_slug = api.data(query, {"slug": product.slug})["product"]
    assert by_id == by_slug == {"id": gid("Product", product.pk), "name": "Tea brick", "slug": product.slug}


def test_unknown_ids_and_slugs_give_null(api, channel):
    assert api.data(BY_ID, {"id": gid("Product", 999999)})["product"] is None
    assert api.data('{ product(slug: "no-such-thing") { name } }')["product"] is None
    assert api.data('{ productVariant(sku: "NO-SUCH-SKU") { name } }')["productVariant"] is None


@pytest.mark.parametrize(
    "bad_id", ["garbage", "UHJvZHVjdA==", gid("Product", "abc"), gid("Product", 0), gid("Product", 2**70)]
)
def test_a_malformed_id_is_a_clear_error(api, channel, bad_id):
    assert api.error(BY_ID, {"id": bad_id}) == f"Couldn't resolve id: {bad_id}."


def test_an_id_of_another_type_is_a_clear_error(api, channel):
    category = factories.category(name="Tea")
    assert api.error(BY_ID, {"id": gid("Category", category.pk)}) == "Must receive a Product id."


def test_product_needs_exactly_one_of_id_and_slug(api, channel):
    assert api.error("{ product { name } }") == "At least one of arguments is required: 'id', 'slug'."
    assert api.error('{ product(id: "UHJvZHVjdDox", slug: "x") { name } }') == (
        "Argument 'id' cannot be combined with 'slug'"
    )


def test_product_fields_in_saleor_shape(api, channel, warehouse):
    category = factories.category(name="Dried fruit")
    merchant = factories.merchant(name="Yunnan co-op", kind="relief_supplier", region="云南省保山市隆阳区")
    product = factories.product(
        channel=channel, name="Dried mango", category=category, merchant=merchant, warehouse=warehouse
    )
    services.update_product(product, seo_title="Mango", seo_description="Sun-dried", weight=Decimal("250.00"))
    services.assign_attribute(product=product, attribute_name="产地", value="云南省保山市")
    data = api.data(
        """query($slug: String) { product(slug: $slug) {
             name seoTitle seoDescription description weight { unit value }
             productType { name hasVariants } category { name slug level }
             attributes { attribute { name slug inputType } values { name } }
             merchant { id name kind region } defaultVariant { sku }
           } }""",
        {"slug": product.slug},
    )["product"]
    assert data["seoTitle"] == "Mango"
    assert data["seoDescription"] == "Sun-dried"
    paragraph = {"type": "paragraph", "data": {"text": "产地直供，新鲜采摘。"}}
    assert json.loads(data["description"])["blocks"] == [paragraph]
    assert data["weight"] == {"unit": "G", "value": 250.0}
    assert data["productType"] == {"name": "农产品", "hasVariants": True}
    assert data["category"] == {"name": "Dried fruit", "slug": category.slug, "level": 0}
    origin = {"name": "产地", "slug": "chan-di", "inputType": "DROPDOWN"}
    assert data["attributes"] == [{"attribute": origin, "values": [{"name": "云南省保山市"}]}]
    assert data["merchant"] == {
        "id": gid("Merchant", merchant.pk),
        "name": "Yunnan co-op",
        "kind": "RELIEF_SUPPLIER",
        "region": "云南省保山市隆阳区",
    }
    assert data["defaultVariant"] == {"sku": product.variants.first().sku}


def test_product_collections_show_only_collections_visible_in_the_channel(api, staff_api, channel):
    product = factories.product(channel=channel, name="Gift box")
    shown = services.create_collection(name="Shown", slug="shown")
    hidden = services.create_collection(name="Hidden", slug="hidden")
    services.add_products_to_collection(collection=shown, products=[product])
    services.add_products_to_collection(collection=hidden, products=[product])
    services.publish_collection(collection=shown, channel=channel)
    query = "query($slug: String) { product(slug: $slug) { collections { name channel } } }"
    shown_to_members = api.data(query, {"slug": product.slug})["product"]["collections"]
    shown_to_staff = staff_api.data(query, {"slug": product.slug})["product"]["collections"]
    assert shown_to_members == [{"name": "Shown", "channel": "union-mall"}]
    assert [collection["name"] for collection in shown_to_staff] == ["Hidden", "Shown"]


# --- Prices and availability ------------------------------------------------------------
PRICES = """
query($slug: String!) {
  product(slug: $slug) {
    pricing {
      onSale discount { gross { amount } } displayGrossPrices
      priceRange {
        start { currency gross { amount currency } net { amount currency } tax { amount currency } }
        stop { gross { amount } net { amount } tax { amount } }
      }
      priceRangeUndiscounted { start { gross { amount } } stop { gross { amount } } }
    }
    memberPriceRange { start { amount currency } stop { amount currency } }
    variants {
      sku
      memberPrice { amount currency fractionalAmount fractionDigits }
      pricing {
        onSale price { gross { amount } } priceUndiscounted { gross { amount } } memberPrice { gross { amount } }
      }
    }
  }
}
"""


def test_price_ranges_span_the_variants_with_vat_inside_the_gross_price(api, channel):
    product = factories.product(channel=channel, name="Honey", price="38.80", member_price="35.50", variants=3)
    pricing = api.data(PRICES, {"slug": product.slug})["product"]["pricing"]
    assert pricing["onSale"] is False
    assert pricing["discount"] is None
    assert pricing["displayGrossPrices"] is True
    assert pricing["priceRange"]["start"] == {
        "currency": "CNY",
        "gross": {"amount": 38.8, "currency": "CNY"},
        "net": {"amount": 38.8, "currency": "CNY"},
        "tax": {"amount": 0.0, "currency": "CNY"},
    }
    assert pricing["priceRange"]["stop"] == {
        "gross": {"amount": 40.8},
        "net": {"amount": 40.8},
        "tax": {"amount": 0.0},
    }
    assert pricing["priceRangeUndiscounted"] == {
        "start": {"gross": {"amount": 38.8}},
        "stop": {"gross": {"amount": 40.8}},
    }


def test_member_prices_are_shown_per_variant_and_as_a_range(api, channel):
    product = factories.product(channel=channel, name="Honey", price="38.80", member_price="35.50", variants=2)
    data = api.data(PRICES, {"slug": product.slug})["product"]
    assert data["memberPriceRange"] == {
        "start": {"amount": 35.5, "currency": "CNY"},
        "stop": {"amount": 36.5, "currency": "CNY"},
    }
    first_variant = data["variants"][0]
    assert first_variant["memberPrice"] == {
        "amount": 35.5,
        "currency": "CNY",
        "fractionalAmount": 3550,
        "fractionDigits": 2,
    }
    assert first_variant["pricing"] == {
        "onSale": False,
        "price": {"gross": {"amount": 38.8}},
        "priceUndiscounted": {"gross": {"amount": 38.8}},
        "memberPrice": {"gross": {"amount": 35.5}},
    }


def test_member_price_is_null_for_a_variant_without_one(api, channel):
    product = factories.product(channel=channel, name="Salt", price="3.00")
    data = api.data(PRICES, {"slug": product.slug})["product"]
    assert data["memberPriceRange"] is None
    assert data["variants"][0]["memberPrice"] is None
    assert data["variants"][0]["pricing"]["memberPrice"] is None


def test_pricing_is_null_for_a_product_not_listed_in_the_channel(staff_api, channel):
    other = factories.channel(slug="retirees", name="退休职工专区")
    product = factories.product(channel=other, name="Elsewhere")
    data = staff_api.data(PRICES, {"slug": product.slug})["product"]
    assert data["pricing"] is None
    assert data["variants"][0]["pricing"] is None


# --- Prices for the person asking ---------------------------------------------------------
def member_client(django_user_model, status: str) -> GraphQLClient:
    """A signed-in user whose member profile has the given verification status."""
    user = django_user_model.objects.create_user(f"{status}@example.com", "pass-1234-word")
    MemberProfile.objects.create(user=user, number=f"M-{status}", verification_status=status)
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


@pytest.fixture
def honey(channel, warehouse):
    """List prices 38.80 and 39.80, member prices 35.50 and 36.50."""
    return factories.product(
        channel=channel, name="Honey", price="38.80", member_price="35.50", variants=2, warehouse=warehouse
    )


def test_a_verified_member_pays_member_prices_and_sees_list_prices_as_undiscounted(django_user_model, honey):
    verified = member_client(django_user_model, "verified")
    data = verified.data(PRICES, {"slug": honey.slug})["product"]
    assert data["pricing"]["onSale"] is True
    assert data["pricing"]["discount"] == {"gross": {"amount": 3.3}}
    assert data["pricing"]["priceRange"]["start"]["gross"] == {"amount": 35.5, "currency": "CNY"}
    assert data["pricing"]["priceRange"]["stop"]["gross"] == {"amount": 36.5}
    assert data["pricing"]["priceRangeUndiscounted"] == {
        "start": {"gross": {"amount": 38.8}},
        "stop": {"gross": {"amount": 39.8}},
    }
    assert data["variants"][1]["pricing"] == {
        "onSale": True,
        "price": {"gross": {"amount": 36.5}},
        "priceUndiscounted": {"gross": {"amount": 39.8}},
        "memberPrice": {"gross": {"amount": 36.5}},
    }


@pytest.mark.parametrize("status", ["unverified", "pending", "rejected"])
def test_members_not_verified_pay_list_prices(django_user_model, honey, status):
    data = member_client(django_user_model, status).data(PRICES, {"slug": honey.slug})["product"]
    assert data["pricing"]["onSale"] is False
    assert data["pricing"]["priceRange"]["start"]["gross"] == {"amount": 38.8, "currency": "CNY"}
    assert data["variants"][0]["pricing"]["price"] == {"gross": {"amount": 38.8}}
    assert data["variants"][0]["pricing"]["memberPrice"] == {"gross": {"amount": 35.5}}


def test_an_anonymous_visitor_pays_list_prices_and_sees_member_prices_for_comparison(api, honey):
    data = api.data(PRICES, {"slug": honey.slug})["product"]
    assert data["pricing"]["priceRange"]["start"]["gross"] == {"amount": 38.8, "currency": "CNY"}
    assert data["memberPriceRange"]["start"] == {"amount": 35.5, "currency": "CNY"}
    assert data["variants"][0]["pricing"]["onSale"] is False


def test_a_verified_member_pays_the_list_price_of_a_variant_without_a_member_price(django_user_model, channel):
    salt = factories.product(channel=channel, name="Salt", price="3.00")
    data = member_client(django_user_model, "verified").data(PRICES, {"slug": salt.slug})["product"]
    assert data["pricing"]["onSale"] is False
    assert data["pricing"]["priceRange"]["start"]["gross"]["amount"] == 3.0
    assert data["variants"][0]["pricing"]["price"] == {"gross": {"amount": 3.0}}


def test_a_verified_member_sees_member_prices_in_the_products_list_and_in_product_variant(django_user_model, honey):
    verified = member_client(django_user_model, "verified")
    query = "{ products(first: 5) { edges { node { pricing { priceRange { start { gross { amount } } } } } } } }"
    edges = verified.data(query)["products"]["edges"]
    assert [edge["node"]["pricing"]["priceRange"]["start"]["gross"]["amount"] for edge in edges] == [35.5]
    second = honey.variants.order_by("sort_order", "pk")[1]
    variant = verified.data(VARIANT, {"sku": second.sku})["productVariant"]
    assert variant["pricing"] == {"price": {"gross": {"amount": 36.5}}}


AVAILABILITY = """
query($slug: String!) {
  product(slug: $slug) {
    isAvailable isAvailableForPurchase availableForPurchaseAt
    variants { quantityAvailable trackInventory }
  }
}
"""


def test_a_product_with_stock_is_available(api, channel, warehouse):
    product = factories.product(channel=channel, name="Rice", quantity=7, warehouse=warehouse)
    data = api.data(AVAILABILITY, {"slug": product.slug})["product"]
    assert data["isAvailable"] is True
    assert data["isAvailableForPurchase"] is True
    assert data["variants"] == [{"quantityAvailable": 7, "trackInventory": True}]


def test_a_product_without_stock_is_not_available(api, channel, warehouse):
    product = factories.product(channel=channel, name="Rice", quantity=0, warehouse=warehouse)
    data = api.data(AVAILABILITY, {"slug": product.slug})["product"]
    assert data["isAvailable"] is False
    assert data["isAvailableForPurchase"] is True
    assert data["variants"] == [{"quantityAvailable": 0, "trackInventory": True}]


def test_stock_in_a_warehouse_of_another_channel_does_not_count(api, channel):
    other = factories.channel(slug="retirees", name="退休职工专区")
    elsewhere = factories.warehouse(channels=[other])
    product = factories.product(channel=channel, name="Rice", quantity=9, warehouse=elsewhere)
    data = api.data(AVAILABILITY, {"slug": product.slug})["product"]
    assert data["isAvailable"] is False
    assert data["variants"][0]["quantityAvailable"] == 0


def test_quantity_available_adds_up_the_unallocated_stock_of_every_warehouse_of_the_channel(api, channel, warehouse):
    product = factories.product(channel=channel, name="Rice", quantity=7, warehouse=warehouse)
    variant = product.variants.get()
    services.set_stock(variant=variant, warehouse=factories.warehouse(channels=[channel]), quantity=5)
    variant.stocks.filter(warehouse=warehouse).update(quantity_allocated=3)
    data = api.data(AVAILABILITY, {"slug": product.slug})["product"]
    assert data["variants"] == [{"quantityAvailable": 9, "trackInventory": True}]


def test_quantity_available_is_capped_at_the_checkout_line_limit_as_in_saleor(api, channel, warehouse, settings):
    product = factories.product(channel=channel, name="Rice", quantity=398, warehouse=warehouse)
    assert api.data(AVAILABILITY, {"slug": product.slug})["product"]["variants"][0]["quantityAvailable"] == 50
    settings.MAX_CHECKOUT_LINE_QUANTITY = 20
    assert api.data(AVAILABILITY, {"slug": product.slug})["product"]["variants"][0]["quantityAvailable"] == 20


def test_quantity_available_is_capped_at_the_variants_limit_per_customer(api, channel, warehouse):
    product = factories.product(channel=channel, name="Rice", quantity=30, warehouse=warehouse)
    product.variants.update(quantity_limit_per_customer=5)
    assert api.data(AVAILABILITY, {"slug": product.slug})["product"]["variants"][0]["quantityAvailable"] == 5


def test_a_product_on_sale_only_tomorrow_is_not_available_for_purchase_yet(api, channel, warehouse):
    product = factories.product(channel=channel, name="Mooncakes", warehouse=warehouse)
    tomorrow = timezone.now() + timedelta(days=1)
    services.publish_product(product=product, channel=channel, available_for_purchase_at=tomorrow)
    data = api.data(AVAILABILITY, {"slug": product.slug})["product"]
    assert (data["isAvailable"], data["isAvailableForPurchase"]) == (False, False)
    assert data["availableForPurchaseAt"] == tomorrow.isoformat()


# --- productVariant ---------------------------------------------------------------------
VARIANT = """
query($id: ID, $sku: String) {
  productVariant(id: $id, sku: $sku) {
    id sku name channel quantityAvailable quantityLimitPerCustomer
    pricing { price { gross { amount } } }
    product { name variants { sku } }
  }
}
"""


def test_a_variant_is_found_by_id_and_by_sku(api, channel):
    product = factories.product(channel=channel, name="Tea", price="10.00", variants=2)
    second = product.variants.all()[1]
    by_id = api.data(VARIANT, {"id": gid("ProductVariant", second.pk)})["productVariant"]
    by_sku = api.data(VARIANT, {"sku": second.sku})["productVariant"]
    assert by_id == by_sku
    assert by_id["sku"] == second.sku
    assert by_id["channel"] == "union-mall"
    assert by_id["pricing"] == {"price": {"gross": {"amount": 11.0}}}
    assert by_id["product"]["name"] == "Tea"


def test_a_variant_of_an_unpublished_product_is_hidden_from_anonymous_visitors(api, channel):
    product = factories.product(channel=channel, name="Draft", published=False)
    assert api.data(VARIANT, {"sku": product.variants.first().sku})["productVariant"] is None


def test_a_variant_id_of_another_type_is_a_clear_error(api, channel):
    product = factories.product(channel=channel, name="Tea")
    assert api.error(VARIANT, {"id": gid("Product", product.pk)}) == "Must receive a ProductVariant id."


def test_attributes_hidden_from_the_storefront_are_shown_to_operators_only(api, staff_api, channel):
    product = factories.product(channel=channel, name="Tea")
    services.assign_attribute(product=product, attribute_name="产地", value="云南")
    services.assign_attribute(product=product, attribute_name="进货价", value="8元", sort_order=1)
    Attribute.objects.filter(slug=slug_from_name("进货价")).update(visible_in_storefront=False)
    query = "query($slug: String) { product(slug: $slug) { attributes { attribute { name } values { name } } } }"
    assert api.data(query, {"slug": product.slug})["product"]["attributes"] == [
        {"attribute": {"name": "产地"}, "values": [{"name": "云南"}]}
    ]
    assert staff_api.data(query, {"slug": product.slug})["product"]["attributes"] == [
        {"attribute": {"name": "产地"}, "values": [{"name": "云南"}]},
        {"attribute": {"name": "进货价"}, "values": [{"name": "8元"}]},
    ]
