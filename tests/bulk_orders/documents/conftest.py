"""Fixtures of the bulk order documents tests (purchase plan, public notice): the workflow's tree, people
and shop, and an approved bulk order with recipient lines, a quick-order line and a gift pack."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from bulk_orders import services
from bulk_orders.models import BulkOrder, BulkRecipient, GiftPack, GiftPackItem
from catalog.models import Merchant
from tests import factories
from tests.bulk_orders import flow_fixtures

tree, people, shop, draft = flow_fixtures.tree, flow_fixtures.people, flow_fixtures.shop, flow_fixtures.draft
fast_password_hashing, no_relief_minimum = flow_fixtures.fast_password_hashing, flow_fixtures.no_relief_minimum


def add_recipient(bulk_order, index: int, variant, quantity: int = 1, *, name=None):
    recipient = BulkRecipient.objects.create(
        bulk_order=bulk_order,
        name=name or f"会员{index}",
        phone=f"1390000{index:04d}",
        province="广东省",
        city="深圳市",
        district="南山区",
        street_address=f"科技园 {index} 号",
        row_number=index + 2,
    )
    return bulk_order.lines.create(recipient=recipient, variant=variant, quantity=quantity, row_number=index + 2)


def approve(bulk_order, people) -> BulkOrder:
    services.submit(bulk_order, by=people.clerk)
    services.approve(bulk_order, by=people.approver)
    return BulkOrder.objects.select_related("branch").get(pk=bulk_order.pk)


@pytest.fixture
def suppliers(shop):
    """Name the merchants behind the shop's products, so the plan's supplier column can be checked."""
    names = {shop.apple: "烟台果业合作社", shop.oil: "鲁花粮油", shop.tea: "安溪茶农合作社"}
    for variant, name in names.items():
        Merchant.objects.filter(pk=variant.product.merchant_id).update(name=name)
    return SimpleNamespace(apple="烟台果业合作社", oil="鲁花粮油", tea="安溪茶农合作社")


@pytest.fixture
def approved(draft, people, shop, suppliers, django_user_model):
    """CG…: 60 apples over 3 recipients (20 each: 5% tier), 2 gift packs and 1 oil for the branch."""
    people.clerk.last_name, people.clerk.first_name = "王", "经办"
    people.clerk.save(update_fields=["last_name", "first_name"])
    people.approver.last_name, people.approver.first_name = "李", "主席"
    people.approver.save(update_fields=["last_name", "first_name"])
    for index in range(3):
        add_recipient(draft, index, shop.apple, 20, name=f"张{index}")
    services.add_lines(draft, [(shop.pack.sku, 2), (shop.oil.sku, 1)], by=people.clerk)
    return approve(draft, people)


@pytest.fixture
def evil_pack(shop):
    """A gift pack whose name and SKU a spreadsheet would run as formulas."""
    pack = GiftPack.objects.create(sku="-PACK-EVIL", name='=HYPERLINK("http://evil.example","点我")', price_amount=50)
    GiftPackItem.objects.create(pack=pack, variant=shop.oil, quantity=1)
    return pack


def many_variants(in_shop, count: int):
    return [
        factories.product(channel=in_shop.channel, warehouse=in_shop.warehouse, price="10.00").variants.get()
        for _ in range(count)
    ]


EXPECTED_TOTAL = Decimal("60") * Decimal("95.00") + 2 * Decimal("200.00") + Decimal("80.00")
