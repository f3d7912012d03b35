"""Builders for the relief report tests: a small world of regions, suppliers and one order line, and ledger
entries written directly (bulk_create), as the reports only read the ledger."""

import itertools
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from branches.services import create_union_branch
from orders.models import Order, OrderLine
from relief_sourcing.models import (
    PartnerRegion,
    ReliefCertification,
    ReliefChannel,
    ReliefLedgerEntry,
    ReliefLedgerEvent,
    ReliefSupplier,
)
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)

# Real GB/T 2260 counties: two in one prefecture (毕节市), one elsewhere (黔东南州).
REGIONS = [
    ("520502", "贵州省", "毕节市", "七星关区"),
    ("520521", "贵州省", "毕节市", "大方县"),
    ("522631", "贵州省", "黔东南苗族侗族自治州", "黎平县"),
]


@dataclass
class World:
    regions: list
    suppliers: list
    certifications: list
    product: object
    order: object
    line: object


def local(year, month=1, day=1, hour=12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def branch_tree(spec: dict, parent=None) -> dict:
    """{code: branch} for a nested {code: {child code: {...}}} specification."""
    made = {}
    for code, children in spec.items():
        branch = create_union_branch(code=code, name=f"工会{code}", parent=parent)
        made[code] = branch
        made.update(branch_tree(children or {}, parent=branch))
    return made


def world(channel) -> World:
    regions = [
        PartnerRegion.objects.create(
            code=code,
            province=province,
            prefecture=prefecture,
            county=county,
            pairing_type=PartnerRegion.PairingType.EAST_WEST,
            active_from_year=2020,
        )
        for code, province, prefecture, county in REGIONS
    ]
    suppliers, certifications = [], []
    for index, region in enumerate(regions):
        number = next(_numbers)
        supplier = ReliefSupplier.objects.create(
            merchant=factories.merchant(name=f"{region.county}合作社{number}"),
            region=region,
            credit_code=f"93520000MA{number:07d}X"[:18],
            entity_type=ReliefSupplier.EntityType.COOPERATIVE,
            admission_status=ReliefSupplier.AdmissionStatus.APPROVED,
        )
        suppliers.append(supplier)
        certifications.append(
            ReliefCertification.objects.create(
                number=f"BF-{uuid.uuid4().hex[:10]}-{index}",
                certifying_body="县乡村振兴局",
                supplier=supplier,
                origin=region,
                valid_from=local(2020).date(),
                valid_to=local(2030).date(),
            )
        )
    product = factories.product(channel=channel, merchant=suppliers[0].merchant)
    order = Order.objects.create(
        channel=channel, undiscounted_subtotal_amount=Decimal("1"), subtotal_amount=Decimal("1"), total_amount=1
    )
    line = OrderLine.objects.create(
        order=order,
        product_name=product.name,
        quantity=1,
        undiscounted_unit_price_amount=Decimal("1"),
        unit_price_amount=Decimal("1"),
        total_price_amount=Decimal("1"),
    )
    return World(regions, suppliers, certifications, product, order, line)


def entry(
    world: World,
    branch,
    amount,
    *,
    when=None,
    quantity=1,
    channel=ReliefChannel.MEMBER,
    buyer=None,
    source: int = 0,
) -> ReliefLedgerEntry:
    """An unsaved entry; a negative amount is a refund. `source` picks the region/supplier (0, 1 or 2)."""
    amount = Decimal(amount)
    refund = amount < 0
    return ReliefLedgerEntry(
        branch=branch,
        branch_path=branch.path,
        channel=channel,
        event=ReliefLedgerEvent.REFUNDED if refund else ReliefLedgerEvent.PAID,
        event_key=f"k{next(_numbers)}",
        amount=amount,
        quantity=-abs(quantity) if refund else abs(quantity),
        region=world.regions[source],
        supplier=world.suppliers[source],
        certification=world.certifications[source],
        product=world.product,
        order=world.order,
        order_line=world.line,
        buyer=buyer,
        occurred_at=when or local(2025, 6, 1),
    )


def write(entries) -> list[ReliefLedgerEntry]:
    return ReliefLedgerEntry.objects.bulk_create(entries)
