"""Bulk order prices: what each line costs and what the whole order comes to.

- A variant line costs the variant's list price (售价), less the best volume tier (批量价) reached by
  the variant's total quantity over the order's direct variant lines. Member prices never apply: the
  buyer is a branch union, not a verified member, and DOMAIN.md gives branches no member price.
  Units of a variant inside gift packs do not count towards its tiers: a pack is priced as a whole.
- A gift pack line costs the pack's own price.
- Unit prices are quantized to the cent (half up) once; a line's total is unit × quantity and the
  order's total is the sum of line totals, so totals never drift from the figures shown per line.
- Approval freezes each line's prices (`freeze_prices`): from then on the frozen figures are the
  line's prices, whatever list prices and tiers do later, so what was approved is what is placed.

Costs two queries at any size (lines with their items, the variants' tiers) — or one, when the
caller passes lines already loaded, and none for the tiers once every line is frozen. Many orders
are priced together in the same two queries (`price_bulk_orders`, `order_totals`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, F, Sum, Value, When
from django.db.models.functions import Coalesce

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


def load_tiers(variant_ids) -> dict[int, list[tuple[int, Decimal]]]:
    """Each variant's tiers as (min_quantity, discount_percent): one query (none for no variants)."""
    tiers = defaultdict(list)
    variant_ids = set(variant_ids)
    if variant_ids:
        rows = VolumePriceTier.objects.filter(variant_id__in=variant_ids).order_by("variant_id", "min_quantity")
        for variant_id, min_quantity, percent in rows.values_list("variant_id", "min_quantity", "discount_percent"):
            tiers[variant_id].append((min_quantity, percent))
    return tiers


def best_discount(tiers: list[tuple[int, Decimal]], quantity: int) -> Decimal:
    return max((percent for min_quantity, percent in tiers if quantity >= min_quantity), default=Decimal("0"))


def best_discounts(quantities: dict[int, int], tiers=None) -> dict[int, Decimal]:
    """The discount percent each variant's quantity reaches (0 when no tier): one query, or none with `tiers`."""
    found = defaultdict(lambda: Decimal("0"))
    if not quantities:
        return found
    tiers = load_tiers(quantities) if tiers is None else tiers
    for variant_id, quantity in quantities.items():
        found[variant_id] = best_discount(tiers.get(variant_id, []), quantity)
    return found


def discounted(price: Decimal, percent: Decimal) -> Decimal:
    return quantize(price * (HUNDRED - percent) / HUNDRED)


def is_frozen(line: BulkOrderLine) -> bool:
    return line.unit_price_amount is not None


def _live_quantities(lines) -> dict[int, int]:
    """Units of each variant over the direct lines whose prices are not frozen yet."""
    quantities = defaultdict(int)
    for line in lines:
        if line.variant_id and not is_frozen(line):
            quantities[line.variant_id] += line.quantity
    return quantities


def price_lines(lines, tiers=None) -> BulkPrices:
    """Prices of `lines` (BulkOrderLine rows of one order, with variant and gift_pack loaded). `tiers`
    (from load_tiers) saves the tier query when the caller read them already."""
    lines = list(lines)
    quantities = _live_quantities(lines)
    discounts = best_discounts(quantities, tiers)
    prices = BulkPrices()
    for variant_id, quantity in quantities.items():
        prices.tiers[variant_id] = (quantity, discounts[variant_id])
    for line in lines:
        if is_frozen(line):
            list_price, unit = line.undiscounted_unit_price_amount, line.unit_price_amount
            percent = line.discount_percent or Decimal("0")
        elif line.variant_id:
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


def price_bulk_orders(bulk_order_ids) -> dict:
    """(lines, prices) of each bulk order in `bulk_order_ids`, by pk: two queries for all of them."""
    bulk_order_ids = list(bulk_order_ids)
    lines_of = {pk: [] for pk in bulk_order_ids}
    lines = BulkOrderLine.objects.filter(bulk_order_id__in=bulk_order_ids).select_related(
        "variant__product__product_type", "gift_pack", "recipient"
    )
    for line in lines.order_by("bulk_order_id", "row_number", "pk"):
        lines_of[line.bulk_order_id].append(line)
    tiers = load_tiers(
        line.variant_id for rows in lines_of.values() for line in rows if line.variant_id and not is_frozen(line)
    )
    return {pk: (rows, price_lines(rows, tiers)) for pk, rows in lines_of.items()}


