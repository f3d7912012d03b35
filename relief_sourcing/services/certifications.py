"""Relief certifications (帮扶产品认定): a certificate over some of one supplier's products, from an origin
county, between two dates. Expiry is read from the dates; revocation is stored with its reason."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mall.permissions import PermissionEnum, require_permissions
from relief_sourcing.errors import CertificationRevoked, ProductNotOfSupplier
from relief_sourcing.models import ReliefCertification

EDITABLE = {"number", "certifying_body", "origin", "valid_from", "valid_to"}


def _check_products(certification: ReliefCertification, products) -> list:
    products = list(products)
    strangers = [product for product in products if product.merchant_id != certification.supplier.merchant_id]
    if strangers:
        raise ProductNotOfSupplier(strangers, certification.supplier)
    return products


def _save(certification: ReliefCertification) -> ReliefCertification:
    if certification.valid_from and certification.valid_to and certification.valid_to < certification.valid_from:
        raise ValidationError({"valid_to": ValidationError("有效期止不能早于有效期起。", code="invalid")})
    certification.number = (certification.number or "").strip()
    taken = ReliefCertification.objects.filter(number=certification.number).exclude(pk=certification.pk).exists()
    if taken:
        raise ValidationError({"number": ValidationError(f"证书编号 {certification.number} 已存在。", code="unique")})
    certification.full_clean(validate_unique=False, validate_constraints=False)
    certification.save()
    return certification


def _locked(certification: ReliefCertification) -> ReliefCertification:
    locked = ReliefCertification.objects.select_for_update().select_related("supplier").get(pk=certification.pk)
    if locked.status == ReliefCertification.Status.REVOKED:
        raise CertificationRevoked(locked)
    return locked


@transaction.atomic
def create_certification(
    *, user, number: str, certifying_body: str, supplier, valid_from, valid_to, products=(), origin=None
) -> ReliefCertification:
    """Certify `products` of `supplier`; the origin county defaults to the supplier's registered county."""
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    certification = ReliefCertification(
        number=number,
        certifying_body=certifying_body,
        supplier=supplier,
        origin=origin or supplier.region,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    products = _check_products(certification, products)
    _save(certification)
    certification.products.add(*products)
    return certification


@transaction.atomic
def update_certification(
    certification: ReliefCertification, *, user, add_products=(), remove_products=(), **changes
) -> ReliefCertification:
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    certification = _locked(certification)
    for name, value in changes.items():
        setattr(certification, name, value)
    _save(certification)
    certification.products.add(*_check_products(certification, add_products))
    certification.products.remove(*remove_products)
    return certification


def add_certified_products(certification: ReliefCertification, *, user, products) -> ReliefCertification:
    return update_certification(certification, user=user, add_products=products)


def remove_certified_products(certification: ReliefCertification, *, user, products) -> ReliefCertification:
    return update_certification(certification, user=user, remove_products=products)


@transaction.atomic
def revoke_certification(certification: ReliefCertification, *, user, reason: str) -> ReliefCertification:
    """Revoke (撤销) a certificate from now on; the row stays, with who revoked it, when and why, so that
    purchases made while it was valid stay relief purchases."""
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError("撤销认定须填写原因。", code="required")})
    certification = _locked(certification)
    certification.status = ReliefCertification.Status.REVOKED
    certification.revoked_reason = reason.strip()
    certification.revoked_at = timezone.now()
    certification.revoked_by = user
    certification.save(update_fields=["status", "revoked_reason", "revoked_at", "revoked_by"])
    return certification
