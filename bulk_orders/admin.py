"""Admin of bulk orders; each part of the app registers its models in its own module."""

from bulk_orders import admin_payments  # noqa: F401 (registers bank transfers and invoice requests)
