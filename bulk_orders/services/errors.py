"""What the bulk order services refuse: DomainErrors with BulkOrderError's codes."""

from mall.errors import DomainError


class BulkOrderError(DomainError):
    code = "INVALID"


def status_error(bulk_order, action: str) -> BulkOrderError:
    return BulkOrderError(
        f"采购单状态为“{bulk_order.get_status_display()}”，不能{action}。", field="id", code="INVALID_STATUS"
    )
