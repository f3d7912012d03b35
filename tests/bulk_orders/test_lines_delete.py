"""Removing quick-order lines from a draft: services.delete_lines and bulkOrderLinesDelete (in the style of
checkoutLinesDelete: the bulk order back, or errors { field message code })."""

import pytest

from bulk_orders import services
from bulk_orders.models import BulkOrderLine, BulkOrderTransition, BulkRecipient
from mall.errors import DomainError, PermissionDenied
from mall.graphql.ids import to_global_id
from tests.bulk_orders import flow_fixtures
from tests.bulk_orders.flow_fixtures import api_for

tree, people, shop, draft = flow_fixtures.tree, flow_fixtures.people, flow_fixtures.shop, flow_fixtures.draft
fast_password_hashing, no_relief_minimum = flow_fixtures.fast_password_hashing, flow_fixtures.no_relief_minimum

DELETE = """mutation($id: ID!, $linesIds: [ID!]!) {
  bulkOrderLinesDelete(id: $id, linesIds: $linesIds) {
    bulkOrder { status total { amount } lines { id sku quantity } }
    errors { field message code }
  } }"""


def recipient_line(bulk_order, shop):
    recipient = BulkRecipient.objects.create(
        bulk_order=bulk_order, name="张三", phone="+8613800000001", province="广东省", city="深圳市",
        district="南山区", street_address="科技园 1 号", row_number=2,
    )  # fmt: skip
    return bulk_order.lines.create(recipient=recipient, variant=shop.oil, quantity=1, row_number=2)


def line_ids(bulk_order):
    return [to_global_id("BulkOrderLine", pk) for pk in bulk_order.lines.values_list("pk", flat=True)]


# --- The service ------------------------------------------------------------------------------------
def test_deleting_quick_order_lines_updates_the_total_and_records_nothing(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2), (shop.oil.sku, 1)], by=people.clerk)
    apple = draft.lines.get(variant=shop.apple)
    services.delete_lines(draft, [apple.pk], by=people.clerk)
    draft.refresh_from_db()
    assert list(draft.lines.values_list("variant", flat=True)) == [shop.oil.pk]
    assert draft.total_amount == shop.oil.price_amount
    assert BulkOrderTransition.objects.filter(bulk_order=draft).count() == 1  # only 创建采购单


def test_nothing_is_deleted_when_one_id_is_not_a_quick_order_line_of_this_order(draft, people, shop, tree):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    apple = draft.lines.get()
    listed = recipient_line(draft, shop)
    other = services.create_bulk_order(branch=tree.union, name="另一单", by=people.clerk)
    services.add_lines(other, [(shop.oil.sku, 1)], by=people.clerk)
    with pytest.raises(DomainError) as listed_error:
        services.delete_lines(draft, [apple.pk, listed.pk], by=people.clerk)
    assert listed_error.value.code == "INVALID" and "重新上传" in listed_error.value.message
    with pytest.raises(DomainError) as foreign:
        services.delete_lines(draft, [apple.pk, other.lines.get().pk], by=people.clerk)
    assert foreign.value.code == "NOT_FOUND"
    with pytest.raises(DomainError) as empty:
        services.delete_lines(draft, [], by=people.clerk)
    assert empty.value.code == "REQUIRED"
    assert draft.lines.count() == 2 and other.lines.count() == 1


def test_only_editors_of_the_branch_delete_and_only_from_a_draft(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    line = draft.lines.get()
    for outsider in (people.viewer, people.sibling_clerk):
        with pytest.raises(PermissionDenied):
            services.delete_lines(draft, [line.pk], by=outsider)
    services.submit(draft, by=people.clerk)
    with pytest.raises(DomainError) as submitted:
        services.delete_lines(draft, [line.pk], by=people.clerk)
    assert submitted.value.code == "INVALID_STATUS" and "不能删除商品" in submitted.value.message
    assert BulkOrderLine.objects.filter(pk=line.pk).exists()


def test_an_operator_may_delete(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    services.delete_lines(draft, [draft.lines.get().pk], by=people.operator)
    assert not draft.lines.exists()


# --- GraphQL ---------------------------------------------------------------------------------------
def test_bulk_order_lines_delete_returns_the_bulk_order(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2), (shop.oil.sku, 1)], by=people.clerk)
    apple = to_global_id("BulkOrderLine", draft.lines.get(variant=shop.apple).pk)
    result = api_for(people.clerk).data(DELETE, {"id": to_global_id("BulkOrder", draft.pk), "linesIds": [apple]})
    payload = result["bulkOrderLinesDelete"]
    assert payload["errors"] == []
    assert [line["sku"] for line in payload["bulkOrder"]["lines"]] == [shop.oil.sku]
    assert payload["bulkOrder"]["total"]["amount"] == float(shop.oil.price_amount)


def test_bulk_order_lines_delete_errors(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    listed = recipient_line(draft, shop)
    clerk, bulk_id = api_for(people.clerk), to_global_id("BulkOrder", draft.pk)

    def errors(ids, bulk=bulk_id, client=clerk):
        return client.data(DELETE, {"id": bulk, "linesIds": ids})["bulkOrderLinesDelete"]["errors"]

    assert errors([to_global_id("BulkOrderLine", listed.pk)])[0]["code"] == "INVALID"
    assert errors([to_global_id("BulkOrderLine", 2**40)]) == [
        {"field": "linesIds", "message": "要删除的商品不在这张采购单上，可能已被删除。", "code": "NOT_FOUND"}
    ]
    assert errors([to_global_id("Product", 1)])[0] == {
        "field": "linesIds",
        "message": "Must receive a BulkOrderLine id.",
        "code": "GRAPHQL_ERROR",
    }
    assert errors(["not-an-id"])[0]["code"] == "GRAPHQL_ERROR"
    assert errors([])[0]["code"] == "REQUIRED"
    # A bulk order the requestor does not see is not found.
    sibling = api_for(people.sibling_clerk)
    line = to_global_id("BulkOrderLine", draft.lines.get(recipient=None).pk)
    assert errors([line], client=sibling)[0]["code"] == "NOT_FOUND"
    assert draft.lines.count() == 2


def test_a_viewer_is_refused_by_permission(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 2)], by=people.clerk)
    status, body = api_for(people.viewer).post(
        DELETE, {"id": to_global_id("BulkOrder", draft.pk), "linesIds": line_ids(draft)}
    )
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert draft.lines.count() == 1
