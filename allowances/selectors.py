"""Reads of the allowance ledger: what a member can spend, and on what."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from allowances.models import AllowanceEntry, AllowanceEntryType, AllowanceGrant
from catalog.models import Collection, CollectionProduct
from checkout.calculations import SpendableAllowance
from mall.permissions import PermissionEnum, has_permissions, require_permissions

ZERO = Decimal("0.00")


def spendable_allowances(user, *, now=None) -> list[SpendableAllowance]:
    """The member's unexpired grants with a positive balance, each with the products it may pay
    for (None: any). Two queries at most; none for anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    rows = list(
        AllowanceEntry.objects.filter(user=user, grant__expires_at__gt=now)
        .values("grant_id", "grant__expires_at", "grant__collection_id")
        .annotate(balance=Sum("amount"))
        .filter(balance__gt=0)
        .order_by("grant__expires_at", "grant_id")
    )
    collection_ids = {row["grant__collection_id"] for row in rows if row["grant__collection_id"]}
    products_by_collection = defaultdict(set)
    if collection_ids:
        pairs = CollectionProduct.objects.filter(collection_id__in=collection_ids).values_list(
            "collection_id", "product_id"
        )
        for collection_id, product_id in pairs:
            products_by_collection[collection_id].add(product_id)
    return [
        SpendableAllowance(
            grant_id=row["grant_id"],
            balance=row["balance"],
            expires_at=row["grant__expires_at"],
            product_ids=(
                frozenset(products_by_collection[row["grant__collection_id"]]) if row["grant__collection_id"] else None
            ),
        )
        for row in rows
    ]


def allowance_balance(user, *, now=None) -> Decimal:
    """Everything the member can still spend, over all unexpired grants; one query.

    The plain sum of their entries: each grant's own balance never goes below zero (spends are
    checked grant by grant under the member's lock), so no grant's deficit can hide in the sum.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return ZERO
    now = now or timezone.now()
    total = AllowanceEntry.objects.filter(user=user, grant__expires_at__gt=now).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


@dataclass(frozen=True)
class MemberGrant:
    """One grant as a member holds it: what is left of it (nothing once expired) and when it ends."""

    grant: AllowanceGrant
    balance: Decimal
    expires_at: datetime
    is_expired: bool

    @property
    def restriction(self) -> str:
        return self.grant.restriction


def member_grants(user, *, now=None) -> list[MemberGrant]:
    """Every grant the member received, those still usable first (soonest to expire first), then the
    expired ones, newest first. One query, collection and branch joined."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    balance = (
        AllowanceEntry.objects.filter(grant=OuterRef("pk"), user=user)
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    grants = (
        AllowanceGrant.objects.filter(entries__user=user, entries__type=AllowanceEntryType.ISSUE)
        .annotate(held=Coalesce(Subquery(balance), ZERO))
        .select_related("collection", "branch")
        .order_by("expires_at", "pk")
    )
    held = [
        MemberGrant(
            grant=grant,
            balance=grant.held if grant.expires_at > now else ZERO,
            expires_at=grant.expires_at,
            is_expired=grant.expires_at <= now,
        )
        for grant in grants
    ]
    usable = [item for item in held if not item.is_expired]
    expired = [item for item in held if item.is_expired]
    return usable + expired[::-1]


def relief_collection_id() -> int | None:
    """The collection whose grants count to the relief-only yearly extra (settings.ALLOWANCE_RELIEF_COLLECTION_SLUG)."""
    return (
        Collection.objects.filter(slug=settings.ALLOWANCE_RELIEF_COLLECTION_SLUG).values_list("pk", flat=True).first()
    )


def allowance_grants(operator) -> QuerySet[AllowanceGrant]:
    """Every grant, for an operator with MANAGE_ALLOWANCES, newest first."""
    require_permissions(operator, PermissionEnum.MANAGE_ALLOWANCES)
    return AllowanceGrant.objects.select_related("collection", "branch", "issued_by").order_by("-created_at", "-pk")


def members_counts(grant_ids) -> dict[int, int]:
    """Grant id -> how many members received it, in one query."""
    rows = (
        AllowanceEntry.objects.filter(grant_id__in=list(grant_ids), type=AllowanceEntryType.ISSUE)
        .values("grant_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["grant_id"]: row["count"] for row in rows}


def allowance_entries(user) -> QuerySet[AllowanceEntry]:
    """The member's ledger, newest first, with the grant (its collection and branch) and the order joined."""
    return (
        AllowanceEntry.objects.filter(user=user)
        .select_related("grant__collection", "grant__branch", "order")
        .order_by("-created_at", "-pk")
    )


def allowances_visible_to(requestor, user):
    """`user` if `requestor` may read their allowances (themself, or MANAGE_ALLOWANCES), else None."""
    if requestor is None or not getattr(requestor, "is_authenticated", False):
        return None
    if requestor.pk == user.pk or has_permissions(requestor, [PermissionEnum.MANAGE_ALLOWANCES]):
        return user
    return None


def spent_on_order(order) -> dict[int, Decimal]:
    """Grant id -> allowance spent on `order` and not yet given back."""
    rows = (
        AllowanceEntry.objects.filter(order=order, type__in=["SPEND", "REFUND"])
        .values("grant_id")
        .annotate(net=Sum("amount"))
    )
    return {row["grant_id"]: -row["net"] for row in rows if row["net"] < 0}
