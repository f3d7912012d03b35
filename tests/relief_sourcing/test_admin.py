from relief_sourcing.models import PartnerRegion, ReliefSupplier
from tests import factories
from tests.relief_sourcing.conftest import credit_code, today


def test_an_operator_adds_a_partner_region_in_the_admin_and_a_bad_code_is_a_form_error(admin_client):
    form = {"code": "533321", "pairing_type": "EAST_WEST", "active_from_year": today().year}
    response = admin_client.post("/admin/relief_sourcing/partnerregion/add/", form)
    assert response.status_code == 200
    assert "533321（泸水县）已撤销" in response.content.decode()
    assert not PartnerRegion.objects.exists()
    response = admin_client.post("/admin/relief_sourcing/partnerregion/add/", {**form, "code": "533301"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert PartnerRegion.objects.get().county == "泸水市"


def test_a_supplier_registered_in_the_admin_goes_through_the_credit_code_check(admin_client, region):
    merchant = factories.merchant(name="巫山县脆李专业合作社")
    form = {
        "merchant": merchant.pk,
        "region": region.pk,
        "credit_code": "123",
        "entity_type": "COOPERATIVE",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "certifications-TOTAL_FORMS": "0",
        "certifications-INITIAL_FORMS": "0",
    }
    response = admin_client.post("/admin/relief_sourcing/reliefsupplier/add/", form)
    assert "应为 18 位，您填写了 3 位" in response.content.decode()
    assert not ReliefSupplier.objects.exists()
    response = admin_client.post("/admin/relief_sourcing/reliefsupplier/add/", {**form, "credit_code": credit_code()})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ReliefSupplier.objects.get().merchant.kind == "relief_supplier"


def test_the_admin_pages_list_in_chinese(admin_client, supplier):
    for model in ("partnerregion", "reliefsupplier", "reliefcertification", "productbatch"):
        assert admin_client.get(f"/admin/relief_sourcing/{model}/").status_code == 200
    page = admin_client.get(f"/admin/relief_sourcing/reliefsupplier/{supplier.pk}/change/").content.decode()
    assert "联农带农材料" in page and "统一社会信用代码" in page
