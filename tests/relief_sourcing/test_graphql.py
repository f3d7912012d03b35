"""Relief sourcing over GraphQL (HTTP, JSON), as operators and shoppers use it."""

from datetime import timedelta

import pytest
from graphql_relay import to_global_id

from relief_sourcing.models import PartnerRegion, ReliefCertification, ReliefSupplier
from tests import factories
from tests.relief_sourcing.conftest import LUSHUI, add_batch, api_for, certify, credit_code, make_supplier, today

REGION_CREATE = """
mutation($input: PartnerRegionInput!) {
  partnerRegionCreate(input: $input) {
    partnerRegion { id code province prefecture county name pairingType activeFromYear }
    errors { field message code }
  }
}
"""
SUPPLIER_CREATE = """
mutation($input: ReliefSupplierCreateInput!) {
  reliefSupplierCreate(input: $input) {
    reliefSupplier { id name status creditCode region { county } merchant { kind region } }
    errors { field message code }
  }
}
"""
SUSPEND = """
mutation($id: ID!, $reason: String!) {
  reliefSupplierSuspend(id: $id, reason: $reason) {
    reliefSupplier { status statusReason decidedAt decidedBy { email } }
    errors { field message code }
  }
}
"""
APPROVE = """
mutation($id: ID!) {
  reliefSupplierApprove(id: $id) { reliefSupplier { status } errors { field message code } }
}
"""
CERTIFY = """
mutation($input: ReliefCertificationCreateInput!) {
  reliefCertificationCreate(input: $input) {
    reliefCertification { id number status origin { county } products { name } }
    errors { field message code }
  }
}
"""
REVOKE = """
mutation($id: ID!, $reason: String!) {
  reliefCertificationRevoke(id: $id, reason: $reason) {
    reliefCertification { status revokedReason }
    errors { field message code }
  }
}
"""
BATCH = """
mutation($input: ProductBatchCreateInput!) {
  productBatchCreate(input: $input) { productBatch { batchNumber producer } errors { field message code } }
}
"""
PRODUCT = """
query($slug: String!) {
  product(slug: $slug) {
    name
    reliefCertification { number certifyingBody validFrom validTo status supplier { name story } }
    origin { code county }
    currentBatch { batchNumber producedOn producer origin contact certificateIssuedOn }
  }
}
"""


def gid(obj) -> str:
    return to_global_id(type(obj).__name__, obj.pk)


def test_an_operator_creates_a_partner_region_with_names_from_the_list(operator_api):
    data = operator_api.data(
        REGION_CREATE, {"input": {"code": LUSHUI, "pairingType": "EAST_WEST", "activeFromYear": 2021}}
    )["partnerRegionCreate"]
    assert data["errors"] == []
    assert data["partnerRegion"]["name"] == "云南省怒江傈僳族自治州泸水市"
    assert data["partnerRegion"]["pairingType"] == "EAST_WEST"


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("5002", "INVALID_DIVISION_CODE"),
        ("500000", "NOT_A_COUNTY"),
        ("999991", "UNKNOWN_DIVISION_CODE"),
        ("533321", "ABOLISHED_DIVISION_CODE"),
    ],
)
def test_a_bad_division_code_is_a_field_error_and_creates_nothing(operator_api, code, error_code):
    data = operator_api.data(
        REGION_CREATE, {"input": {"code": code, "pairingType": "COUNTERPART", "activeFromYear": 2021}}
    )["partnerRegionCreate"]
    assert data["partnerRegion"] is None
    [error] = data["errors"]
    assert (error["field"], error["code"]) == ("code", error_code)
    assert not PartnerRegion.objects.exists()


def test_registering_a_supplier_with_a_bad_credit_code_is_a_field_error(operator_api, region):
    merchant = factories.merchant(name="巫山县脆李专业合作社")
    variables = {
        "input": {
            "merchant": gid(merchant),
            "region": gid(region),
            "creditCode": credit_code()[:-1] + "Z",
            "entityType": "COOPERATIVE",
        }
    }
    data = operator_api.data(SUPPLIER_CREATE, variables)["reliefSupplierCreate"]
    assert data["errors"][0]["field"] == "creditCode"
    assert data["errors"][0]["code"] == "INVALID_CREDIT_CODE_FORMAT"
    assert not ReliefSupplier.objects.exists()
    variables["input"]["creditCode"] = credit_code(region.code)
    data = operator_api.data(SUPPLIER_CREATE, variables)["reliefSupplierCreate"]
    assert data["errors"] == []
    assert data["reliefSupplier"]["status"] == "APPLIED"
    assert data["reliefSupplier"]["merchant"] == {"kind": "RELIEF_SUPPLIER", "region": "重庆市巫山县"}