def order_totals(bulk_order_ids) -> dict:
    """(total, undiscounted total) of each bulk order in `bulk_order_ids`, by pk, as price_lines would
    give them: lines summed in SQL per order and item (the rows read do not grow with recipients), then
    one query for the tiers. Every line of an item has the same unit price, so unit × summed quantity
    equals the sum of the line totals."""
    groups = (
        BulkOrderLine.objects.filter(bulk_order_id__in=list(bulk_order_ids))
        .values("bulk_order_id", "variant_id", "gift_pack_id", "unit_price_amount", "undiscounted_unit_price_amount")
        .annotate(
            units=Sum("quantity"),
            list_price=Coalesce(F("variant__price_amount"), F("gift_pack__price_amount")),
        )
        .order_by()
    )
    groups = list(groups)
    live = [group for group in groups if group["unit_price_amount"] is None and group["variant_id"]]
    quantities = defaultdict(int)
    for group in live:
        quantities[(group["bulk_order_id"], group["variant_id"])] += group["units"]
    tiers = load_tiers(variant_id for _, variant_id in quantities)
    totals = {pk: [Decimal("0"), Decimal("0")] for pk in bulk_order_ids}
    for group in groups:
        if group["unit_price_amount"] is not None:
            list_price, unit = group["undiscounted_unit_price_amount"], group["unit_price_amount"]
        elif group["variant_id"]:
            list_price = quantize(group["list_price"])
            key = (group["bulk_order_id"], group["variant_id"])
            unit = discounted(list_price, best_discount(tiers.get(group["variant_id"], []), quantities[key]))
        else:
            list_price = unit = quantize(group["list_price"])
        entry = totals[group["bulk_order_id"]]
        entry[0] += unit * group["units"]
        entry[1] += list_price * group["units"]
    return {pk: (quantize(total), quantize(undiscounted)) for pk, (total, undiscounted) in totals.items()}


def freeze_prices(bulk_order: BulkOrder) -> tuple[list[BulkOrderLine], BulkPrices]:
    """Write each line's current prices onto it (approval): one UPDATE for all lines, whatever their
    number, as every line of one variant or pack has the same prices. Returns the lines and prices."""
    lines, prices = price_bulk_order(bulk_order)
    by_item = {}
    for line in lines:
        by_item[(line.variant_id, line.gift_pack_id)] = prices.lines[line.pk]
    if by_item:

        def case(attribute, field_name):
            whens = [
                When(variant_id=variant_id, then=Value(getattr(price, attribute)))
                if variant_id
                else When(gift_pack_id=pack_id, then=Value(getattr(price, attribute)))
                for (variant_id, pack_id), price in by_item.items()
            ]
            return Case(*whens, default=None, output_field=BulkOrderLine._meta.get_field(field_name))

        BulkOrderLine.objects.filter(bulk_order=bulk_order).update(
            unit_price_amount=case("unit_price", "unit_price_amount"),
            undiscounted_unit_price_amount=case("undiscounted_unit_price", "undiscounted_unit_price_amount"),
            discount_percent=case("discount_percent", "discount_percent"),
        )
        for line in lines:
            price = prices.lines[line.pk]
            line.unit_price_amount = price.unit_price
            line.undiscounted_unit_price_amount = price.undiscounted_unit_price
            line.discount_percent = price.discount_percent
    return lines, prices


def refresh_total(bulk_order: BulkOrder) -> Decimal:
    """Recompute and save `bulk_order.total_amount` from its lines."""
    _, prices = price_bulk_order(bulk_order)
    if bulk_order.total_amount != prices.total:
        bulk_order.total_amount = prices.total
        BulkOrder.objects.filter(pk=bulk_order.pk).update(total_amount=prices.total)
    return prices.total
