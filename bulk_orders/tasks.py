"""Celery tasks of bulk orders: thin, idempotent wrappers around bulk_orders.services."""

from celery import shared_task


@shared_task(name="bulk_orders.import_recipients")
def import_recipients(recipient_import_id: str) -> str | None:
    """Run a PENDING recipient import (an import already run, or gone, is left alone); its status."""
    from bulk_orders.models import RecipientImport
    from bulk_orders.services.recipients import run_recipient_import

    recipient_import = (
        RecipientImport.objects.filter(pk=recipient_import_id, status=RecipientImport.Status.PENDING)
        .select_related("bulk_order__channel")
        .first()
    )
    if recipient_import is None:
        return None
    return run_recipient_import(recipient_import).status