def test_the_admission_workflow_over_the_api(operator_api, operator, region):
    supplier = make_supplier(operator, region, approved=False)
    data = operator_api.data(SUSPEND, {"id": gid(supplier), "reason": "抽检"})["reliefSupplierSuspend"]
    assert data["errors"][0]["code"] == "INVALID_TRANSITION"
    assert operator_api.data(APPROVE, {"id": gid(supplier)})["reliefSupplierApprove"]["reliefSupplier"] == {
        "status": "APPROVED"
    }
    data = operator_api.data(SUSPEND, {"id": gid(supplier), "reason": "抽检不合格"})["reliefSupplierSuspend"]
    assert data["reliefSupplier"]["status"] == "SUSPENDED"
    assert data["reliefSupplier"]["statusReason"] == "抽检不合格"
    assert data["reliefSupplier"]["decidedBy"] == {"email": operator.email}


def test_mutations_need_manage_relief(clerk, region):
    message = api_for(clerk).error(
        REGION_CREATE, {"input": {"code": LUSHUI, "pairingType": "EAST_WEST", "activeFromYear": 2021}}
    )
    assert "MANAGE_RELIEF" in message
    assert PartnerRegion.objects.count() == 1


def test_certify_revoke_and_batch_over_the_api(operator_api, operator, supplier, channel, region):
    plum = factories.product(channel=channel, name="巫山脆李", merchant=supplier.merchant)
    other = make_supplier(operator, region, name="别家")
    honey = factories.product(channel=channel, name="土蜂蜜", merchant=other.merchant)
    variables = {
        "input": {
            "number": "CQ-BF-2025-001",
            "certifyingBody": "重庆市乡村振兴局",
            "supplier": gid(supplier),
            "products": [gid(plum), gid(honey)],
            "validFrom": str(today() - timedelta(days=1)),
            "validTo": str(today() + timedelta(days=364)),
        }
    }
    data = operator_api.data(CERTIFY, variables)["reliefCertificationCreate"]
    assert (data["errors"][0]["field"], data["errors"][0]["code"]) == ("products", "PRODUCT_NOT_OF_SUPPLIER")
    assert not ReliefCertification.objects.exists()
    variables["input"]["products"] = [gid(plum)]
    data = operator_api.data(CERTIFY, variables)["reliefCertificationCreate"]
    assert data["reliefCertification"]["status"] == "VALID"
    assert data["reliefCertification"]["products"] == [{"name": "巫山脆李"}]
    batch = {
        "product": gid(plum),
        "batchNumber": "WS-001",
        "producedOn": str(today()),
        "quantity": 500,
        "producer": "巫山县脆李专业合作社",
        "origin": "重庆市巫山县曲尺乡",
        "contact": "023-57681234",
        "certificateIssuedOn": str(today()),
    }
    assert operator_api.data(BATCH, {"input": batch})["productBatchCreate"]["errors"] == []
    certification_id = data["reliefCertification"]["id"]
    revoked = operator_api.data(REVOKE, {"id": certification_id, "reason": "抽检不合格"})
    assert revoked["reliefCertificationRevoke"]["reliefCertification"] == {
        "status": "REVOKED",
        "revokedReason": "抽检不合格",
    }


def test_a_product_shows_its_certificate_origin_and_batch(api, operator, supplier, channel):
    plum = factories.product(channel=channel, name="巫山脆李", merchant=supplier.merchant)
    certification = certify(operator, supplier, [plum], number="CQ-BF-9")
    add_batch(operator, plum, number="WS-9")
    product = api.data(PRODUCT, {"slug": plum.slug})["product"]
    assert product["reliefCertification"]["number"] == "CQ-BF-9"
    assert product["reliefCertification"]["status"] == "VALID"
    assert product["reliefCertification"]["validTo"] == str(certification.valid_to)
    assert product["origin"] == {"code": "500237", "county": "巫山县"}
    assert product["currentBatch"]["batchNumber"] == "WS-9"


