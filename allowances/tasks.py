"""Celery tasks of the allowance ledger: thin, idempotent wrappers around allowances.services."""

from celery import shared_task

from allowances import services


@shared_task(name="allowances.expire_allowances")
def expire_allowances() -> int:
    """Write off what is left of expired grants (beat: settings.CELERY_BEAT_SCHEDULE). Running it twice,
    even at once, writes each remainder off once: every member is handled under their ledger lock."""
    return services.expire_allowances()
