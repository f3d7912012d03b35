"""Celery tasks of the checkout: thin wrappers around its services."""

from celery import shared_task

from checkout.housekeeping import delete_stale_checkouts


@shared_task(name="checkout.delete_stale_checkouts")
def delete_stale_checkouts_task() -> int:
    return delete_stale_checkouts()
