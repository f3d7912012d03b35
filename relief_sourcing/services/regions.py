"""Partner regions (结对帮扶地区): created from a GB/T 2260 code, the names filled from the official list."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mall.permissions import PermissionEnum, require_permissions
from relief_sourcing.divisions import county_division
from relief_sourcing.models import PartnerRegion

EDITABLE = {"code", "pairing_type", "active_from_year", "active_to_year"}


def _apply_division(region: PartnerRegion, code: str) -> None:
    try:
        division = county_division(code)
    except ValidationError as error:
        raise ValidationError({"code": error.error_list}) from error
    region.code = division.code
    region.province = division.province
    region.prefecture = division.prefecture
    region.county = division.county


def _save(region: PartnerRegion) -> PartnerRegion:
    duplicate = PartnerRegion.objects.filter(code=region.code).exclude(pk=region.pk).first()
    if duplicate:
        raise ValidationError({"code": ValidationError(f"{duplicate} 已是结对帮扶地区。", code="unique")})
    region.full_clean(validate_unique=False)
    region.save()
    return region


def _check_years(region: PartnerRegion) -> None:
    if region.active_to_year is not None and region.active_to_year < region.active_from_year:
        raise ValidationError({"active_to_year": ValidationError("截止年度不能早于起始年度。", code="invalid")})


@transaction.atomic
def create_partner_region(
    *, user, code: str, pairing_type: str, active_from_year: int, active_to_year: int | None = None
) -> PartnerRegion:
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    region = PartnerRegion(pairing_type=pairing_type, active_from_year=active_from_year, active_to_year=active_to_year)
    _apply_division(region, code)
    _check_years(region)
    return _save(region)


@transaction.atomic
def update_partner_region(region: PartnerRegion, *, user, **changes) -> PartnerRegion:
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    region = PartnerRegion.objects.select_for_update().get(pk=region.pk)
    if "code" in changes and changes["code"] != region.code:
        _apply_division(region, changes.pop("code"))
    changes.pop("code", None)
    for name, value in changes.items():
        setattr(region, name, value)
    _check_years(region)
    return _save(region)
