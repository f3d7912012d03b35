"""Services of relief sourcing: every change to partner regions, suppliers, certifications and batches.

Each checks MANAGE_RELIEF itself, so the API, the admin and the demo seeding obey the same rules.
"""

from relief_sourcing.services.batches import create_batch
from relief_sourcing.services.certifications import (
    add_certified_products,
    create_certification,
    remove_certified_products,
    revoke_certification,
    update_certification,
)
from relief_sourcing.services.regions import create_partner_region, update_partner_region
from relief_sourcing.services.suppliers import (
    add_evidence,
    approve_supplier,
    clean_credit_code,
    register_supplier,
    suspend_supplier,
    update_supplier,
)

__all__ = [
    "add_certified_products",
    "add_evidence",
    "approve_supplier",
    "clean_credit_code",
    "create_batch",
    "create_certification",
    "create_partner_region",
    "register_supplier",
    "remove_certified_products",
    "revoke_certification",
    "suspend_supplier",
    "update_certification",
    "update_partner_region",
    "update_supplier",
]
