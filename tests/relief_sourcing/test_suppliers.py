import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from catalog.models import Merchant
from mall.errors import PermissionDenied
from relief_sourcing import services
from relief_sourcing.errors import AlreadyRegistered, InvalidTransition, RegionNotActive
from relief_sourcing.models import ReliefSupplier
from tests import factories
from tests.relief_sourcing.conftest import LUSHUI, credit_code, make_region, make_supplier, today

Status = ReliefSupplier.AdmissionStatus


def test_registering_makes_the_merchant_a_relief_supplier_of_the_county(operator, region):
    supplier = make_supplier(operator, region, approved=False)
    merchant = Merchant.objects.get(pk=supplier.merchant_id)
    assert merchant.kind == Merchant.Kind.RELIEF_SUPPLIER
    assert merchant.region == "重庆市巫山县"
    assert supplier.admission_status == Status.APPLIED


def test_a_credit_code_is_stored_compact_and_upper_case(operator, region):
    code = credit_code(region.code)
    supplier = make_supplier(operator, region, credit_code=f" {code[:9].lower()}-{code[9:]} ")
    assert supplier.credit_code == code


@pytest.mark.parametrize(
    ("mangle", "error_code", "message"),
    [
        (lambda code: code[:17], "invalid_credit_code_length", "应为 18 位，您填写了 17 位"),
        (lambda code: code + "1", "invalid_credit_code_length", "您填写了 19 位"),
        (lambda code: "9A" + code[2:], "invalid_credit_code_format", "前 8 位应为数字"),
        (lambda code: code[:10] + "I" + code[11:], "invalid_credit_code_format", "除 I、O、Z、S、V 以外"),
        (
            lambda code: code[:17] + ("0" if code[17] != "0" else "1"),
            "invalid_credit_code_checksum",
            "校验位（第 18 位）不正确",
        ),
    ],
)
def test_a_bad_credit_code_is_refused_clearly_and_changes_nothing(operator, region, mangle, error_code, message):
    merchant = factories.merchant(name="某合作社")
    with pytest.raises(ValidationError) as refused:
        services.register_supplier(
            user=operator,
            merchant=merchant,
            region=region,
            credit_code=mangle(credit_code(region.code)),
            entity_type="COOPERATIVE",
        )
    [error] = refused.value.error_dict["credit_code"]
    assert (error.code, message in error.message) == (error_code, True)
    assert not ReliefSupplier.objects.exists()
    merchant.refresh_from_db()
    assert merchant.kind == Merchant.Kind.MEMBER_GOODS


def test_a_supplier_registers_only_in_a_region_paired_this_year(operator):
    ended = make_region(operator, LUSHUI, active_from_year=2018, active_to_year=today().year - 1)
    merchant = factories.merchant()
    with pytest.raises(RegionNotActive) as refused:
        services.register_supplier(
            user=operator, merchant=merchant, region=ended, credit_code=credit_code(), entity_type="COOPERATIVE"
        )
    assert "不是" in refused.value.message and "结对帮扶地区" in refused.value.message
    assert not ReliefSupplier.objects.exists()


def test_a_merchant_and_a_credit_code_are_registered_once(operator, region, supplier):
    with pytest.raises(AlreadyRegistered):
        services.register_supplier(
            user=operator,
            merchant=supplier.merchant,
            region=region,
            credit_code=credit_code(),
            entity_type="COOPERATIVE",
        )
    with pytest.raises(ValidationError) as refused:
        make_supplier(operator, region, name="另一家", credit_code=supplier.credit_code)
    assert refused.value.error_dict["credit_code"][0].code == "unique"
    assert ReliefSupplier.objects.count() == 1


def test_admission_records_who_decided_when_and_why(operator, region):
    supplier = make_supplier(operator, region, approved=False)
    approved = services.approve_supplier(supplier, user=operator, reason="材料齐全")
    assert (approved.admission_status, approved.decided_by, approved.status_reason) == (
        Status.APPROVED,
        operator,
        "材料齐全",
    )
    suspended = services.suspend_supplier(approved, user=operator, reason="抽检不合格")
    assert (suspended.admission_status, suspended.status_reason) == (Status.SUSPENDED, "抽检不合格")
    assert suspended.decided_at >= approved.decided_at
    readmitted = services.approve_supplier(suspended, user=operator, reason="整改完成")
    assert readmitted.admission_status == Status.APPROVED


def test_an_applicant_cannot_be_suspended_and_suspending_needs_a_reason(operator, region):
    supplier = make_supplier(operator, region, approved=False)
    with pytest.raises(InvalidTransition) as refused:
        services.suspend_supplier(supplier, user=operator, reason="?")
    assert "当前为“已申请”，不能改为“已暂停”" in refused.value.message
    approved = services.approve_supplier(supplier, user=operator)
    with pytest.raises(ValidationError):
        services.suspend_supplier(approved, user=operator, reason="  ")
    with pytest.raises(InvalidTransition):
        services.approve_supplier(approved, user=operator)
    approved.refresh_from_db()
    assert approved.admission_status == Status.APPROVED


def test_only_relief_operators_register_and_decide(operator, clerk, region):
    with pytest.raises(PermissionDenied):
        make_supplier(clerk, region)
    supplier = make_supplier(operator, region, approved=False)
    with pytest.raises(PermissionDenied):
        services.approve_supplier(supplier, user=clerk)
    supplier.refresh_from_db()
    assert supplier.admission_status == Status.APPLIED


def test_evidence_files_are_kept_with_the_uploader(operator, supplier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence = services.add_evidence(
        supplier, user=operator, title="2024 年保底收购合同", file=ContentFile(b"%PDF-1.4", name="contract.pdf")
    )
    assert (evidence.uploaded_by, supplier.evidence.count()) == (operator, 1)


def test_moving_a_supplier_updates_the_merchant_region(operator, supplier):
    lushui = make_region(operator, LUSHUI)
    services.update_supplier(supplier, user=operator, region=lushui, story="新故事")
    supplier.merchant.refresh_from_db()
    assert supplier.merchant.region == "云南省怒江傈僳族自治州泸水市"