def test_an_uncertified_product_of_another_merchant_shows_nothing(api, channel):
    soap = factories.product(channel=channel, name="洗衣液")
    product = api.data(PRODUCT, {"slug": soap.slug})["product"]
    assert (product["reliefCertification"], product["origin"], product["currentBatch"]) == (None, None, None)


SUPPLIERS = """
query($filter: ReliefSupplierFilterInput) {
  reliefSuppliers(first: 20, filter: $filter) { totalCount edges { node { name status region { county } } } }
}
"""


def test_shoppers_see_admitted_suppliers_and_operators_every_status(api, operator_api, operator, region):
    make_supplier(operator, region, name="已准入")
    make_supplier(operator, region, name="申请中", approved=False)
    public = api.data(SUPPLIERS)["reliefSuppliers"]
    assert [edge["node"]["name"] for edge in public["edges"]] == ["已准入"]
    assert "MANAGE_RELIEF" in api.error(SUPPLIERS, {"filter": {"status": "APPLIED"}})
    applied = operator_api.data(SUPPLIERS, {"filter": {"status": "APPLIED"}})["reliefSuppliers"]
    assert [edge["node"]["name"] for edge in applied["edges"]] == ["申请中"]


def test_partner_regions_filter_by_pairing_type(api, operator, region):
    from tests.relief_sourcing.conftest import make_region

    make_region(operator, LUSHUI, pairing_type="EAST_WEST")
    data = api.data("{ partnerRegions(first: 10, filter: {pairingType: EAST_WEST}) { edges { node { county } } } }")
    assert data["partnerRegions"]["edges"] == [{"node": {"county": "泸水市"}}]


def test_certifications_are_for_operators_and_filter_by_state(api, operator_api, operator, supplier, channel):
    plum = factories.product(channel=channel, name="巫山脆李", merchant=supplier.merchant)
    certify(operator, supplier, [plum], number="NOW")
    certify(
        operator,
        supplier,
        [plum],
        number="OLD",
        valid_from=today() - timedelta(days=800),
        valid_to=today() - timedelta(days=400),
    )
    query = """query($s: ReliefCertificationStatusEnum) {
      reliefCertifications(first: 10, filter: {status: $s}) { edges { node { number status } } }
    }"""
    assert "authenticated" in api.error(query)
    expired = operator_api.data(query, {"s": "EXPIRED"})["reliefCertifications"]["edges"]
    assert expired == [{"node": {"number": "OLD", "status": "EXPIRED"}}]


PRODUCT_PAGE = """
query($first: Int!) {
  products(first: $first) {
    edges { node {
      name
      reliefCertification { number certifyingBody validTo status origin { county } supplier { name region { county } } }
      origin { county }
      currentBatch { batchNumber producer }
    } }
  }
}
"""


@pytest.mark.parametrize("size", [3, 12])
def test_a_page_of_certified_products_costs_the_same_queries_at_any_size(
    api, operator, supplier, channel, size, django_assert_num_queries
):
    warehouse = factories.warehouse(channels=[channel])
    neighbour = make_supplier(operator, supplier.region, name="巫山县庙党合作社")
    products = [
        factories.product(
            channel=channel,
            name=f"巫山特产{number:02}",
            merchant=(supplier if number % 2 else neighbour).merchant,
            warehouse=warehouse,
        )
        for number in range(size)
    ]
    certify(operator, supplier, products[1::2])
    certify(operator, neighbour, products[::2])
    for product in products:
        add_batch(operator, product)
    api.data(PRODUCT_PAGE, {"first": size})  # warms the channel cache
    # The page of products, their certificates (with supplier, merchant, origin and supplier's county), batches
    with django_assert_num_queries(QUERIES):
        edges = api.data(PRODUCT_PAGE, {"first": size})["products"]["edges"]
    assert len(edges) == size
    assert all(edge["node"]["reliefCertification"]["supplier"]["region"]["county"] == "巫山县" for edge in edges)


QUERIES = 3
