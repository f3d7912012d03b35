"""Writes to the allowance ledger. Every write for one member takes that member's advisory lock, so
two checkouts completing at the same moment cannot both spend the last of a balance."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from allowances.errors import InsufficientAllowance
from allowances.models import AllowanceEntry, AllowanceEntryType, AllowanceGrant
from allowances.selectors import spendable_allowances, spent_on_order
from mall.locks import lock_for_transaction
from mall.money import quantize

LOCK_NAMESPACE = "allowances.member"


def lock_member_allowances(user) -> None:
    lock_for_transaction(LOCK_NAMESPACE, user.pk)


@transaction.atomic
def spend_for_order(order, by_grant: dict[int, Decimal], *, now=None) -> list[AllowanceEntry]:
    """Spend `by_grant` (grant id -> amount, as checkout.calculations split it) on `order`.

    The balances are read again under the member's lock: if another order spent them in the
    meantime, nothing is written and InsufficientAllowance is raised.
    """
    by_grant = {grant_id: quantize(amount) for grant_id, amount in by_grant.items() if amount > 0}
    if not by_grant:
        return []
    user = order.user
    lock_member_allowances(user)
    balances = {allowance.grant_id: allowance.balance for allowance in spendable_allowances(user, now=now)}
    if any(balances.get(grant_id, Decimal("0")) < amount for grant_id, amount in by_grant.items()):
        raise InsufficientAllowance()
    entries = [
        AllowanceEntry(grant_id=grant_id, user=user, type=AllowanceEntryType.SPEND, amount=-amount, order=order)
        for grant_id, amount in sorted(by_grant.items())
    ]
    return AllowanceEntry.objects.bulk_create(entries)


@transaction.atomic
def refund_for_order(order, amount: Decimal | None = None, *, by=None, note: str = "") -> Decimal:
    """Give back to the ledger up to `amount` (all when None) of what `order` spent; returns how much.

    Grants that expire last are refunded first, so the member keeps the longest-lived money. An
    allowance is never paid out as cash: this is the only way spent allowance comes back.
    """
    if order.user_id is None:
        return Decimal("0.00")
    lock_member_allowances(order.user)
    spent = spent_on_order(order)
    left = quantize(amount) if amount is not None else sum(spent.values(), Decimal("0.00"))
    refunded = Decimal("0.00")
    entries = []
    for grant in AllowanceGrant.objects.filter(pk__in=spent).order_by("-expires_at", "-pk"):
        if left <= 0:
            break
        back = min(spent[grant.pk], left)
        entries.append(
            AllowanceEntry(
                grant=grant,
                user_id=order.user_id,
                type=AllowanceEntryType.REFUND,
                amount=back,
                order=order,
                created_by=by,
                note=note,
            )
        )
        left -= back
        refunded += back
    AllowanceEntry.objects.bulk_create(entries)
    return refunded


def expire_allowances(*, now=None) -> int:
    """Write an EXPIRE entry for every positive balance of an expired grant; returns how many.

    Each member is handled under their lock, so a spend that began just before the expiry time
    and commits during this run is seen before the expiring amount is worked out.
    """
    now = now or timezone.now()
    members = (
        AllowanceEntry.objects.filter(grant__expires_at__lte=now)
        .values("user_id", "grant_id")
        .annotate(balance=Sum("amount"))
        .filter(balance__gt=0)
        .values_list("user_id", flat=True)
        .distinct()
    )
    written = 0
    for user_id in sorted(set(members)):
        with transaction.atomic():
            lock_for_transaction(LOCK_NAMESPACE, user_id)
            balances = (
                AllowanceEntry.objects.filter(user_id=user_id, grant__expires_at__lte=now)
                .values("grant_id")
                .annotate(balance=Sum("amount"))
                .filter(balance__gt=0)
            )
            entries = [
                AllowanceEntry(
                    grant_id=row["grant_id"],
                    user_id=user_id,
                    type=AllowanceEntryType.EXPIRE,
                    amount=-row["balance"],
                    note="额度到期",
                )
                for row in balances
            ]
            AllowanceEntry.objects.bulk_create(entries)
            written += len(entries)
    return written
