"""A small catalogue for the Elasticsearch tests: navel oranges from a certified partner county, a juice that
only mentions them, rice noodles sold by the orange cooperative, and chilli sauce out of stock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import services
from catalog.richtext import editorjs_from_paragraphs
from relief_sourcing.models import PartnerRegion, ReliefCertification, ReliefSupplier
from tests import factories


@pytest.fixture
def xunwu(db):
    return PartnerRegion.objects.create(
        code="360734",
        province="江西省",
        prefecture="赣州市",
        county="寻乌县",
        pairing_type=PartnerRegion.PairingType.EAST_WEST,
        active_from_year=2021,
    )


def certify(product, supplier, region, *, number, days_from=-30, days_to=300, **fields):
    today = timezone.localdate()
    certification = ReliefCertification.objects.create(
        number=number,
        certifying_body="寻乌县农业农村局",
        supplier=supplier,
        origin=region,
        valid_from=today + timedelta(days=days_from),
        valid_to=today + timedelta(days=days_to),
        **fields,
    )
    certification.products.add(product)
    return certification


@pytest.fixture
def catalogue(channel, warehouse, xunwu):
    """The products by short name, with their categories, merchants and the channel."""
    fruit = factories.category("新鲜水果")
    citrus = factories.category("柑橘", parent=fruit)
    staples = factories.category("粮油米面")
    drinks = factories.category("饮品")
    condiments = factories.category("调味品")
    cooperative = factories.merchant(name="寻乌县赣南脐橙专业合作社", region="江西省赣州市寻乌县")
    farm = factories.merchant(name="湘西农家")
    supplier = ReliefSupplier.objects.create(
        merchant=cooperative,
        region=xunwu,
        credit_code="93360734MA5U8XXXXX",
        entity_type=ReliefSupplier.EntityType.COOPERATIVE,
        admission_status=ReliefSupplier.AdmissionStatus.APPROVED,
        decided_at=timezone.now() - timedelta(days=60),
    )
    common = {"channel": channel, "warehouse": warehouse}
    orange = factories.product(
        name="赣南脐橙",
        category=citrus,
        merchant=cooperative,
        price="59.90",
        member_price="55.00",
        variants=2,
        **common,
    )
    juice = factories.product(name="鲜榨橙汁", category=drinks, merchant=farm, price="12.00", **common)
    services.update_product(juice, description=editorjs_from_paragraphs("选用赣南脐橙鲜榨，不加糖。"))
    noodles = factories.product(name="客家手工米粉", category=staples, merchant=cooperative, price="18.00", **common)
    chilli = factories.product(
        name="湘西剁辣椒", category=condiments, merchant=farm, price="25.00", quantity=0, **common
    )
    certify(orange, supplier, xunwu, number="XWBF-2026-001")
    for product in (orange, juice, noodles, chilli):
        product.refresh_from_db()
    return type(
        "Catalogue",
        (),
        {
            "channel": channel,
            "orange": orange,
            "juice": juice,
            "noodles": noodles,
            "chilli": chilli,
            "fruit": fruit,
            "citrus": citrus,
            "staples": staples,
            "supplier": supplier,
            "region": xunwu,
        },
    )
