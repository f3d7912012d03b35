"""Reads of the allowance ledger: what a member can spend, and on what."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from allowances.models import AllowanceEntry
from catalog.models import CollectionProduct
from checkout.calculations import SpendableAllowance


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
    """Everything the member can still spend, over all unexpired grants."""
    return sum((allowance.balance for allowance in spendable_allowances(user, now=now)), Decimal("0.00"))


def allowance_entries(user) -> QuerySet[AllowanceEntry]:
    """The member's ledger, newest first, with grant and order joined."""
    return AllowanceEntry.objects.filter(user=user).select_related("grant", "order").order_by("-created_at", "-pk")


def spent_on_order(order) -> dict[int, Decimal]:
    """Grant id -> allowance spent on `order` and not yet given back."""
    rows = (
        AllowanceEntry.objects.filter(order=order, type__in=["SPEND", "REFUND"])
        .values("grant_id")
        .annotate(net=Sum("amount"))
    )
    return {row["grant_id"]: -row["net"] for row in rows if row["net"] < 0}
