"""Stock held for orders: allocated when an order is placed, released when it is canceled or expires,
taken out of the warehouse when it is fulfilled.

Every function here locks the stock rows it changes with SELECT ... FOR UPDATE in primary-key order,
so two orders touching the same rows queue instead of deadlocking, and the second one sees what the
first one took. The database's CHECK (quantity_allocated <= quantity) is the last line of defence.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F

from catalog.models import Stock
from checkout.errors import InsufficientStock, variant_ids
from orders.models import Allocation, Order, OrderLine


@dataclass(frozen=True)
class StockRequest:
    """`quantity` units of `variant_id` wanted for order line `key` (its position before it is saved)."""

    key: object
    variant_id: int
    quantity: int


def lock_channel_stocks(variant_ids, channel) -> dict[int, list[Stock]]:
    """The variants' stock rows in the channel's warehouses, locked, by variant; each variant's rows in
    the order units are taken from them (oldest warehouse first)."""
    rows = (
        Stock.objects.select_for_update(of=("self",))
        .filter(product_variant_id__in=set(variant_ids), warehouse__channels=channel)
        .order_by("pk")
    )
    by_variant = defaultdict(list)
    for stock in rows:
        by_variant[stock.product_variant_id].append(stock)
    for stocks in by_variant.values():
        stocks.sort(key=lambda stock: (stock.warehouse_id, stock.pk))
    return by_variant


def allocate(requests: list[StockRequest], channel) -> dict[object, list[tuple[Stock, int]]]:
    """Hold stock for every request, or for none: raises InsufficientStock naming every variant short.

    Returns request key -> [(stock row, units held)], for the Allocation rows of the saved lines.
    """
    stocks = lock_channel_stocks([request.variant_id for request in requests], channel)
    taken = defaultdict(int)  # stock pk -> units taken by these requests
    plan, short = {}, []
    for request in requests:
        left, parts = request.quantity, []
        for stock in stocks.get(request.variant_id, []):
            free = stock.quantity - stock.quantity_allocated - taken[stock.pk]
            units = min(free, left)
            if units <= 0:
                continue
            parts.append((stock, units))
            taken[stock.pk] += units
            left -= units
            if left == 0:
                break
        if left:
            short.append(request.variant_id)
        plan[request.key] = parts
    if short:
        raise InsufficientStock(
            "库存不足，请减少数量或移除售罄的商品。", field="lines", variants=variant_ids(sorted(set(short)))
        )
    changed = []
    for variant_stocks in stocks.values():
        for stock in variant_stocks:
            if taken[stock.pk]:
                stock.quantity_allocated += taken[stock.pk]
                changed.append(stock)
    Stock.objects.bulk_update(changed, ["quantity_allocated"])
    return plan


def save_allocations(plan: dict, lines_by_key: dict[object, OrderLine]) -> list[Allocation]:
    allocations = [
        Allocation(order_line=lines_by_key[key], stock=stock, quantity_allocated=units)
        for key, parts in plan.items()
        for stock, units in parts
    ]
    return Allocation.objects.bulk_create(allocations)


def release_allocations(order: Order) -> list[dict]:
    """Give back every unit the order still holds and delete its allocations.

    Returns what was released per line ({"line_pk", "quantity"}), for the ALLOCATION_RELEASED event.
    """
    allocations = list(
        Allocation.objects.filter(order_line__order=order, quantity_allocated__gt=0).order_by("stock_id", "pk")
    )
    stock_ids = sorted({allocation.stock_id for allocation in allocations})
    # Lock before changing, in pk order like every other writer of these rows.
    list(Stock.objects.select_for_update().filter(pk__in=stock_ids).order_by("pk").values_list("pk", flat=True))
    released_per_stock = defaultdict(int)
    released_per_line = defaultdict(int)
    for allocation in allocations:
        released_per_stock[allocation.stock_id] += allocation.quantity_allocated
        released_per_line[allocation.order_line_id] += allocation.quantity_allocated
    for stock_id, units in released_per_stock.items():
        Stock.objects.filter(pk=stock_id).update(quantity_allocated=F("quantity_allocated") - units)
    Allocation.objects.filter(order_line__order=order).delete()
    return [{"line_pk": str(line_id), "quantity": units} for line_id, units in released_per_line.items()]
