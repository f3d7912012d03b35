"""Writes to the allowance ledger. Every write for one member takes that member's advisory lock, so
two checkouts completing at the same moment cannot both spend the last of a balance."""

import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from allowances.errors import InsufficientAllowance, NotVerifiedMembers, YearlyLimitExceeded
from allowances.models import AllowanceEntry, AllowanceEntryType, AllowanceGrant
from allowances.selectors import relief_collection_id, spendable_allowances, spent_on_order
from mall.errors import DomainError
from mall.locks import lock_for_transaction, lock_many_for_transaction
from mall.money import quantize
from mall.permissions import PermissionEnum, require_permissions
from members.selectors import is_verified_member, verified_members_of

LOCK_NAMESPACE = "allowances.member"


ISSUE_BATCH_SIZE = 1000  # rows per INSERT: 8 parameters each, well below PostgreSQL's 65,535


def lock_member_allowances(user_id: int) -> None:
    lock_for_transaction(LOCK_NAMESPACE, user_id)


# --- Issuing ----------------------------------------------------------------------------------
@transaction.atomic
def issue_allowance(
    *,
    reason: str,
    amount,
    expires_at: datetime,
    members=(),
    issued_by,
    collection=None,
    branch=None,
    all_branch_members: bool = False,
    idempotency_key: str = "",
    now=None,
) -> AllowanceGrant:
    """Give each of `members` (users or their ids) `amount` until `expires_at`, for `reason`.

    Only MANAGE_ALLOWANCES may issue; only real-name verified members receive; the amount is at
    most settings.ALLOWANCE_MAX_PER_GRANT and keeps every member within the yearly caps. With
    `all_branch_members`, the members are every verified member of `branch` at this moment.
    Each member gets one ISSUE entry; the queries do not grow with the number of members.
    The same `idempotency_key` from the same issuer returns the grant made the first time.
    """
    require_permissions(issued_by, PermissionEnum.MANAGE_ALLOWANCES)
    now = now or timezone.now()
    reason = _clean_reason(reason)
    amount = _clean_amount(amount)
    expires_at = _clean_expiry(expires_at, now)
    idempotency_key = _clean_idempotency_key(idempotency_key)
    users = _receiving_members(members, branch=branch, all_branch_members=all_branch_members)
    # The members' ledgers stay still until this grant is written: two grants issued at once
    # cannot both fit under a member's yearly cap, and a resubmission waits for the first one.
    lock_many_for_transaction(LOCK_NAMESPACE, [user.pk for user in users])
    if idempotency_key:
        existing = AllowanceGrant.objects.filter(issued_by=issued_by, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_submission(existing, reason, amount, expires_at, collection, branch, users)
    _check_yearly_caps(users, amount, collection, now)

    grant = AllowanceGrant(
        reason=reason,
        amount=amount,
        expires_at=expires_at,
        collection=collection,
        branch=branch,
        issued_by=issued_by,
        idempotency_key=idempotency_key,
    )
    grant.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError:
        # The same key for other members, saved by a request that did not share their locks.
        existing = AllowanceGrant.objects.get(issued_by=issued_by, idempotency_key=idempotency_key)
        return _same_submission(existing, reason, amount, expires_at, collection, branch, users)
    AllowanceEntry.objects.bulk_create(
        [
            AllowanceEntry(
                grant=grant, user=user, type=AllowanceEntryType.ISSUE, amount=amount, created_by=issued_by, note=reason
            )
            for user in users
        ],
        batch_size=ISSUE_BATCH_SIZE,
    )
    return grant


def _clean_reason(reason) -> str:
    reason = unicodedata.normalize("NFC", "".join(ch for ch in str(reason or "") if ch.isprintable())).strip()
    if not reason:
        raise DomainError("请填写发放事由，例如“中秋慰问”。", field="reason", code="REQUIRED")
    max_length = AllowanceGrant._meta.get_field("reason").max_length
    if len(reason) > max_length:
        raise DomainError(f"发放事由最多 {max_length} 个字。", field="reason", code="INVALID")
    return reason


def _clean_amount(amount) -> Decimal:
    if amount is None or amount == "":
        raise DomainError("请填写每人额度。", field="amount", code="REQUIRED")
    try:
        value = Decimal(str(amount).strip()) if not isinstance(amount, Decimal) else amount
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise DomainError("每人额度必须是金额，例如 300 或 300.50。", field="amount", code="INVALID")
    if value <= 0:
        raise DomainError("每人额度必须大于 0。", field="amount", code="INVALID")
    if value > settings.ALLOWANCE_MAX_PER_GRANT:
        raise DomainError(
            f"每人额度不能超过 {settings.ALLOWANCE_MAX_PER_GRANT} 元。", field="amount", code="AMOUNT_ABOVE_LIMIT"
        )
    if value.as_tuple().exponent < -2 and value != quantize(value):
        raise DomainError("每人额度最多保留两位小数（精确到分）。", field="amount", code="INVALID")
    return quantize(value)


def _clean_expiry(expires_at, now) -> datetime:
    if not isinstance(expires_at, datetime):
        raise DomainError("请填写有效期。", field="expires_at", code="REQUIRED")
    if timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)
    if expires_at <= now:
        raise DomainError("有效期必须晚于现在。", field="expires_at", code="INVALID")
    return expires_at


