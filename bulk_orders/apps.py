from django.apps import AppConfig


class BulkOrdersConfig(AppConfig):
    """Bulk orders (采购单) that branch unions place for their members: festival gifts within the rules."""

    name = "bulk_orders"
    verbose_name = "工会采购"
