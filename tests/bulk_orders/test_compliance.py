"""The compliance check: each rule failing and passing, submit refusing with every failure, and a
query count that does not grow with the lines."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulk_orders import compliance, services
from bulk_orders.models import BulkOrderAttachment, BulkOrderStatus, BulkRecipient, GiftPack
from mall.errors import DomainError
from relief_sourcing.models import ReliefTarget
from tests import factories
from tests.bulk_orders import flow_fixtures
from tests.relief_sourcing.conftest import certify

tree, people, shop, draft = flow_fixtures.tree, flow_fixtures.people, flow_fixtures.shop, flow_fixtures.draft
fast_password_hashing, no_relief_minimum = flow_fixtures.fast_password_hashing, flow_fixtures.no_relief_minimum


def finding(bulk, rule):
    return next(found for found in compliance.check(bulk) if found.rule == rule)


def recipient(bulk, phone, name="张三"):
    return BulkRecipient.objects.create(
        bulk_order=bulk, name=name, phone=phone, province="广东省", city="深圳市", district="南山区",
        street_address="科技园 1 号",
    )  # fmt: skip


def gift(bulk, phone, variant, quantity):
    bulk.lines.create(recipient=recipient(bulk, phone), variant=variant, quantity=quantity)


def test_the_festival_gift_cap_counts_the_branchs_year(tree, people, shop, draft, settings):
    settings.BULK_FESTIVAL_GIFT_CAP_PER_MEMBER = Decimal("500")
    earlier = services.create_bulk_order(branch=tree.union, name="端午", by=people.clerk)
    gift(earlier, "13800000001", shop.apple, 3)
    gift(draft, "13800000001", shop.apple, 2)
    gift(draft, "13800000002", shop.apple, 5)
    assert finding(draft, compliance.FESTIVAL_GIFT_CAP).ok  # 300 + 200 = 500, and 500: at the cap, not over

    gift(draft, "13800000002", shop.oil, 1)
    failed = finding(draft, compliance.FESTIVAL_GIFT_CAP)
    assert not failed.ok and failed.details["count"] == 1
    assert "138****0002（580.00 元）" in failed.message and "500.00" in failed.message

    # Orders of another branch, canceled ones and quick-order lines do not count.
    services.cancel(earlier, by=people.clerk)
    other = services.create_bulk_order(branch=tree.sibling, name="别家", by=people.sibling_clerk)
    gift(other, "13800000001", shop.apple, 10)
    draft.lines.filter(variant=shop.oil).delete()
    services.add_lines(draft, [(shop.apple.sku, 20)], by=people.clerk)
    assert finding(draft, compliance.FESTIVAL_GIFT_CAP).ok


def test_the_minimum_relief_share(draft, people, shop, settings):
    from relief_sourcing.models import PartnerRegion, ReliefSupplier

    region = PartnerRegion.objects.create(code="500237", province="重庆市", county="巫山县", active_from_year=2021)
    supplier = ReliefSupplier.objects.create(
        merchant=shop.apple.product.merchant, region=region, credit_code="93500237MA5U8XXXXX",
        admission_status=ReliefSupplier.AdmissionStatus.APPROVED,
    )  # fmt: skip
    certify(shop.apple, supplier, region)
    ReliefTarget.objects.create(branch=draft.branch, year=draft.created_at.year, minimum_share=Decimal("0.5"))
    services.add_lines(draft, [(shop.apple.sku, 1), (shop.oil.sku, 1)], by=people.clerk)
    passed = finding(draft, compliance.RELIEF_SHARE)
    assert passed.ok and passed.details["relief"] == "100.00"  # 100 of 180
    services.add_lines(draft, [(shop.oil.sku, 1)], by=people.clerk)
    failed = finding(draft, compliance.RELIEF_SHARE)
    assert not failed.ok and "50%" in failed.message and "38.5%" in failed.message

    # Without a target the default applies.
    ReliefTarget.objects.all().delete()
    settings.RELIEF_MINIMUM_SHARE_DEFAULT = Decimal("0.30")
    assert finding(draft, compliance.RELIEF_SHARE).ok


def test_procurement_thresholds(draft, people, shop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BULK_QUOTES_THRESHOLD = Decimal("1000")
    settings.BULK_TENDER_THRESHOLD = Decimal("5000")
    services.add_lines(draft, [(shop.apple.sku, 10)], by=people.clerk)
    assert finding(draft, compliance.PROCUREMENT_QUOTES).ok  # 1000: not above

    services.add_lines(draft, [(shop.apple.sku, 1)], by=people.clerk)
    quotes = finding(draft, compliance.PROCUREMENT_QUOTES)
    assert not quotes.ok and "报价单" in quotes.message

    def attach(kind):
        BulkOrderAttachment.objects.create(
            bulk_order=draft, kind=kind, title=kind, file=ContentFile(b"%PDF", name="q.pdf"), uploaded_by=people.clerk
        )

    for _ in range(2):
        attach(BulkOrderAttachment.Kind.QUOTE)
    assert not finding(draft, compliance.PROCUREMENT_QUOTES).ok
    attach(BulkOrderAttachment.Kind.QUOTE)
    assert finding(draft, compliance.PROCUREMENT_QUOTES).ok
    BulkOrderAttachment.objects.all().delete()
    attach(BulkOrderAttachment.Kind.MINUTES)
    assert finding(draft, compliance.PROCUREMENT_QUOTES).ok

    assert finding(draft, compliance.PROCUREMENT_TENDER).ok
    services.add_lines(draft, [(shop.apple.sku, 40)], by=people.clerk)  # 51 × 95 = 4845
    assert finding(draft, compliance.PROCUREMENT_TENDER).ok
    services.add_lines(draft, [(shop.apple.sku, 10)], by=people.clerk)  # 61 × 95 = 5795
    tender = finding(draft, compliance.PROCUREMENT_TENDER)
    assert not tender.ok and "需要招标" in tender.message


def test_no_cash_like_items(draft, people, shop):
    services.add_lines(draft, [(shop.apple.sku, 1), (shop.pack.sku, 1)], by=people.clerk)
    assert finding(draft, compliance.CASH_LIKE).ok
    services.add_lines(draft, [(shop.card.sku, 1)], by=people.clerk)
    failed = finding(draft, compliance.CASH_LIKE)
    assert not failed.ok and failed.details["skus"] == [shop.card.sku] and "类现金" in failed.message
    GiftPack.objects.filter(pk=shop.pack.pk).update(is_cash_like=True)
    assert finding(draft, compliance.CASH_LIKE).details["skus"] == sorted([shop.card.sku, shop.pack.sku])


def test_submit_refuses_explaining_every_failing_rule(draft, people, shop, settings):
    settings.BULK_TENDER_THRESHOLD = Decimal("100")
    services.add_lines(draft, [(shop.card.sku, 1)], by=people.clerk)
    with pytest.raises(DomainError) as error:
        services.submit(draft, by=people.clerk)
    assert error.value.code == "COMPLIANCE_FAILED"
    assert "需要招标" in error.value.message and "类现金" in error.value.message
    draft.refresh_from_db()
    assert draft.status == BulkOrderStatus.DRAFT


def test_the_check_costs_the_same_at_any_size(tree, people, shop, draft):
    def queries_for(bulk):
        with CaptureQueriesContext(connection) as captured:
            compliance.check(bulk)
        return len(captured)

    small = services.create_bulk_order(branch=tree.union, name="小", by=people.clerk)
    gift(small, "13800000001", shop.apple, 1)
    services.add_lines(small, [(shop.pack.sku, 1)], by=people.clerk)
    variants = [factories.product(channel=shop.channel, warehouse=shop.warehouse).variants.get() for _ in range(8)]
    for index, variant in enumerate(variants):
        gift(draft, f"1380000{index:04d}", variant, 1)
    services.add_lines(draft, [(shop.pack.sku, 1), (shop.card.sku, 2)], by=people.clerk)
    assert queries_for(small) == queries_for(draft)
