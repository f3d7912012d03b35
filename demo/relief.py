"""Demo relief sourcing: the partner counties, the relief suppliers registered and admitted in them with
valid credit codes, their certifications (current ones, some expired, one revoked) and product batches.

Everything goes through relief_sourcing.services as the demo operator, and is looked up first by its
natural key (county code, merchant, certificate number, batch number): seeding twice changes nothing.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.cn import uscc

from catalog.models import Merchant, Product
from demo import catalogue
from demo.plans import curated_plans
from relief_sourcing import services
from relief_sourcing.models import PartnerRegion, ProductBatch, ReliefCertification, ReliefSupplier

PAIRING_FROM_YEAR = 2021  # the current 东西部协作 period began in 2021
# Counterpart support (对口支援) for Xinjiang and Qinghai, in-province help for the Hubei county; the rest
# are east–west cooperation (东西部协作).
PAIRING = {"653121": "COUNTERPART", "630223": "COUNTERPART", "422801": "IN_PROVINCE"}
# Registration kinds of GB 32100: 91 enterprise, 92 individual business (family farms), 93 farmers' cooperative.
CREDIT_KIND = {"ENTERPRISE": "91", "FAMILY_FARM": "92", "COOPERATIVE": "93"}
# Suppliers whose certificate lapsed and waits for renewal: their products show none.
LAPSED = {"CJG", "XWM"}
# Suppliers with an earlier, expired certificate besides the current one.
RENEWED = {"LS", "WS", "TD", "DX", "SF"}
REVOKED = ("XJN", "六盘山土蜂蜜", "2023 年抽检蔗糖成分超标，撤销认定；整改复检合格后重新认定。")


def credit_code(data: catalogue.MerchantData, index: int) -> str:
    """A valid 统一社会信用代码: kind, county, a serial, and the GB 32100 check character."""
    body = f"{CREDIT_KIND[data.entity_type]}{data.division}MA{index:07d}"
    return body + uscc.calc_check_digit(body)


def seed_relief(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    operator = get_user_model().objects.get(email=catalogue.OPERATOR_EMAIL)
    curated = {plan.slug for plan in curated_plans()}
    for index, data in enumerate(catalogue.RELIEF_SUPPLIERS, start=1):
        region = _region(operator, data.division)
        supplier = _supplier(operator, data, region, index, today)
        products = list(Product.objects.filter(merchant=supplier.merchant).order_by("pk"))
        _certifications(operator, data, supplier, products, today)
        # Batches of the hand-made catalogue only: a generated catalogue of 100,000 would add one per product.
        for number, product in enumerate((product for product in products if product.slug in curated), start=1):
            _batch(operator, data, supplier, product, number, today)
    return {
        "partner_regions": PartnerRegion.objects.count(),
        "certifications": ReliefCertification.objects.count(),
        "batches": ProductBatch.objects.count(),
    }


def _region(operator, code: str) -> PartnerRegion:
    return PartnerRegion.objects.filter(code=code).first() or services.create_partner_region(
        user=operator, code=code, pairing_type=PAIRING.get(code, "EAST_WEST"), active_from_year=PAIRING_FROM_YEAR
    )


def _supplier(operator, data: catalogue.MerchantData, region: PartnerRegion, index: int, today: date) -> ReliefSupplier:
    merchant = Merchant.objects.get(slug=data.slug)
    existing = ReliefSupplier.objects.filter(merchant=merchant).first()
    if existing:
        return existing
    households = 40 + (index * 37) % 400
    supplier = services.register_supplier(
        user=operator,
        merchant=merchant,
        region=region,
        credit_code=credit_code(data, index),
        entity_type=data.entity_type,
        story=data.description,
        farmer_linkage=(
            f"订单收购、优先吸纳脱贫户务工，带动{region.county} {households} 户农户，户均年增收 3000 元以上。"
        ),
        households_linked=households,
        recommended_by=f"{region.county}乡村振兴局",
    )
    # Admitted when its current certificate began (400 days ago), so the demo's year of member orders
    # (demo/relief_demo.py) bought from an admitted supplier and counts in the relief ledger.
    admitted = timezone.make_aware(datetime.combine(today - timedelta(days=400), time(9)))
    return services.approve_supplier(supplier, user=operator, reason="推荐材料、联农带农材料齐全，准入。", now=admitted)


def _certify(operator, number: str, supplier, products, valid_from: date, valid_to: date) -> ReliefCertification:
    existing = ReliefCertification.objects.filter(number=number).first()
    if existing:
        return existing
    return services.create_certification(
        user=operator,
        number=number,
        certifying_body=f"{supplier.region.province}乡村振兴局",
        supplier=supplier,
        products=products,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def _certifications(operator, data, supplier, products, today: date) -> None:
    """A year-long certificate in force covering the ledger's year of demo orders; before it, an expired one."""
    earlier_from, earlier_to = today - timedelta(days=800), today - timedelta(days=401)
    if data.code in LAPSED or data.code in RENEWED:
        _certify(operator, f"BF-{data.division}-{data.code}-1", supplier, products, earlier_from, earlier_to)
    if data.code not in LAPSED:
        _certify(
            operator,
            f"BF-{data.division}-{data.code}-2",
            supplier,
            products,
            today - timedelta(days=400),
            today + timedelta(days=330),
        )
    code, product_name, reason = REVOKED
    if data.code == code:
        revoked = _certify(
            operator,
            f"BF-{data.division}-{data.code}-R",
            supplier,
            [product for product in products if product.name == product_name],
            earlier_from,
            earlier_to,
        )
        if revoked.status != ReliefCertification.Status.REVOKED:
            services.revoke_certification(revoked, user=operator, reason=reason)


def _batch(operator, data, supplier, product, number: int, today: date) -> None:
    batch_number = f"{data.code}-{number:03d}-01"
    if ProductBatch.objects.filter(product=product, batch_number=batch_number).exists():
        return
    produced_on = today - timedelta(days=7 + number)
    services.create_batch(
        user=operator,
        product=product,
        batch_number=batch_number,
        produced_on=produced_on,
        quantity=200 + 50 * number,
        unit="箱",
        producer=supplier.merchant.name,
        origin=str(supplier.region),
        contact=f"0{data.division[:3]}-{5000000 + supplier.pk * 1013 % 4999999:07d}",
        certificate_issued_on=produced_on + timedelta(days=1),
    )
