"""The operators' back office for relief sourcing: suppliers and certification, the ledger, targets and
the reconciliation's findings."""

from relief_sourcing.admin import ledger, suppliers

__all__ = ["ledger", "suppliers"]
