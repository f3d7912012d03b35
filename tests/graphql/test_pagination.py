"""Relay connections: first/after forward, last/before backward, totalCount, limits and cursor errors."""

import base64
import json

import pytest

from tests import factories

PAGE = """
query Page($first: Int, $after: String, $last: Int, $before: String, $sortBy: ProductOrder) {
  products(first: $first, after: $after, last: $last, before: $before, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name } }
  }
}
"""
NAMES = ["Apple", "Banana", "Cherry", "Damson", "Elderberry"]


@pytest.fixture
def five_products(channel, warehouse):
    merchant = factories.merchant()
    # Created in a shuffled order so that the name order is not the creation order.
    for name in ["Cherry", "Apple", "Elderberry", "Banana", "Damson"]:
        factories.product(channel=channel, name=name, merchant=merchant, warehouse=warehouse)


def names(page) -> list[str]:
    return [edge["node"]["name"] for edge in page["edges"]]


def test_first_pages_forward_with_cursors_until_the_end(api, five_products):
    first_page = api.data(PAGE, {"first": 2})["products"]
    assert names(first_page) == ["Apple", "Banana"]
    assert first_page["totalCount"] == 5
    assert first_page["pageInfo"]["hasNextPage"] is True
    assert first_page["pageInfo"]["hasPreviousPage"] is False
    assert first_page["pageInfo"]["startCursor"] == first_page["edges"][0]["cursor"]
    assert first_page["pageInfo"]["endCursor"] == first_page["edges"][1]["cursor"]

    second_page = api.data(PAGE, {"first": 2, "after": first_page["pageInfo"]["endCursor"]})["products"]
    assert names(second_page) == ["Cherry", "Damson"]
    assert (second_page["pageInfo"]["hasNextPage"], second_page["pageInfo"]["hasPreviousPage"]) == (True, True)

    last_page = api.data(PAGE, {"first": 2, "after": second_page["pageInfo"]["endCursor"]})["products"]
    assert names(last_page) == ["Elderberry"]
    assert (last_page["pageInfo"]["hasNextPage"], last_page["pageInfo"]["hasPreviousPage"]) == (False, True)
    assert last_page["totalCount"] == 5


def test_last_pages_backward_from_the_end_in_list_order(api, five_products):
    last_page = api.data(PAGE, {"last": 2})["products"]
    assert names(last_page) == ["Damson", "Elderberry"]
    assert (last_page["pageInfo"]["hasNextPage"], last_page["pageInfo"]["hasPreviousPage"]) == (False, True)

    middle = api.data(PAGE, {"last": 2, "before": last_page["pageInfo"]["startCursor"]})["products"]
    assert names(middle) == ["Banana", "Cherry"]
    assert (middle["pageInfo"]["hasNextPage"], middle["pageInfo"]["hasPreviousPage"]) == (True, True)

    front = api.data(PAGE, {"last": 2, "before": middle["pageInfo"]["startCursor"]})["products"]
    assert names(front) == ["Apple"]
    assert (front["pageInfo"]["hasNextPage"], front["pageInfo"]["hasPreviousPage"]) == (True, False)
    assert front["totalCount"] == 5


def test_paging_forward_and_back_on_a_descending_sort_meets_every_product_once(api, five_products):
    sort = {"field": "NAME", "direction": "DESC"}
    seen, after = [], None
    while True:
        page = api.data(PAGE, {"first": 2, "after": after, "sortBy": sort})["products"]
        seen += names(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(NAMES))

    back = api.data(PAGE, {"last": 3, "before": page["pageInfo"]["startCursor"], "sortBy": sort})["products"]
    assert names(back) == ["Damson", "Cherry", "Banana"]


def test_a_product_added_in_front_does_not_shift_the_next_page(api, five_products, channel, warehouse):
    first_page = api.data(PAGE, {"first": 2})["products"]
    factories.product(channel=channel, name="Aardvark fruit", warehouse=warehouse)
    second_page = api.data(PAGE, {"first": 2, "after": first_page["pageInfo"]["endCursor"]})["products"]
    assert names(second_page) == ["Cherry", "Damson"]
    assert second_page["totalCount"] == 6


def test_total_count_alone_needs_no_first_or_last(api, five_products):
    assert api.data("{ products { totalCount } }")["products"]["totalCount"] == 5


def test_first_one_hundred_is_allowed_and_one_hundred_and_one_is_refused(api, five_products):
    assert len(api.data(PAGE, {"first": 100})["products"]["edges"]) == 5
    assert api.error(PAGE, {"first": 101}) == (
        "Requesting 101 records on the `products` connection exceeds the `first` limit of 100 records."
    )
    assert api.error(PAGE, {"last": 500}) == (
        "Requesting 500 records on the `products` connection exceeds the `last` limit of 100 records."
    )


def test_negative_page_sizes_are_refused(api, five_products):
    assert api.error(PAGE, {"first": -1}) == "Argument `first` must be a non-negative integer."
    assert api.error(PAGE, {"last": -3}) == "Argument `last` must be a non-negative integer."


def test_edges_without_first_or_last_are_refused_as_in_saleor(api, five_products):
    assert api.error(PAGE, {}) == (
        "You must provide a `first` or `last` value to properly paginate the `products` connection."
    )


def test_first_with_last_or_before_and_last_with_after_are_refused(api, five_products):
    cursor = api.data(PAGE, {"first": 1})["products"]["pageInfo"]["endCursor"]
    assert api.error(PAGE, {"first": 1, "last": 1}) == "Argument `last` cannot be combined with `first`."
    assert api.error(PAGE, {"first": 1, "before": cursor}) == "Argument `first` cannot be combined with `before`."
    assert api.error(PAGE, {"last": 1, "after": cursor}) == "Argument `last` cannot be combined with `after`."


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        base64.b64encode(b"not json").decode(),
        base64.b64encode(json.dumps({"a": 1}).encode()).decode(),
        base64.b64encode(json.dumps(["name,slug,pk", "Apple", "apple"]).encode()).decode(),
        base64.b64encode(json.dumps(["name,slug,pk", "Apple", "apple", "twelve"]).encode()).decode(),
        base64.b64encode(json.dumps(["name,slug,pk", "Apple", "apple", 2**70]).encode()).decode(),
        base64.b64encode(json.dumps(["name,slug,pk", ["x"], "apple", 1]).encode()).decode(),
    ],
)
def test_a_malformed_cursor_is_a_clear_error(api, five_products, cursor):
    assert api.error(PAGE, {"first": 2, "after": cursor}) == "Received cursor is invalid."


def test_a_cursor_from_another_sort_order_is_refused(api, five_products):
    by_price = api.data(PAGE, {"first": 2, "sortBy": {"field": "PRICE", "direction": "ASC"}})["products"]
    message = api.error(PAGE, {"first": 2, "after": by_price["pageInfo"]["endCursor"]})
    assert message.startswith("Received cursor is invalid: it belongs to a list in another sort order.")


def test_a_cursor_with_a_bad_date_is_refused(api, five_products):
    sort = {"field": "CREATED_AT", "direction": "ASC"}
    cursor = base64.b64encode(json.dumps(["created_at,pk", "yesterday", 1]).encode()).decode()
    assert api.error(PAGE, {"first": 2, "after": cursor, "sortBy": sort}) == "Received cursor is invalid."
