"""Functions that change bulk orders. Each module adds its names here."""

from bulk_orders.services.delivery import create_shipment
from bulk_orders.services.errors import BulkOrderError
from bulk_orders.services.placement import place
from bulk_orders.services.recipients import (
    import_recipients,
    may_edit_bulk_order,
    run_recipient_import,
    start_recipient_import,
)
from bulk_orders.services.workflow import (
    add_lines,
    approve,
    cancel,
    check_approver,
    check_editor,
    create_bulk_order,
    delete_lines,
    reject,
    submit,
    update_bulk_order,
)

__all__ = [
    "BulkOrderError",
    "add_lines",
    "approve",
    "cancel",
    "check_approver",
    "check_editor",
    "create_shipment",
    "create_bulk_order",
    "delete_lines",
    "import_recipients",
    "may_edit_bulk_order",
    "place",
    "reject",
    "run_recipient_import",
    "start_recipient_import",
    "submit",
    "update_bulk_order",
]
