"""Celery tasks of relief sourcing: the nightly reconciliation of the ledger with the orders."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from relief_sourcing.reconciliation import reconcile_day


@shared_task(name="relief_sourcing.reconcile_yesterday")
def reconcile_yesterday() -> int | None:
    """Beat task: reconcile yesterday (the mall's time zone); returns the mismatch id, if any."""
    mismatch = reconcile_day(timezone.localdate() - timedelta(days=1))
    return mismatch.pk if mismatch is not None else None
