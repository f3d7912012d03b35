"""A small catalogue for the search API tests: a category tree, prices in every bucket, stock and none,
products certified from two partner counties (one certification revoked, one expired)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from relief_sourcing.models import PartnerRegion, ReliefCertification, ReliefSupplier
from tests import factories


@dataclass
class Catalogue:
    channel: object
    categories: dict
    products: dict
    regions: dict


def region(code, province, county):
    return PartnerRegion.objects.create(
        code=code,
        province=province,
        prefecture="",
        county=county,
        pairing_type=PartnerRegion.PairingType.COUNTERPART,
        active_from_year=2021,
    )


def certify(number, region, products, *, days_from=-30, days_to=300, **fields):
    today = timezone.localdate()
    merchant = factories.merchant(name=f"{region.county}合作社{number}")
    supplier = ReliefSupplier.objects.create(
        merchant=merchant,
        region=region,
        credit_code=f"93{region.code}MA5U{number:04d}"[:18],
        entity_type=ReliefSupplier.EntityType.COOPERATIVE,
        admission_status=ReliefSupplier.AdmissionStatus.APPROVED,
        decided_at=timezone.now() - timedelta(days=60),
    )
    created = ReliefCertification.objects.create(
        number=f"BF-{number}",
        certifying_body="乡村振兴局",
        supplier=supplier,
        origin=region,
        valid_from=today + timedelta(days=days_from),
        valid_to=today + timedelta(days=days_to),
        **fields,
    )
    created.products.add(*products)
    return created


def build() -> Catalogue:
    channel = factories.channel()
    warehouse = factories.warehouse(channels=[channel])
    fresh = factories.category("生鲜")
    fruit = factories.category("水果", parent=fresh)
    oranges = factories.category("橙子", parent=fruit)
    meat = factories.category("肉类", parent=fresh)
    grain = factories.category("粮油")
    rice = factories.category("大米", parent=grain)
    tea = factories.category("茶叶")
    categories = {c.name: c for c in (fresh, fruit, oranges, meat, grain, rice, tea)}

    def product(name, category, price, quantity=10):
        return factories.product(
            channel=channel, name=name, category=category, price=price, quantity=quantity, warehouse=warehouse
        )

    products = {
        "赣南脐橙": product("赣南脐橙", oranges, "39.90"),
        "秭归脐橙": product("秭归脐橙", oranges, "59.00", quantity=0),
        "奉节脐橙礼盒": product("奉节脐橙礼盒", oranges, "128.00"),
        "巫山脆李": product("巫山脆李", fruit, "30.00"),
        "湘西腊肉": product("湘西腊肉", meat, "88.00"),
        "五常大米": product("五常大米", rice, "50.00"),
        "稻花香大米": product("稻花香大米", rice, "199.00", quantity=0),
        "东北大米": product("东北大米", rice, "260.00"),
        "雷山银球茶": product("雷山银球茶", tea, "520.00"),
        "普洱茶饼": product("普洱茶饼", tea, "45.00"),
    }
    # A product that is not published: never counted.
    factories.product(channel=channel, name="未上架脐橙", category=oranges, price="20.00", published=False)
    regions = {
        "wushan": region("500237", "重庆市", "巫山县"),
        "leishan": region("522634", "贵州省", "雷山县"),
        "fengjie": region("500236", "重庆市", "奉节县"),
    }
    certify(1, regions["wushan"], [products["巫山脆李"], products["湘西腊肉"]])
    certify(2, regions["leishan"], [products["雷山银球茶"], products["湘西腊肉"], products["五常大米"]])
    # Revoked and expired certifications do not count.
    certify(
        3,
        regions["fengjie"],
        [products["奉节脐橙礼盒"]],
        status=ReliefCertification.Status.REVOKED,
        revoked_reason="抽检不合格",
    )
    certify(4, regions["fengjie"], [products["普洱茶饼"]], days_from=-400, days_to=-10)
    return Catalogue(channel=channel, categories=categories, products=products, regions=regions)