def _clean_idempotency_key(key) -> str:
    key = str(key or "").strip()
    max_length = AllowanceGrant._meta.get_field("idempotency_key").max_length
    if len(key) > max_length or not key.isprintable():
        raise DomainError(f"幂等键最多 {max_length} 个可见字符。", field="idempotency_key", code="INVALID")
    return key


def _receiving_members(members, *, branch, all_branch_members: bool) -> list:
    """The users to receive, each once, with their member profiles, in one query; refuses non-members."""
    if all_branch_members:
        if branch is None:
            raise DomainError("发给全体会员时请选择发放单位。", field="branch", code="REQUIRED")
        if members:
            raise DomainError("选择了全体会员时不能再逐个指定会员。", field="members", code="INVALID")
        users = list(verified_members_of(branch))
        if not users:
            raise DomainError(f"{branch.name}暂无已实名认证的会员。", field="branch", code="NOT_VERIFIED_MEMBER")
        return users
    ids = sorted({getattr(member, "pk", member) for member in members or ()})
    if not ids:
        raise DomainError("请选择发放对象。", field="members", code="REQUIRED")
    users = list(get_user_model().objects.filter(pk__in=ids).select_related("member_profile").order_by("pk"))
    if len(users) != len(ids):
        raise DomainError("所选的部分用户不存在。", field="members", code="NOT_FOUND")
    refused = [user for user in users if not is_verified_member(user)]
    if refused:
        raise NotVerifiedMembers(refused)
    return users


def _check_yearly_caps(users, amount: Decimal, collection, now) -> None:
    """Refuse the grant if it takes any member past this calendar year's caps (DOMAIN.md, Guangdong):
    ALLOWANCE_MAX_PER_MEMBER_YEAR over all grants, plus ALLOWANCE_RELIEF_EXTRA_PER_MEMBER_YEAR that only
    relief-only grants may use. A relief-only grant uses the extra first and the general cap after it."""
    general, extra = settings.ALLOWANCE_MAX_PER_MEMBER_YEAR, settings.ALLOWANCE_RELIEF_EXTRA_PER_MEMBER_YEAR
    relief_id = relief_collection_id()
    is_relief = collection is not None and collection.pk == relief_id
    local = timezone.localtime(now)
    year_start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    year_end = year_start.replace(year=year_start.year + 1)
    issued = {
        row["user_id"]: row
        for row in AllowanceEntry.objects.filter(
            type=AllowanceEntryType.ISSUE,
            user_id__in=[user.pk for user in users],
            created_at__gte=year_start,
            created_at__lt=year_end,
        )
        .values("user_id")
        # pk=None matches nothing (`collection_id = NULL` would match the unrestricted grants).
        .annotate(total=Sum("amount"), relief=Sum("amount", filter=Q(grant__collection_id=relief_id or 0)))
        .order_by()
    }
    over = []
    for user in users:
        row = issued.get(user.pk, {})
        total = (row.get("total") or Decimal("0")) + amount
        general_part = total - (row.get("relief") or Decimal("0")) - (amount if is_relief else Decimal("0"))
        if general_part > general or total > general + extra:
            over.append(user)
    if over:
        limit = f"每人每年 {general} 元的福利额度上限" + (f"（帮扶专区专用额度可另加 {extra} 元）" if extra else "")
        raise YearlyLimitExceeded(over, limit)


def _same_submission(grant, reason, amount, expires_at, collection, branch, users) -> AllowanceGrant:
    """The grant an earlier submission with the same key made, if it was for the same thing."""
    receivers = set(
        AllowanceEntry.objects.filter(grant=grant, type=AllowanceEntryType.ISSUE).values_list("user_id", flat=True)
    )
    same = (grant.reason, grant.amount, grant.expires_at, grant.collection_id, grant.branch_id) == (
        reason,
        amount,
        expires_at,
        getattr(collection, "pk", None),
        getattr(branch, "pk", None),
    ) and receivers == {user.pk for user in users}
    if not same:
        raise DomainError("这个幂等键已用于另一笔不同的发放。", field="idempotency_key", code="UNIQUE")
    return grant


# --- Spending, refunds, expiry ------------------------------------------------------------------


@transaction.atomic
def spend_for_order(order, by_grant: dict[int, Decimal], *, now=None) -> list[AllowanceEntry]:
    """Spend `by_grant` (grant id -> amount, as checkout.calculations split it) on `order`.

    The balances are read again under the member's lock: if another order spent them in the
    meantime, nothing is written and InsufficientAllowance is raised.
    """
    by_grant = {grant_id: quantize(amount) for grant_id, amount in by_grant.items() if amount > 0}
    if not by_grant:
        return []
    if order.user_id is None:
        raise InsufficientAllowance()  # a guest holds no allowance
    lock_member_allowances(order.user_id)
    # An order spends once, when it is placed: a retried completion must not spend twice.
    already = list(AllowanceEntry.objects.filter(order=order, type=AllowanceEntryType.SPEND).order_by("grant_id"))
    if already:
        return already
    balances = {allowance.grant_id: allowance.balance for allowance in spendable_allowances(order.user, now=now)}
    if any(balances.get(grant_id, Decimal("0")) < amount for grant_id, amount in by_grant.items()):
        raise InsufficientAllowance()
    entries = [
        AllowanceEntry(
            grant_id=grant_id, user_id=order.user_id, type=AllowanceEntryType.SPEND, amount=-amount, order=order
        )
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
    lock_member_allowances(order.user_id)
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
