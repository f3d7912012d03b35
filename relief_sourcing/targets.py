"""Every change to relief targets (年度帮扶目标): set a branch's amount and/or minimum share for a year."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from branches.models import UnionBranch
from mall.money import quantize
from mall.permissions import PermissionEnum, require_permissions
from relief_sourcing.models import ReliefTarget
from relief_sourcing.reports import check_year


@transaction.atomic
def set_target(*, branch: UnionBranch, year: int, amount=None, minimum_share=None, by) -> ReliefTarget:
    """Create or replace `branch`'s target for `year`. At least one of the amount and the minimum share
    (a fraction, 0.30 for 30%) is needed; operators with MANAGE_RELIEF set targets."""
    require_permissions(by, PermissionEnum.MANAGE_RELIEF)
    check_year(year)
    if amount is None and minimum_share is None:
        raise ValidationError({"amount": ValidationError("请填写目标金额或最低帮扶占比。", code="required")})
    try:
        amount = quantize(amount) if amount is not None else None
        minimum_share = Decimal(minimum_share) if minimum_share is not None else None
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValidationError("目标金额或占比不是有效数字。", code="invalid") from error
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": ValidationError("目标金额须大于 0。", code="invalid")})
    if minimum_share is not None and not Decimal(0) <= minimum_share <= Decimal(1):
        raise ValidationError({"minimum_share": ValidationError("最低帮扶占比须在 0 至 1 之间。", code="invalid")})
    target = ReliefTarget.objects.select_for_update().filter(branch=branch, year=year).first()
    target = target or ReliefTarget(branch=branch, year=year)
    target.amount = amount
    target.minimum_share = minimum_share
    target.full_clean(validate_unique=False)
    target.save()
    return target
