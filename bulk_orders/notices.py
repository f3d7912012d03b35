"""Reads for the documents of approved bulk orders: the public notices (公示) and the purchase plan.

A notice is public from approval on, while the order goes ahead (approved, placed, paid, fulfilled);
drafts, orders waiting for approval, rejected and canceled ones have none. What it shows comes from
the purchase plan frozen at approval, less the people: branch, number, approval date, items with their
suppliers and prices, and the total.
"""

from decimal import Decimal

from django.db.models import QuerySet

from bulk_orders.models import BulkOrder, BulkOrderStatus

PUBLIC_STATUSES = (
    BulkOrderStatus.APPROVED,
    BulkOrderStatus.PLACED,
    BulkOrderStatus.PAID,
    BulkOrderStatus.FULFILLED,
)
NUMBER_PREFIX = "CG"


def parse_number(text: str) -> int | None:
    """A bulk order number as people write it ("CG1001" or "1001"); None when it is not one."""
    text = (text or "").strip().upper().removeprefix(NUMBER_PREFIX)
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def public_notices() -> QuerySet[BulkOrder]:
    """The notices, newest approval first: one row each, without the plan's items (deferred)."""
    return (
        BulkOrder.objects.filter(status__in=PUBLIC_STATUSES, approved_at__isnull=False, purchase_plan__isnull=False)
        .select_related("branch")
        .defer("purchase_plan", "note", "rejection_reason")
        .order_by("-approved_at", "-number")
    )


def public_notice(number_text: str) -> BulkOrder | None:
    number = parse_number(number_text)
    if number is None:
        return None
    return (
        BulkOrder.objects.filter(
            number=number, status__in=PUBLIC_STATUSES, approved_at__isnull=False, purchase_plan__isnull=False
        )
        .select_related("branch")
        .first()
    )


def notice_items(plan: dict) -> list[dict]:
    """The plan's items as the notice shows them: no one's name, only goods, suppliers and money."""
    return [
        {
            "kind": item["kind"],
            "sku": item["sku"],
            "name": item["name"],
            "supplier": item["supplier"],
            "quantity": item["quantity"],
            "unit_price": Decimal(item["unit_price"]),
            "total": Decimal(item["total"]),
        }
        for item in plan["items"]
    ]


def branch_bulk_order(code: str, number_text: str) -> BulkOrder | None:
    """The bulk order `number_text` of the branch with `code`, with its branch; None when either is wrong."""
    number = parse_number(number_text)
    if number is None:
        return None
    return BulkOrder.objects.select_related("branch").filter(branch__code=code, number=number).first()
