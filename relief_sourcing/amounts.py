"""The arithmetic of relief amounts, in whole fen: what a line paid and what a refund takes back.

Pure functions over plain values, so the ledger (writing entries) and the reconciliation (recomputing
them from the orders) apply one rule; each reads its inputs its own way.

- A line's paid value is its total (unit price × quantity) less its share of the order's voucher
  discount. The allowance part stays in: it is the member's money from the union, spent on the goods.
  Shipping is not goods and never counts.
- The voucher discount is spread over all the order's lines in proportion to their totals by largest
  remainder in fen, so the shares add up to the discount exactly (no drift of a fen).
- A refund naming lines takes back the paid value of the units returned (cumulatively rounded, so
  returning every unit in several refunds takes back exactly what was paid), never more than is left
  on the line, and never more in all than the refund's goods amount. A refund of a bare amount is
  spread over the lines in proportion to what is left on each, with no units returned.
"""

from dataclasses import dataclass
from decimal import Decimal

FEN = Decimal("0.01")


def to_fen(amount: Decimal) -> int:
    return int((Decimal(amount) / FEN).to_integral_value())


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) * FEN).quantize(FEN)


def spread(total: int, weights: dict) -> dict:
    """`total` fen over the keys in proportion to `weights` (fen), by largest remainder; ties go to the
    earlier key. Keys with no weight get nothing; with no weight at all nothing is spread."""
    whole = sum(weight for weight in weights.values() if weight > 0)
    shares = dict.fromkeys(weights, 0)
    if total <= 0 or whole <= 0:
        return shares
    remainders = []
    for index, (key, weight) in enumerate(weights.items()):
        if weight <= 0:
            continue
        shares[key], remainder = divmod(total * weight, whole)
        remainders.append((-remainder, index, key))
    left = total - sum(shares.values())
    for _, _, key in sorted(remainders)[:left]:
        shares[key] += 1
    return shares


@dataclass(frozen=True)
class PaidLine:
    """A line as it was paid: its total in fen and its quantity."""

    total: int
    quantity: int


def paid_values(lines: dict, discount: Decimal) -> dict:
    """{line key: paid value in fen} for {line key: PaidLine}, the order's voucher discount spread over them."""
    totals = {key: line.total for key, line in lines.items()}
    shares = spread(min(to_fen(discount), sum(totals.values())), totals)
    return {key: totals[key] - shares[key] for key in lines}


@dataclass(frozen=True)
class Refund:
    """A refund as the ledger sees it: units returned per line ({key: quantity}) and the goods amount
    (fen) given back — the refund less any shipping it included."""

    goods: int
    units: dict


def refund_shares(lines: dict, paid: dict, refunds: list) -> list:
    """For each refund in `refunds` (in the order they happened), {line key: (fen taken back, units)}.

    `lines` is {key: PaidLine}, `paid` the paid values from paid_values(). Replaying every earlier
    refund of the order is what tells how much is left on each line for the next one.
    """
    left = dict(paid)
    returned = dict.fromkeys(lines, 0)
    results = []
    for refund in refunds:
        if refund.units:
            wanted = {}
            for key, units in refund.units.items():
                before = _rounded(paid[key] * returned[key], lines[key].quantity)
                after = _rounded(paid[key] * (returned[key] + units), lines[key].quantity)
                wanted[key] = min(after - before, left[key])
            taken = spread(min(refund.goods, sum(wanted.values())), wanted)
            quantities = dict(refund.units)
        else:
            taken = spread(min(refund.goods, sum(left.values())), left)
            quantities = {}
        share = {}
        for key in lines:
            fen, units = taken.get(key, 0), quantities.get(key, 0)
            if fen or units:
                share[key] = (fen, units)
                left[key] -= fen
                returned[key] += units
        results.append(share)
    return results


def _rounded(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, in integers."""
    return (2 * numerator + denominator) // (2 * denominator)
