"""What a checkout costs: line prices for its owner, voucher discount, shipping, allowance, total.

Nothing here reads the database: callers pass the lines (checkout.fetch), the shipping listing,
the voucher and the owner's spendable allowances, so the API's loaders, the pages and
checkoutComplete all price a checkout with the same code. Amounts are Decimal yuan.

    total = subtotal − discount + shipping − allowance

`total` is what the shopper pays by card; the allowance part is paid from the welfare ledger.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from catalog.pricing import applicable_amount
from checkout.models import ShippingMethodChannelListing, Voucher
from mall.money import quantize

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class SpendableAllowance:
    """What a member can still spend of one grant, and on which products (None: any product)."""

    grant_id: int
    balance: Decimal
    expires_at: object
    product_ids: frozenset | None


@dataclass(frozen=True)
class LinePrice:
    unit_price: Decimal
    undiscounted_unit_price: Decimal
    total: Decimal
    undiscounted_total: Decimal
    allowance: Decimal = ZERO


@dataclass(frozen=True)
class CheckoutPrices:
    currency: str
    lines: dict  # line id -> LinePrice
    undiscounted_subtotal: Decimal
    subtotal: Decimal
    discount: Decimal
    shipping: Decimal
    allowance: Decimal
    total: Decimal
    allowance_by_grant: dict = field(default_factory=dict)  # grant id -> amount spent from it

    @property
    def total_before_allowance(self) -> Decimal:
        return self.subtotal - self.discount + self.shipping


def line_unit_prices(variant, *, member: bool) -> tuple[Decimal, Decimal]:
    """(unit price paid, list price) of a variant for a member or not."""
    return quantize(applicable_amount(variant, member=member)), quantize(variant.price_amount)


def voucher_discount(voucher: Voucher | None, subtotal: Decimal) -> Decimal:
    """What the voucher takes off `subtotal`; never more than the subtotal. Validity (dates, minimum
    spend, usage) is checked by checkout.vouchers when the code is added and again at completion."""
    if voucher is None or subtotal <= 0:
        return ZERO
    if voucher.discount_value_type == Voucher.DiscountValueType.PERCENTAGE:
        amount = quantize(subtotal * voucher.discount_value / Decimal(100))
    else:
        amount = quantize(voucher.discount_value)
    return min(amount, subtotal)


def shipping_price(listing: ShippingMethodChannelListing | None, goods_total: Decimal) -> Decimal:
    """A shipping method's price for goods worth `goods_total` (after voucher): free from its threshold."""
    if listing is None:
        return ZERO
    if listing.free_above_amount is not None and goods_total >= listing.free_above_amount:
        return ZERO
    return quantize(listing.price_amount)


def split_allowance(
    line_totals: dict, product_of_line: dict, allowances: list[SpendableAllowance], limit: Decimal
) -> tuple[dict, dict]:
    """Spend at most `limit` of the allowances on the lines they may pay for.

    Allowances that expire first are spent first; within one, lines are covered in their order.
    Returns (line id -> amount, grant id -> amount).
    """
    remaining_on_line = dict(line_totals)
    by_line = dict.fromkeys(line_totals, ZERO)
    by_grant = {}
    left = limit
    for allowance in sorted(allowances, key=lambda allowance: (allowance.expires_at, allowance.grant_id)):
        available = min(allowance.balance, left)
        for line_id, remaining in remaining_on_line.items():
            if available <= 0:
                break
            if allowance.product_ids is not None and product_of_line[line_id] not in allowance.product_ids:
                continue
            spent = min(remaining, available)
            if spent <= 0:
                continue
            remaining_on_line[line_id] -= spent
            by_line[line_id] += spent
            by_grant[allowance.grant_id] = by_grant.get(allowance.grant_id, ZERO) + spent
            available -= spent
            left -= spent
    return by_line, by_grant


def calculate_checkout(
    lines,
    *,
    currency: str,
    member: bool,
    shipping_listing: ShippingMethodChannelListing | None = None,
    voucher: Voucher | None = None,
    allowances: list[SpendableAllowance] = (),
    allowance_requested: Decimal | None = None,
) -> CheckoutPrices:
    """Price a checkout's `lines` (checkout.fetch.CheckoutLineInfo) for its owner."""
    unit_prices = {info.line.pk: line_unit_prices(info.variant, member=member) for info in lines}
    quantities = {info.line.pk: info.line.quantity for info in lines}
    line_totals = {line_id: price * quantities[line_id] for line_id, (price, _) in unit_prices.items()}
    undiscounted_totals = {line_id: listed * quantities[line_id] for line_id, (_, listed) in unit_prices.items()}
    subtotal = sum(line_totals.values(), ZERO)
    discount = voucher_discount(voucher, subtotal)
    shipping = shipping_price(shipping_listing, subtotal - discount)

    allowance_by_line, allowance_by_grant = {}, {}
    if allowance_requested and allowances:
        limit = min(quantize(allowance_requested), subtotal - discount)
        allowance_by_line, allowance_by_grant = split_allowance(
            line_totals, {info.line.pk: info.variant.product_id for info in lines}, list(allowances), limit
        )
    allowance = sum(allowance_by_line.values(), ZERO)

    line_prices = {
        line_id: LinePrice(
            unit_price=unit_prices[line_id][0],
            undiscounted_unit_price=unit_prices[line_id][1],
            total=line_totals[line_id],
            undiscounted_total=undiscounted_totals[line_id],
            allowance=allowance_by_line.get(line_id, ZERO),
        )
        for line_id in unit_prices
    }
    return CheckoutPrices(
        currency=currency,
        lines=line_prices,
        undiscounted_subtotal=sum(undiscounted_totals.values(), ZERO),
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        allowance=allowance,
        total=subtotal - discount + shipping - allowance,
        allowance_by_grant=allowance_by_grant,
    )
