"""Relief sourcing rows for the storefront tests, made directly with the models as the demo has them (real
partner counties, admitted suppliers, certificates, batches)."""

from datetime import timedelta

from django.utils import timezone

from catalog.models import Merchant
from relief_sourcing.models import PartnerRegion, ProductBatch, ReliefCertification, ReliefSupplier
from tests import factories

# (code, province, prefecture, county, pairing type) as GB/T 2260 names them.
WUSHAN = ("500237", "重庆市", "", "巫山县", "COUNTERPART")
LUSHUI = ("533301", "云南省", "怒江傈僳族自治州", "泸水市", "EAST_WEST")
FUGONG = ("533323", "云南省", "怒江傈僳族自治州", "福贡县", "EAST_WEST")
_serial = iter(range(1, 10_000))


def region(division=LUSHUI) -> PartnerRegion:
    code, province, prefecture, county, pairing = division
    return PartnerRegion.objects.get_or_create(
        code=code,
        defaults={
            "province": province,
            "prefecture": prefecture,
            "county": county,
            "pairing_type": pairing,
            "active_from_year": 2021,
        },
    )[0]


def supplier(name: str, slug: str, division=LUSHUI, *, status="APPROVED", **fields) -> ReliefSupplier:
    partner = region(division)
    merchant = factories.merchant(name=name, slug=slug, kind=Merchant.Kind.RELIEF_SUPPLIER, region=str(partner))
    fields.setdefault("entity_type", ReliefSupplier.EntityType.COOPERATIVE)
    return ReliefSupplier.objects.create(
        merchant=merchant,
        region=partner,
        credit_code=f"93{partner.code}MA{next(_serial):08d}"[:18],
        admission_status=status,
        decided_at=timezone.now(),
        **fields,
    )


def certify(relief_supplier, products, number: str, *, days_from=-30, days_to=300, origin=None, **fields):
    today = timezone.localdate()
    certification = ReliefCertification.objects.create(
        number=number,
        certifying_body=f"{relief_supplier.region.province}乡村振兴局",
        supplier=relief_supplier,
        origin=origin or relief_supplier.region,
        valid_from=today + timedelta(days=days_from),
        valid_to=today + timedelta(days=days_to),
        **fields,
    )
    certification.products.add(*products)
    return certification


def batch(product, number: str, *, days_ago: int = 7, producer: str = "", contact: str = "0886-3621234"):
    produced_on = timezone.localdate() - timedelta(days=days_ago)
    return ProductBatch.objects.create(
        product=product,
        batch_number=number,
        produced_on=produced_on,
        quantity=200,
        unit="箱",
        producer=producer or product.merchant.name,
        origin=str(product.merchant.region),
        contact=contact,
        certificate_issued_on=produced_on + timedelta(days=1),
    )
