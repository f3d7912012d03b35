"""Services of bulk orders: every change to a bulk order goes through one of these modules."""

from bulk_orders.services.recipients import (
    import_recipients,
    may_edit_bulk_order,
    run_recipient_import,
    start_recipient_import,
)

__all__ = ["import_recipients", "may_edit_bulk_order", "run_recipient_import", "start_recipient_import"]
