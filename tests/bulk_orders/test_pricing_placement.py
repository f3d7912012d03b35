"""Volume tier pricing, gift packs and placing a bulk order: all stock or none."""

from decimal import Decimal

import pytest

from bulk_orders import services
from bulk_orders.models import BulkOrderStatus, BulkRecipient, VolumePriceTier
from bulk_orders.pricing import price_bulk_order
from catalog.models import Stock
from mall.errors import DomainError
from orders.models import Allocation, Order, OrderLine
from tests.bulk_orders import flow_fixtures

tree, people, shop, draft = flow_fixtures.tree, flow_fixtures.people, flow_fixtures.shop, flow_fixtures.draft
fast_password_hashing, no_relief_minimum = flow_fixtures.fast_password_hashing, flow_fixtures.no_relief_minimum


def approved(bulk, people, lines):
    services.add_lines(bulk, lines, by=people.clerk)
    services.submit(bulk, by=people.clerk)
    return services.approve(bulk, by=people.approver)


@pytest.mark.parametrize(
    ("quantity", "unit", "total"),
    [(49, "100.00", "4900.00"), (50, "95.00", "4750.00"), (99, "95.00", "9405.00"), (100, "91.50", "9150.00")],
)
def test_the_best_tier_reached_by_the_variants_quantity_applies(draft, people, shop, quantity, unit, total):
    services.add_lines(draft, [(shop.apple.sku, quantity)], by=people.clerk)
    lines, prices = price_bulk_order(draft)
    assert prices.lines[lines[0].pk].unit_price == Decimal(unit)
    assert prices.total == Decimal(total)
    draft.refresh_from_db()
    assert draft.total_amount == Decimal(total)


def test_tiers_count_the_variant_over_all_lines_and_prices_never_drift(draft, people, shop):
    VolumePriceTier.objects.create(variant=shop.oil, min_quantity=3, discount_percent=Decimal("33.33"))
    recipient = BulkRecipient.objects.create(
        bulk_order=draft, name="张三", phone="13800000001", province="广东省", city="深圳市", district="南山区",
        street_address="科技园 1 号",
    )  # fmt: skip
    draft.lines.create(recipient=recipient, variant=shop.oil, quantity=2)
    services.add_lines(draft, [(shop.oil.sku, 1)], by=people.clerk)
    lines, prices = price_bulk_order(draft)
    # 80.00 × 66.67% = 53.336 → 53.34 per unit, on every line; the total is the sum of the line totals.
    assert {prices.lines[line.pk].unit_price for line in lines} == {Decimal("53.34")}
    assert prices.total == Decimal("160.02")
    assert prices.undiscounted_total == Decimal("240.00")


def test_member_prices_never_apply_and_a_pack_costs_its_own_price(draft, people, shop):
    services.add_lines(draft, [(shop.oil.sku, 1), (shop.pack.sku, 3)], by=people.clerk)
    _, prices = price_bulk_order(draft)
    assert prices.total == Decimal("680.00")  # 80 list (member price 70 ignored) + 3 × 200


def test_placing_expands_gift_packs_into_their_components(draft, people, shop):
    approved(draft, people, [(shop.apple.sku, 60), (shop.pack.sku, 2), (shop.oil.sku, 1)])
    services.place(draft, by=people.clerk)
    draft.refresh_from_db()
    order = draft.order
    assert draft.status == BulkOrderStatus.PLACED
    assert (order.origin, order.status, order.user, order.user_email) == (
        "BULK",
        "UNCONFIRMED",
        people.clerk,
        people.clerk.email,
    )
    assert order.payment_due_at is None
    assert order.total_amount == draft.total_amount == Decimal("6180.00")  # 60 × 95 + 2 × 200 + 80
    lines = {line.product_sku: line for line in order.lines.all()}
    assert lines[shop.apple.sku].unit_price_amount == Decimal("95.00")
    assert lines[shop.pack.sku].variant is None and lines[shop.pack.sku].total_price_amount == Decimal("400.00")
    held = {
        (allocation.order_line.product_sku, allocation.stock.product_variant.sku): allocation.quantity_allocated
        for allocation in Allocation.objects.filter(order_line__order=order).select_related("order_line", "stock")
    }
    assert held == {
        (shop.apple.sku, shop.apple.sku): 60,
        (shop.pack.sku, shop.oil.sku): 2,
        (shop.pack.sku, shop.tea.sku): 4,
        (shop.oil.sku, shop.oil.sku): 1,
    }
    assert Stock.objects.get(product_variant=shop.oil).quantity_allocated == 3
    with pytest.raises(DomainError) as again:
        services.place(draft, by=people.clerk)
    assert again.value.code == "INVALID_STATUS"


def test_a_shortage_places_nothing_and_names_every_short_sku(draft, people, shop, settings):
    settings.BULK_QUOTES_THRESHOLD = Decimal("100000")
    # Tea: 5 in stock, 3 packs need 6. Apples: 1,000 in stock, 1,001 wanted.
    approved(draft, people, [(shop.oil.sku, 2), (shop.pack.sku, 3), (shop.apple.sku, 1001)])
    with pytest.raises(DomainError) as error:
        services.place(draft, by=people.clerk)
    assert error.value.code == "INSUFFICIENT_STOCK"
    assert error.value.extra["skus"] == sorted([shop.apple.sku, shop.tea.sku])
    assert shop.tea.sku in error.value.message and shop.apple.sku in error.value.message
    draft.refresh_from_db()
    assert draft.status == BulkOrderStatus.APPROVED and draft.order is None
    assert not Order.objects.exists() and not OrderLine.objects.exists() and not Allocation.objects.exists()
    assert set(Stock.objects.values_list("quantity_allocated", flat=True)) == {0}


def test_only_approved_orders_are_placed(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 1)], by=people.clerk)
    with pytest.raises(DomainError) as error:
        services.place(draft, by=people.clerk)
    assert error.value.code == "INVALID_STATUS"
