"""Bulk order prices: what each line costs and what the whole order comes to.

- A variant line costs the variant's list price (售价), less the best volume tier (批量价) reached by
  the variant's total quantity over the order's direct variant lines. Member prices never apply: the
  buyer is a branch union, not a verified member, and DOMAIN.md gives branches no member price.
  Units of a variant inside gift packs do not count towards its tiers: a pack is priced as a whole.
- A gift pack line costs the pack's own price.
- Unit prices are quantized to the cent (half up) once; a line's total is unit × quantity and the
  order's total is the sum of line totals, so totals never drift from the figures shown per line.

Costs two queries at any size (lines with their items, the variants' tiers) — or one, when the
caller passes lines already loaded.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bulk_orders.models import BulkOrder, BulkOrderLine, VolumePriceTier

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def quantize(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LinePrice:
    undiscounted_unit_price: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    total: Decimal
    undiscounted_total: Decimal


@dataclass
class BulkPrices:
    lines: dict[int, LinePrice] = field(default_factory=dict)  # by BulkOrderLine pk
    total: Decimal = Decimal("0.00")
    undiscounted_total: Decimal = Decimal("0.00")
    # variant pk -> (total quantity of direct lines, discount percent applied)
    tiers: dict[int, tuple[int, Decimal]] = field(default_factory=dict)


def priced_lines_queryset(bulk_order: BulkOrder):
    return BulkOrderLine.objects.filter(bulk_order=bulk_order).select_related(
        "variant__product__product_type", "gift_pack", "recipient"
    )


def best_discounts(quantities: dict[int, int]) -> dict[int, Decimal]:
    """The discount percent each variant's quantity reaches (0 when no tier): one query."""
    found = defaultdict(lambda: Decimal("0"))
    if not quantities:
        return found
    tiers = VolumePriceTier.objects.filter(variant_id__in=list(quantities)).order_by("variant_id", "min_quantity")
    for tier in tiers:
        if quantities[tier.variant_id] >= tier.min_quantity and tier.discount_percent > found[tier.variant_id]:
            found[tier.variant_id] = tier.discount_percent
    return found


def discounted(price: Decimal, percent: Decimal) -> Decimal:
    return quantize(price * (HUNDRED - percent) / HUNDRED)


def price_lines(lines) -> BulkPrices:
    """Prices of `lines` (BulkOrderLine rows of one order, with variant and gift_pack loaded)."""
    lines = list(lines)
    quantities = defaultdict(int)
    for line in lines:
        if line.variant_id:
            quantities[line.variant_id] += line.quantity
    discounts = best_discounts(quantities)
    prices = BulkPrices()
    for variant_id, quantity in quantities.items():
        prices.tiers[variant_id] = (quantity, discounts[variant_id])
    for line in lines:
        if line.variant_id:
            list_price = quantize(line.variant.price_amount)
            percent = discounts[line.variant_id]
            unit = discounted(list_price, percent)
        else:
            list_price = unit = quantize(line.gift_pack.price_amount)
            percent = Decimal("0")
        price = LinePrice(
            undiscounted_unit_price=list_price,
            unit_price=unit,
            discount_percent=percent,
            total=unit * line.quantity,
            undiscounted_total=list_price * line.quantity,
        )
        prices.lines[line.pk] = price
        prices.total += price.total
        prices.undiscounted_total += price.undiscounted_total
    prices.total = quantize(prices.total)
    prices.undiscounted_total = quantize(prices.undiscounted_total)
    return prices


def price_bulk_order(bulk_order: BulkOrder) -> tuple[list[BulkOrderLine], BulkPrices]:
    lines = list(priced_lines_queryset(bulk_order))
    return lines, price_lines(lines)


def refresh_total(bulk_order: BulkOrder) -> Decimal:
    """Recompute and save `bulk_order.total_amount` from its lines."""
    _, prices = price_bulk_order(bulk_order)
    if bulk_order.total_amount != prices.total:
        bulk_order.total_amount = prices.total
        BulkOrder.objects.filter(pk=bulk_order.pk).update(total_amount=prices.total)
    return prices.total
