"""Bulk orders (采购单): what a branch union buys for its members, from quick orders or recipient lists,
with gift packs and volume prices, approval, bank transfers, invoices and split delivery."""

from bulk_orders.models.bulk import (
    BulkOrder,
    BulkOrderAttachment,
    BulkOrderLine,
    BulkOrderStatus,
    BulkOrderTransition,
    BulkRecipient,
    RecipientImport,
)
from bulk_orders.models.offers import GiftPack, GiftPackItem, VolumePriceTier
from bulk_orders.models.payment import BankTransfer, InvoiceRequest

__all__ = [
    "BankTransfer",
    "BulkOrder",
    "BulkOrderAttachment",
    "BulkOrderLine",
    "BulkOrderStatus",
    "BulkOrderTransition",
    "BulkRecipient",
    "GiftPack",
    "GiftPackItem",
    "InvoiceRequest",
    "RecipientImport",
    "VolumePriceTier",
]
