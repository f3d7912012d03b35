"""The bulk order workflow through GraphQL, end to end; who sees what; query counts."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulk_orders import services
from bulk_orders.models import BulkOrder, BulkRecipient
from mall.graphql.ids import to_global_id
from tests import factories
from tests.bulk_orders import flow_fixtures
from tests.bulk_orders.flow_fixtures import api_for

tree, people, shop, draft = flow_fixtures.tree, flow_fixtures.people, flow_fixtures.shop, flow_fixtures.draft
fast_password_hashing, no_relief_minimum = flow_fixtures.fast_password_hashing, flow_fixtures.no_relief_minimum

ERRORS = "errors { field message code row column skus }"
BULK = """
  id number name note status paymentReference paymentMethod rejectionReason orderNumber
  branch { code name }
  total { amount currency }
  lines { sku name isGiftPack quantity unitPrice { amount } discountPercent totalPrice { amount } recipientName }
  recipients(first: 10) { totalCount edges { node { name phone } } }
  transitions { fromStatus toStatus userEmail comment }
  compliance { passed findings { rule ok message details } }
"""

CREATE = f"""mutation($input: BulkOrderCreateInput!) {{
  bulkOrderCreate(input: $input) {{ bulkOrder {{ {BULK} }} {ERRORS} }} }}"""
LINES = f"""mutation($id: ID!, $lines: [BulkOrderLineInput!]!) {{
  bulkOrderLinesAdd(id: $id, lines: $lines) {{ bulkOrder {{ {BULK} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: BulkOrderUpdateInput!) {{
  bulkOrderUpdate(id: $id, input: $input) {{ bulkOrder {{ {BULK} }} {ERRORS} }} }}"""


def step(name, extra_args="", extra_vars=""):
    return f"""mutation($id: ID!{extra_vars}) {{
  {name}(id: $id{extra_args}) {{ bulkOrder {{ {BULK} }} {ERRORS} }} }}"""


SUBMIT = step("bulkOrderSubmit")
APPROVE = step("bulkOrderApprove")
REJECT = step("bulkOrderReject", ", reason: $reason", ", $reason: String!")
PLACE = step("bulkOrderPlace")
CANCEL = step("bulkOrderCancel")
ONE = f"query($id: ID!) {{ bulkOrder(id: $id) {{ {BULK} }} }}"
LIST = """query($branch: ID, $status: BulkOrderStatusEnum) {
  bulkOrders(first: 10, branch: $branch, status: $status) { totalCount edges { node { name status } } } }"""
CHECK = "query($id: ID!) { bulkOrderComplianceCheck(id: $id) { passed findings { rule ok message } } }"


def test_the_whole_flow_end_to_end(tree, people, shop):
    clerk, approver = api_for(people.clerk), api_for(people.approver)
    created = clerk.data(CREATE, {"input": {"branch": to_global_id("UnionBranch", tree.union.pk), "name": "中秋"}})
    payload = created["bulkOrderCreate"]
    assert payload["errors"] == []
    bulk = payload["bulkOrder"]
    assert bulk["status"] == "DRAFT" and bulk["paymentReference"].startswith("GH")
    assert bulk["branch"]["code"] == "GH-001" and bulk["number"].startswith("CG")
    bulk_id = bulk["id"]

    unknown = clerk.data(LINES, {"id": bulk_id, "lines": [{"sku": "NOPE", "quantity": 1}]})["bulkOrderLinesAdd"]
    assert unknown["errors"] == [
        {"field": "lines", "message": "找不到以下 SKU：NOPE。", "code": "UNKNOWN_SKU", "row": None, "column": None,
         "skus": ["NOPE"]}
    ]  # fmt: skip
    added = clerk.data(
        LINES,
        {"id": bulk_id, "lines": [{"sku": shop.apple.sku, "quantity": 50}, {"sku": shop.pack.sku, "quantity": 1}]},
    )["bulkOrderLinesAdd"]
    assert added["errors"] == []
    assert added["bulkOrder"]["total"] == {"amount": 4950.0, "currency": "CNY"}
    apple = next(line for line in added["bulkOrder"]["lines"] if line["sku"] == shop.apple.sku)
    assert apple["unitPrice"] == {"amount": 95.0} and apple["discountPercent"] == 5.0
    assert added["bulkOrder"]["compliance"]["passed"] is True

    updated = clerk.data(UPDATE, {"id": bulk_id, "input": {"note": "送工会", "paymentMethod": "CARD"}})
    assert updated["bulkOrderUpdate"]["bulkOrder"]["paymentMethod"] == "CARD"
    assert clerk.data(SUBMIT, {"id": bulk_id})["bulkOrderSubmit"]["bulkOrder"]["status"] == "SUBMITTED"

    own = clerk.post(APPROVE, {"id": bulk_id})[1]
    assert own["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert approver.data(APPROVE, {"id": bulk_id})["bulkOrderApprove"]["bulkOrder"]["status"] == "APPROVED"
    placed = clerk.data(PLACE, {"id": bulk_id})["bulkOrderPlace"]
    assert placed["errors"] == []
    assert placed["bulkOrder"]["status"] == "PLACED" and placed["bulkOrder"]["orderNumber"]
    assert [step["toStatus"] for step in placed["bulkOrder"]["transitions"]] == [
        "DRAFT", "SUBMITTED", "APPROVED", "PLACED"
    ]  # fmt: skip
    assert placed["bulkOrder"]["transitions"][2]["userEmail"] == people.approver.email


def test_reject_needs_a_reason_and_compliance_failures_come_back_explained(draft, people, shop, settings):
    clerk, approver = api_for(people.clerk), api_for(people.approver)
    bulk_id = to_global_id("BulkOrder", draft.pk)
    clerk.data(LINES, {"id": bulk_id, "lines": [{"sku": shop.card.sku, "quantity": 1}]})
    refused = clerk.data(SUBMIT, {"id": bulk_id})["bulkOrderSubmit"]
    assert refused["errors"][0]["code"] == "COMPLIANCE_FAILED" and "类现金" in refused["errors"][0]["message"]
    check = clerk.data(CHECK, {"id": bulk_id})["bulkOrderComplianceCheck"]
    assert check["passed"] is False
    assert [finding["rule"] for finding in check["findings"] if not finding["ok"]] == ["CASH_LIKE"]

    draft.lines.all().delete()
    clerk.data(LINES, {"id": bulk_id, "lines": [{"sku": shop.apple.sku, "quantity": 1}]})
    clerk.data(SUBMIT, {"id": bulk_id})
    blank = approver.data(REJECT, {"id": bulk_id, "reason": " "})["bulkOrderReject"]
    assert blank["errors"][0]["code"] == "REQUIRED" and blank["errors"][0]["field"] == "reason"
    rejected = approver.data(REJECT, {"id": bulk_id, "reason": "预算不足"})["bulkOrderReject"]["bulkOrder"]
    assert rejected["status"] == "REJECTED" and rejected["rejectionReason"] == "预算不足"
    canceled = clerk.data(CANCEL, {"id": bulk_id})["bulkOrderCancel"]["bulkOrder"]
    assert canceled["status"] == "CANCELED"


def test_a_shortage_comes_back_with_the_short_skus(draft, people, shop):
    services.add_lines(draft, [(shop.pack.sku, 3)], by=people.clerk)
    services.submit(draft, by=people.clerk)
    services.approve(draft, by=people.approver)
    placed = api_for(people.clerk).data(PLACE, {"id": to_global_id("BulkOrder", draft.pk)})["bulkOrderPlace"]
    assert placed["bulkOrder"] is None
    assert placed["errors"][0]["code"] == "INSUFFICIENT_STOCK" and placed["errors"][0]["skus"] == [shop.tea.sku]
    draft.refresh_from_db()
    assert draft.status == "APPROVED"


def test_sibling_branches_neither_see_nor_touch_each_others_orders(tree, people, shop, draft):
    bulk_id = to_global_id("BulkOrder", draft.pk)
    sibling = api_for(people.sibling_clerk)
    assert sibling.data(ONE, {"id": bulk_id})["bulkOrder"] is None
    assert sibling.data(LIST, {})["bulkOrders"]["totalCount"] == 0
    touched = sibling.data(LINES, {"id": bulk_id, "lines": [{"sku": shop.apple.sku, "quantity": 1}]})
    assert touched["bulkOrderLinesAdd"]["errors"][0]["code"] == "NOT_FOUND"
    elsewhere = sibling.data(CREATE, {"input": {"branch": to_global_id("UnionBranch", tree.union.pk), "name": "x"}})
    assert elsewhere["bulkOrderCreate"]["errors"][0]["code"] == "NOT_FOUND"

    # The street above sees it; so does the branch's viewer, who may not change it.
    services.create_bulk_order(branch=tree.sibling, name="医院", by=people.sibling_clerk)
    from branches.services import assign_role

    assign_role(user=people.sibling_clerk, branch=tree.street, role="VIEWER")
    listed = sibling.data(LIST, {})["bulkOrders"]
    assert listed["totalCount"] == 2
    only_union = sibling.data(LIST, {"branch": to_global_id("UnionBranch", tree.union.pk), "status": "DRAFT"})
    assert [edge["node"]["name"] for edge in only_union["bulkOrders"]["edges"]] == [draft.name]
    viewer = api_for(people.viewer)
    assert viewer.data(ONE, {"id": bulk_id})["bulkOrder"]["name"] == draft.name
    status, body = viewer.post(LINES, {"id": bulk_id, "lines": [{"sku": shop.apple.sku, "quantity": 1}]})
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_anonymous_users_see_no_bulk_orders(api, draft):
    assert api.data(ONE, {"id": to_global_id("BulkOrder", draft.pk)})["bulkOrder"] is None
    assert api.data(LIST, {})["bulkOrders"]["totalCount"] == 0


def test_a_bulk_order_costs_the_same_queries_at_any_size(tree, people, shop):
    clerk = api_for(people.clerk)

    def queries_for(bulk):
        with CaptureQueriesContext(connection) as captured:
            data = clerk.data(ONE, {"id": to_global_id("BulkOrder", bulk.pk)})
        assert data["bulkOrder"]["id"]
        return len(captured)

    def build(size):
        bulk = services.create_bulk_order(branch=tree.union, name=f"{size} 行", by=people.clerk)
        variants = [
            factories.product(channel=shop.channel, warehouse=shop.warehouse).variants.get() for _ in range(size)
        ]
        for index, variant in enumerate(variants):
            recipient = BulkRecipient.objects.create(
                bulk_order=bulk, name=f"会员{index}", phone=f"1390000{index:04d}", province="广东省", city="深圳市",
                district="南山区", street_address="科技园", row_number=index + 2,
            )  # fmt: skip
            bulk.lines.create(recipient=recipient, variant=variant, quantity=2)
        services.add_lines(bulk, [(shop.pack.sku, 1), (shop.apple.sku, 60)], by=people.clerk)
        return BulkOrder.objects.get(pk=bulk.pk)

    small, large = build(1), build(12)
    assert queries_for(small) == queries_for(large)
    assert large.total_amount == Decimal("200") + Decimal("5700") + sum(
        (Decimal("10.00") * 2 for _ in range(12)), Decimal("0")
    )


def api(client, db):  # the anonymous client
    from tests.graphql.conftest import GraphQLClient

    return GraphQLClient(client)


import pytest  # noqa: E402

api = pytest.fixture(api)
