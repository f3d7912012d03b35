"""Relief sourcing (消费帮扶): partner regions, admitted suppliers, certified products and their batches,
the append-only purchase ledger, targets and the reconciliation of the ledger with the orders."""

from relief_sourcing.models.certification import ProductBatch, ReliefCertification
from relief_sourcing.models.ledger import (
    ReconciliationMismatch,
    ReliefChannel,
    ReliefLedgerEntry,
    ReliefLedgerEvent,
    ReliefTarget,
)
from relief_sourcing.models.regions import PartnerRegion
from relief_sourcing.models.suppliers import ReliefSupplier, SupplierEvidence

__all__ = [
    "PartnerRegion",
    "ProductBatch",
    "ReconciliationMismatch",
    "ReliefCertification",
    "ReliefChannel",
    "ReliefLedgerEntry",
    "ReliefLedgerEvent",
    "ReliefSupplier",
    "ReliefTarget",
    "SupplierEvidence",
]
