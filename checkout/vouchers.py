"""Whether a voucher may discount a checkout: the rules applied when a code is added, each time
the checkout changes, when it is priced for display and again when it is completed.

The rules follow Saleor: a code that is unknown, outside its dates, not offered in the
checkout's channel or used up is INVALID ("优惠码无效"); a valid code whose minimum spend the
checkout does not reach is VOUCHER_NOT_APPLICABLE.
"""

from decimal import Decimal

from django.utils import timezone

from checkout.errors import CheckoutDomainError, CheckoutInvalid, VoucherNotApplicable
from checkout.models import Voucher

FIELD = "promo_code"


def find_voucher(code: str) -> Voucher | None:
    """The voucher with this code (codes are kept as typed; surrounding blanks are ignored)."""
    code = (code or "").strip()
    if not code:
        return None
    return Voucher.objects.prefetch_related("channels").filter(code=code).first()


def voucher_refusal(
    voucher: Voucher, *, channel_id: int, currency: str, subtotal: Decimal, now=None
) -> CheckoutDomainError | None:
    """Why `voucher` cannot discount a checkout in `channel_id` whose lines cost `subtotal`, or None.

    Reads `voucher.channels`, prefetched by every caller that prices several checkouts.
    """
    now = now or timezone.now()
    if voucher.start_date > now:
        return CheckoutInvalid(f"优惠码 {voucher.code} 尚未开始使用。", field=FIELD)
    if voucher.end_date is not None and voucher.end_date <= now:
        return CheckoutInvalid(f"优惠码 {voucher.code} 已过期。", field=FIELD)
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        return CheckoutInvalid(f"优惠码 {voucher.code} 已被领完。", field=FIELD)
    if channel_id not in {channel.pk for channel in voucher.channels.all()} or voucher.currency != currency:
        return CheckoutInvalid(f"优惠码 {voucher.code} 不能在此渠道使用。", field=FIELD)
    if voucher.min_spent_amount is not None and subtotal < voucher.min_spent_amount:
        return VoucherNotApplicable(
            f"商品金额满 ¥{voucher.min_spent_amount} 才能使用优惠码 {voucher.code}。", field=FIELD
        )
    return None


def voucher_applies(voucher: Voucher | None, *, channel_id: int, currency: str, subtotal: Decimal, now=None) -> bool:
    if voucher is None:
        return False
    return voucher_refusal(voucher, channel_id=channel_id, currency=currency, subtotal=subtotal, now=now) is None


def check_voucher(voucher: Voucher, *, channel_id: int, currency: str, subtotal: Decimal, now=None) -> None:
    """Raise the refusal, if any (checkoutComplete calls this before it counts a use)."""
    refusal = voucher_refusal(voucher, channel_id=channel_id, currency=currency, subtotal=subtotal, now=now)
    if refusal is not None:
        raise refusal
