"""Relief suppliers (帮扶供应商): registration of a merchant in a partner county and its admission
(APPLIED → APPROVED ⇄ SUSPENDED), with who decided, when and why, and the 联农带农 evidence files."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from catalog import services as catalog_services
from mall.permissions import PermissionEnum, require_permissions
from relief_sourcing.errors import AlreadyRegistered, InvalidTransition, RegionNotActive
from relief_sourcing.models import ReliefSupplier, SupplierEvidence
from relief_sourcing.selectors import region_is_active

Status = ReliefSupplier.AdmissionStatus
EDITABLE = {
    "region",
    "credit_code",
    "entity_type",
    "farmer_linkage",
    "households_linked",
    "story",
    "recommended_by",
}
# Characters GB 32100 allows after the first eight digits (no I, O, Z, S, V).
ALPHABET_NOTE = "数字或除 I、O、Z、S、V 以外的大写字母"


def clean_credit_code(raw: str) -> str:
    """The 18-character unified social credit code (统一社会信用代码) of `raw`, or a ValidationError saying
    exactly what is wrong: its length, a character, or the check character (GB 32100)."""
    code = uscc.compact(raw or "")
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidLength:
        message = f"统一社会信用代码应为 18 位，您填写了 {len(code)} 位。"
        error_code = "invalid_credit_code_length"
    except stdnum_errors.InvalidFormat:
        message = f"统一社会信用代码的前 8 位应为数字，其余为{ALPHABET_NOTE}。"
        error_code = "invalid_credit_code_format"
    except stdnum_errors.InvalidChecksum:
        message = "统一社会信用代码的校验位（第 18 位）不正确，请核对是否抄错。"
        error_code = "invalid_credit_code_checksum"
    raise ValidationError({"credit_code": ValidationError(message, code=error_code)})


def _check_region(region, *, today=None) -> None:
    year = (today or timezone.localdate()).year
    if not region_is_active(region, year):
        raise RegionNotActive(region, year)


def _check_credit_code_free(supplier: ReliefSupplier) -> None:
    taken = ReliefSupplier.objects.filter(credit_code=supplier.credit_code).exclude(pk=supplier.pk).first()
    if taken:
        raise ValidationError({"credit_code": ValidationError(f"该统一社会信用代码已由“{taken}”登记。", code="unique")})


def _save(supplier: ReliefSupplier) -> ReliefSupplier:
    _check_credit_code_free(supplier)
    supplier.full_clean(validate_unique=False)
    supplier.save()
    return supplier


def _region_label(region) -> str:
    return f"{region.province}{region.prefecture}{region.county}"


@transaction.atomic
def register_supplier(
    *,
    user,
    merchant,
    region,
    credit_code: str,
    entity_type: str,
    farmer_linkage: str = "",
    households_linked: int | None = None,
    story: str = "",
    recommended_by: str = "",
) -> ReliefSupplier:
    """Register `merchant` as a relief supplier of `region` (status APPLIED); the merchant becomes a relief
    supplier in the catalogue, its region the partner county's name."""
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    code = clean_credit_code(credit_code)
    _check_region(region)
    if ReliefSupplier.objects.filter(merchant=merchant).exists():
        raise AlreadyRegistered(merchant)
    supplier = _save(
        ReliefSupplier(
            merchant=merchant,
            region=region,
            credit_code=code,
            entity_type=entity_type,
            farmer_linkage=farmer_linkage,
            households_linked=households_linked,
            story=story,
            recommended_by=recommended_by,
        )
    )
    catalog_services.mark_relief_supplier(merchant, region_label=_region_label(region))
    return supplier


@transaction.atomic
def update_supplier(supplier: ReliefSupplier, *, user, **changes) -> ReliefSupplier:
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    supplier = ReliefSupplier.objects.select_for_update().select_related("merchant", "region").get(pk=supplier.pk)
    if "credit_code" in changes:
        changes["credit_code"] = clean_credit_code(changes["credit_code"])
    moved = "region" in changes and changes["region"].pk != supplier.region_id
    if moved:
        _check_region(changes["region"])
    for name, value in changes.items():
        setattr(supplier, name, value)
    _save(supplier)
    if moved:
        catalog_services.mark_relief_supplier(supplier.merchant, region_label=_region_label(supplier.region))
    return supplier


def _decide(supplier: ReliefSupplier, *, user, target: str, allowed_from: set, reason: str, now=None) -> ReliefSupplier:
    supplier = ReliefSupplier.objects.select_for_update().select_related("merchant", "region").get(pk=supplier.pk)
    if supplier.admission_status not in allowed_from:
        raise InvalidTransition(supplier, Status(target).label)
    supplier.admission_status = str(target)
    supplier.status_reason = reason
    supplier.decided_by = user
    supplier.decided_at = now or timezone.now()
    supplier.full_clean(validate_unique=False)
    supplier.save(update_fields=["admission_status", "status_reason", "decided_by", "decided_at"])
    return supplier


@transaction.atomic
def approve_supplier(supplier: ReliefSupplier, *, user, reason: str = "", now=None) -> ReliefSupplier:
    """Admit an applicant, or readmit a suspended supplier (准入 / 恢复). `now` is when it was decided (default:
    now); the demo admits its suppliers before the year of orders it replays, so those purchases count."""
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    return _decide(
        supplier,
        user=user,
        target=Status.APPROVED,
        allowed_from={Status.APPLIED, Status.SUSPENDED},
        reason=reason,
        now=now,
    )


@transaction.atomic
def suspend_supplier(supplier: ReliefSupplier, *, user, reason: str) -> ReliefSupplier:
    """Suspend an admitted supplier (暂停); a reason is required, members and auditors will ask why."""
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError("暂停准入须填写原因。", code="required")})
    return _decide(supplier, user=user, target=Status.SUSPENDED, allowed_from={Status.APPROVED}, reason=reason.strip())


@transaction.atomic
def add_evidence(supplier: ReliefSupplier, *, user, title: str, file) -> SupplierEvidence:
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    evidence = SupplierEvidence(supplier=supplier, title=title, file=file, uploaded_by=user)
    evidence.full_clean()
    evidence.save()
    return evidence
