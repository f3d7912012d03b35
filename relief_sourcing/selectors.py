"""Reads of relief sourcing: partner regions, suppliers, the certificate and batch a product shows now.

(`certification_at(product_id, moment)`, the ledger's question "was it certified when it was bought", lives
in relief_sourcing.ledger.)
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from mall.errors import PermissionDenied
from mall.permissions import PermissionEnum, has_permissions, require_permissions
from relief_sourcing.models import PartnerRegion, ProductBatch, ReliefCertification, ReliefSupplier

Approved = ReliefSupplier.AdmissionStatus.APPROVED


class CertificationState:
    """What a certificate is on a given day: its stored status says only VALID or REVOKED, the dates say the rest."""

    VALID = "VALID"
    NOT_YET_VALID = "NOT_YET_VALID"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"

    LABELS = {VALID: "有效", NOT_YET_VALID: "未生效", EXPIRED: "已过期", REVOKED: "已撤销"}


def certification_state(certification: ReliefCertification, on: date | None = None) -> str:
    on = on or timezone.localdate()
    if certification.status == ReliefCertification.Status.REVOKED:
        return CertificationState.REVOKED
    if on < certification.valid_from:
        return CertificationState.NOT_YET_VALID
    if on > certification.valid_to:
        return CertificationState.EXPIRED
    return CertificationState.VALID


# --- Partner regions --------------------------------------------------------------------
def active_in(year: int) -> Q:
    return Q(active_from_year__lte=year) & (Q(active_to_year__isnull=True) | Q(active_to_year__gte=year))


def region_is_active(region: PartnerRegion, year: int) -> bool:
    return region.active_from_year <= year and (region.active_to_year is None or region.active_to_year >= year)


def partner_regions(*, pairing_type: str | None = None, province: str | None = None) -> QuerySet[PartnerRegion]:
    regions = PartnerRegion.objects.all()
    if pairing_type:
        regions = regions.filter(pairing_type=pairing_type)
    if province:
        regions = regions.filter(province=province)
    return regions


# --- Suppliers --------------------------------------------------------------------------
def can_manage_relief(user) -> bool:
    return has_permissions(user, [PermissionEnum.MANAGE_RELIEF])


def relief_suppliers(user, *, region=None, status: str | None = None) -> QuerySet[ReliefSupplier]:
    """Suppliers as `user` may see them: everyone sees admitted ones; operators (MANAGE_RELIEF) every status."""
    suppliers = ReliefSupplier.objects.select_related("merchant", "region")
    if not can_manage_relief(user):
        if status and status != Approved:
            raise PermissionDenied([PermissionEnum.MANAGE_RELIEF])
        status = Approved
    if status:
        suppliers = suppliers.filter(admission_status=status)
    if region is not None:
        suppliers = suppliers.filter(region=region)
    return suppliers


def suppliers_by_region(region: PartnerRegion) -> QuerySet[ReliefSupplier]:
    """The admitted suppliers of a partner region (what the public pages list)."""
    return ReliefSupplier.objects.filter(region=region, admission_status=Approved).select_related("merchant")


def supplier_by_merchant_slug(slug: str) -> ReliefSupplier | None:
    """The admitted supplier whose merchant has `slug`, for its public page; None otherwise."""
    return (
        ReliefSupplier.objects.filter(merchant__slug=slug, merchant__is_active=True, admission_status=Approved)
        .select_related("merchant", "region")
        .first()
    )


# --- Certifications and batches ---------------------------------------------------------
def relief_certifications(user, *, supplier=None, product=None) -> QuerySet[ReliefCertification]:
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    certifications = ReliefCertification.objects.select_related("supplier__merchant", "origin")
    if supplier is not None:
        certifications = certifications.filter(supplier=supplier)
    if product is not None:
        certifications = certifications.filter(products=product)
    return certifications


def current_certifications(product_ids, *, today: date | None = None) -> dict[int, ReliefCertification]:
    """For each product, the certificate in force today (valid, not revoked, supplier admitted), with its
    supplier, merchant and origin county: one query for any number of products. When two overlap, the one
    that runs longest is shown."""
    today = today or timezone.localdate()
    rows = (
        ReliefCertification.products.through.objects.filter(product_id__in=list(product_ids))
        .filter(
            reliefcertification__status=ReliefCertification.Status.VALID,
            reliefcertification__valid_from__lte=today,
            reliefcertification__valid_to__gte=today,
            reliefcertification__supplier__admission_status=Approved,
        )
        .select_related(
            "reliefcertification__supplier__merchant",
            "reliefcertification__supplier__region",
            "reliefcertification__origin",
        )
        .order_by("product_id", "-reliefcertification__valid_to", "reliefcertification__pk")
    )
    found = {}
    for row in rows:
        found.setdefault(row.product_id, row.reliefcertification)
    return found


def current_certification(product, *, today: date | None = None) -> ReliefCertification | None:
    return current_certifications([product.pk], today=today).get(product.pk)


def current_batches(product_ids) -> dict[int, ProductBatch]:
    """Each product's latest batch (by production date), one query (PostgreSQL DISTINCT ON)."""
    batches = (
        ProductBatch.objects.filter(product_id__in=list(product_ids))
        .order_by("product_id", "-produced_on", "-pk")
        .distinct("product_id")
    )
    return {batch.product_id: batch for batch in batches}


def current_batch(product) -> ProductBatch | None:
    return current_batches([product.pk]).get(product.pk)
