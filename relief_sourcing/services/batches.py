"""Product batches (批次) with their 承诺达标合格证 (producer's compliance certificate) data."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.models import Merchant
from mall.permissions import PermissionEnum, require_permissions
from relief_sourcing.errors import NotReliefProduct
from relief_sourcing.models import ProductBatch


@transaction.atomic
def create_batch(
    *,
    user,
    product,
    batch_number: str,
    produced_on,
    quantity: int,
    producer: str,
    origin: str,
    contact: str,
    certificate_issued_on,
    unit: str = "件",
) -> ProductBatch:
    require_permissions(user, PermissionEnum.MANAGE_RELIEF)
    if product.merchant.kind != Merchant.Kind.RELIEF_SUPPLIER:
        raise NotReliefProduct(product)
    today = timezone.localdate()
    errors = {}
    if produced_on and produced_on > today:
        errors["produced_on"] = ValidationError("采收/生产日期不能晚于今天。", code="invalid")
    if certificate_issued_on and produced_on and certificate_issued_on < produced_on:
        errors["certificate_issued_on"] = ValidationError("合格证开具日期不能早于采收/生产日期。", code="invalid")
    batch_number = (batch_number or "").strip()
    if ProductBatch.objects.filter(product=product, batch_number=batch_number).exists():
        errors["batch_number"] = ValidationError(f"该商品已有批次号 {batch_number}。", code="unique")
    if errors:
        raise ValidationError(errors)
    batch = ProductBatch(
        product=product,
        batch_number=batch_number,
        produced_on=produced_on,
        quantity=quantity,
        unit=unit,
        producer=producer,
        origin=origin,
        contact=contact,
        certificate_issued_on=certificate_issued_on,
    )
    batch.full_clean(validate_unique=False, validate_constraints=False)
    batch.save()
    return batch
