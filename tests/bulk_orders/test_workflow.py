"""The bulk order workflow through its services: create, quick order, submit, approve or reject, place,
cancel; who may do each step; two approvers at the same moment."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from bulk_orders import services
from bulk_orders.models import BulkOrder, BulkOrderLine, BulkOrderStatus, BulkOrderTransition
from bulk_orders.services.workflow import REFERENCE_ALPHABET
from mall.errors import DomainError, PermissionDenied
from tests.bulk_orders import flow_fixtures

# The workflow fixtures (flow_fixtures), shared by the workflow, compliance and GraphQL modules.
tree, people, shop, draft = flow_fixtures.tree, flow_fixtures.people, flow_fixtures.shop, flow_fixtures.draft
fast_password_hashing, no_relief_minimum = flow_fixtures.fast_password_hashing, flow_fixtures.no_relief_minimum

Status = BulkOrderStatus


def submitted(draft, people, shop, lines=None):
    services.add_lines(draft, lines or [(shop.apple.sku, 10)], by=people.clerk)
    return services.submit(draft, by=people.clerk)


def test_the_whole_flow_records_every_transition(draft, people, shop):
    assert draft.status == Status.DRAFT
    assert draft.payment_reference.startswith("GH") and len(draft.payment_reference) == 10
    assert set(draft.payment_reference[2:]) <= set(REFERENCE_ALPHABET)
    assert draft.channel == shop.channel

    services.add_lines(draft, [(shop.apple.sku, 10), (shop.pack.sku, 2)], by=people.clerk)
    services.update_bulk_order(draft, name="中秋慰问", note="送到工会办公室", payment_method="CARD", by=people.clerk)
    services.submit(draft, by=people.clerk, comment="请审批")
    services.approve(draft, by=people.approver, comment="同意")
    placed = services.place(draft, by=people.clerk)

    placed.refresh_from_db()
    assert placed.status == Status.PLACED
    assert (placed.name, placed.note, placed.payment_method) == ("中秋慰问", "送到工会办公室", "CARD")
    assert placed.total_amount == Decimal("1400.00")
    assert placed.submitted_by == people.clerk and placed.approved_by == people.approver
    steps = list(BulkOrderTransition.objects.filter(bulk_order=placed).values_list("from_status", "to_status", "user"))
    assert steps == [
        ("", Status.DRAFT, people.clerk.pk),
        (Status.DRAFT, Status.SUBMITTED, people.clerk.pk),
        (Status.SUBMITTED, Status.APPROVED, people.approver.pk),
        (Status.APPROVED, Status.PLACED, people.clerk.pk),
    ]
    assert BulkOrderTransition.objects.get(bulk_order=placed, to_status=Status.APPROVED).comment == "同意"


def test_payment_references_are_unique(tree, people, shop):
    references = {
        services.create_bulk_order(branch=tree.union, name=f"单 {i}", by=people.clerk).payment_reference
        for i in range(20)
    }
    assert len(references) == 20


def test_quick_order_adds_to_an_existing_line_and_keeps_the_total(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 10)], by=people.clerk)
    services.add_lines(draft, [(shop.apple.sku, 5), (shop.pack.sku, 1)], by=people.clerk)
    lines = {(line.variant_id, line.gift_pack_id): line.quantity for line in draft.lines.all()}
    assert lines == {(shop.apple.pk, None): 15, (None, shop.pack.pk): 1}
    draft.refresh_from_db()
    assert draft.total_amount == Decimal("1700.00")


def test_unknown_and_unpublished_skus_are_named_and_nothing_is_added(draft, people, shop):
    with pytest.raises(DomainError) as unknown:
        services.add_lines(draft, [(shop.apple.sku, 1), ("NOPE-1", 2), ("NOPE-2", 1)], by=people.clerk)
    assert unknown.value.code == "UNKNOWN_SKU"
    assert unknown.value.extra["skus"] == ["NOPE-1", "NOPE-2"]
    assert "NOPE-1" in unknown.value.message
    with pytest.raises(DomainError) as hidden:
        services.add_lines(draft, [(shop.hidden.sku, 1)], by=people.clerk)
    assert hidden.value.code == "PRODUCT_NOT_PUBLISHED" and hidden.value.extra["skus"] == [shop.hidden.sku]
    with pytest.raises(DomainError) as zero:
        services.add_lines(draft, [(shop.apple.sku, 0)], by=people.clerk)
    assert zero.value.code == "INVALID_QUANTITY"
    assert not BulkOrderLine.objects.filter(bulk_order=draft).exists()


def test_only_drafts_are_edited(draft, people, shop):
    submitted(draft, people, shop)
    with pytest.raises(DomainError) as error:
        services.add_lines(draft, [(shop.apple.sku, 1)], by=people.clerk)
    assert error.value.code == "INVALID_STATUS"
    with pytest.raises(DomainError):
        services.update_bulk_order(draft, name="改名", by=people.clerk)


def test_an_empty_order_is_not_submitted(draft, people):
    with pytest.raises(DomainError) as error:
        services.submit(draft, by=people.clerk)
    assert error.value.code == "NO_LINES"


def test_the_submitter_never_approves_their_own_order(tree, people, shop):
    # The approver built and submitted it: another approver must approve it.
    own = services.create_bulk_order(branch=tree.union, name="主席自己提交", by=people.approver)
    services.add_lines(own, [(shop.apple.sku, 1)], by=people.approver)
    services.submit(own, by=people.approver)
    with pytest.raises(DomainError) as error:
        services.approve(own, by=people.approver)
    assert error.value.code == "SELF_APPROVAL"
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED
    services.approve(own, by=people.approver2)
    own.refresh_from_db()
    assert own.status == Status.APPROVED


def test_only_an_approver_of_that_branch_approves(draft, people, shop):
    submitted(draft, people, shop)
    for outsider in (people.clerk, people.viewer, people.sibling_approver, people.operator):
        with pytest.raises(PermissionDenied):
            services.approve(draft, by=outsider)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_sibling_branch_staff_cannot_touch_the_order(draft, people, shop):
    with pytest.raises(PermissionDenied):
        services.add_lines(draft, [(shop.apple.sku, 1)], by=people.sibling_clerk)
    with pytest.raises(PermissionDenied):
        services.create_bulk_order(branch=draft.branch, name="x", by=people.sibling_clerk)
    with pytest.raises(PermissionDenied):
        services.create_bulk_order(branch=draft.branch, name="x", by=people.viewer)
    with pytest.raises(PermissionDenied):
        services.cancel(draft, by=people.sibling_clerk)
    # An operator may build one for any branch.
    services.add_lines(draft, [(shop.apple.sku, 1)], by=people.operator)


def test_reject_needs_a_reason_and_records_it(draft, people, shop):
    submitted(draft, people, shop)
    with pytest.raises(DomainError) as error:
        services.reject(draft, by=people.approver, reason="  ")
    assert error.value.code == "REQUIRED"
    services.reject(draft, by=people.approver, reason="数量偏多，请核减")
    draft.refresh_from_db()
    assert draft.status == Status.REJECTED and draft.rejection_reason == "数量偏多，请核减"
    assert draft.transitions.last().comment == "数量偏多，请核减"
    with pytest.raises(DomainError):
        services.approve(draft, by=people.approver2)


def test_cancel_before_paid_only(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 3)], by=people.clerk)
    services.cancel(draft, by=people.clerk, reason="不需要了")
    draft.refresh_from_db()
    assert draft.status == Status.CANCELED
    with pytest.raises(DomainError):
        services.cancel(draft, by=people.clerk)


def test_canceling_a_placed_order_gives_the_stock_back(draft, people, shop):
    submitted(draft, people, shop, [(shop.apple.sku, 10)])
    services.approve(draft, by=people.approver)
    services.place(draft, by=people.clerk)
    shop.apple.stocks.get().refresh_from_db()
    assert shop.apple.stocks.get().quantity_allocated == 10
    services.cancel(draft, by=people.clerk)
    draft.refresh_from_db()
    assert draft.status == Status.CANCELED and draft.order.status == "CANCELED"
    assert shop.apple.stocks.get().quantity_allocated == 0


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_the_same_moment_approve_once(tree, people, shop):
    bulk = services.create_bulk_order(branch=tree.union, name="并发审批", by=people.clerk)
    services.add_lines(bulk, [(shop.apple.sku, 2)], by=people.clerk)
    services.submit(bulk, by=people.clerk)
    barrier = threading.Barrier(2)
    results = []

    def approve_as(user):
        try:
            barrier.wait()
            services.approve(BulkOrder.objects.get(pk=bulk.pk), by=user)
            results.append("approved")
        except DomainError as error:
            results.append(error.code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=approve_as, args=(user,)) for user in (people.approver, people.approver2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["INVALID_STATUS", "approved"]
    assert BulkOrderTransition.objects.filter(bulk_order=bulk, to_status=Status.APPROVED).count() == 1
