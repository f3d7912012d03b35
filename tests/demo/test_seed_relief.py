"""The demo's relief sourcing: real partner counties, valid credit codes, certificates and batches, and
suppliers that sell what they produce."""

from stdnum.cn import uscc

from catalog.models import Merchant, Product
from relief_sourcing import selectors
from relief_sourcing.divisions import county_division
from relief_sourcing.models import PartnerRegion, ProductBatch, ReliefCertification, ReliefSupplier
from relief_sourcing.selectors import CertificationState, certification_state


def test_every_relief_merchant_is_an_admitted_supplier_in_a_real_partner_county(demo):
    merchants = Merchant.objects.filter(kind=Merchant.Kind.RELIEF_SUPPLIER)
    suppliers = ReliefSupplier.objects.select_related("merchant", "region")
    assert suppliers.count() == merchants.count() == 32
    for supplier in suppliers:
        division = county_division(supplier.region.code)  # raises for a code not in force today
        assert supplier.merchant.region == f"{division.province}{division.prefecture}{division.county}"
        assert uscc.is_valid(supplier.credit_code), supplier.credit_code
        assert supplier.credit_code[2:8] == supplier.region.code
        assert supplier.admission_status == "APPROVED"
    assert PartnerRegion.objects.count() == 17
    assert set(PartnerRegion.objects.values_list("pairing_type", flat=True)) == {
        "EAST_WEST",
        "COUNTERPART",
        "IN_PROVINCE",
    }


def test_the_plum_cooperative_sells_plums_and_the_mango_cooperative_no_rice(demo):
    plums = Product.objects.filter(merchant__slug="wushan-plum-coop").values_list("name", flat=True)
    assert list(plums) == ["巫山脆李"]
    mangoes = set(Product.objects.filter(merchant__slug="tiandong-mango-coop").values_list("name", flat=True))
    assert mangoes == {"田东香芒", "百色桂七芒果", "百色芒果干"}
    honey = Product.objects.get(name="三峡土蜂蜜")
    assert honey.merchant.name == "巫山县三峡农特产品有限公司"


def test_specialised_suppliers_sell_only_their_speciality(demo):
    speciality = {
        "leishan-miaoling-tea": ("茶", "毛尖"),
        "minxian-angelica-coop": "当归",
        "baojing-golden-tea-coop": "黄金",
        "horqin-right-front-rice-coop": "大米",
        "xunwu-navel-orange-coop": ("橙", "桔", "百香果"),
    }
    for slug, words in speciality.items():
        words = (words,) if isinstance(words, str) else words
        for name in Product.objects.filter(merchant__slug=slug).values_list("name", flat=True):
            assert any(word in name for word in words), (slug, name)


def test_certificates_are_current_for_most_some_expired_and_one_revoked(demo):
    states = [certification_state(certification) for certification in ReliefCertification.objects.all()]
    assert states.count(CertificationState.REVOKED) == 1
    assert states.count(CertificationState.EXPIRED) == 7
    assert states.count(CertificationState.VALID) == 30
    revoked = ReliefCertification.objects.get(status="REVOKED")
    assert "撤销" in revoked.revoked_reason
    relief_products = Product.objects.filter(merchant__kind=Merchant.Kind.RELIEF_SUPPLIER)
    current = selectors.current_certifications(relief_products.values_list("pk", flat=True))
    lapsed = relief_products.filter(merchant__slug__in=["congjiang-ponkan-farm", "xunwu-hakka-rice-noodle-farm"])
    assert set(relief_products.values_list("pk", flat=True)) - set(current) == set(lapsed.values_list("pk", flat=True))


def test_every_relief_product_has_a_batch_with_its_compliance_certificate(demo):
    relief_products = Product.objects.filter(merchant__kind=Merchant.Kind.RELIEF_SUPPLIER)
    assert ProductBatch.objects.count() == relief_products.count()
    batch = selectors.current_batch(Product.objects.get(name="巫山脆李"))
    assert (batch.batch_number, batch.producer, batch.origin) == ("WS-001-01", "巫山县脆李专业合作社", "重庆市巫山县")
