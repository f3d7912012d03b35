"""Deleting checkouts nobody came back to, as Saleor does after a while."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from checkout.models import Checkout
from payments.models import TransactionItem


def delete_stale_checkouts(*, now=None) -> int:
    """Delete checkouts untouched for CHECKOUT_TTL_DAYS; returns how many.

    A checkout holding money (a transaction that charged or authorised something) is kept: it
    must be completed or refunded by a person, not silently dropped with the customer's money.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.CHECKOUT_TTL_DAYS)
    holding_money = TransactionItem.objects.filter(checkout=OuterRef("pk")).filter(
        Q(amount_charged__gt=0) | Q(amount_authorized__gt=0) | Q(amount_charge_pending__gt=0)
    )
    stale = Checkout.objects.filter(last_change__lt=cutoff).exclude(Exists(holding_money))
    deleted, by_model = stale.delete()
    return by_model.get(Checkout._meta.label, 0)
