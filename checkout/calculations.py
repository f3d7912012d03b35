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

    As much as possible is covered first; among the splits that cover that much, allowances that
    expire first are spent first. A greedy walk in expiry order gets the first part wrong: an
    unrestricted allowance expiring first would take the relief line that the relief-only
    allowance could have paid, and leave the other line unpaid. So the split is a small min-cost
    flow in fen: allowance → eligible line → paid, each allowance costing its rank in expiry order.
    Returns (line id -> amount, grant id -> amount); only grants actually spent appear in the second.
    """
    by_line = dict.fromkeys(line_totals, ZERO)
    budget = _fen(limit)
    ordered = sorted(
        (allowance for allowance in allowances if allowance.balance > 0),
        key=lambda allowance: (allowance.expires_at, allowance.grant_id),
    )
    if budget <= 0 or not ordered:
        return by_line, {}
    line_ids = list(line_totals)
    flow = _AllowanceFlow(len(ordered), len(line_ids))
    for rank, allowance in enumerate(ordered):
        flow.add_grant(rank, _fen(allowance.balance))
        for index, line_id in enumerate(line_ids):
            if allowance.product_ids is None or product_of_line[line_id] in allowance.product_ids:
                flow.connect(rank, index, cost=rank)
    for index, line_id in enumerate(line_ids):
        flow.add_line(index, _fen(line_totals[line_id]))
    flow.run(budget)

    by_grant = {}
    for (rank, index), fen in flow.spent().items():
        amount = Decimal(fen) / 100
        by_line[line_ids[index]] += amount
        grant_id = ordered[rank].grant_id
        by_grant[grant_id] = by_grant.get(grant_id, ZERO) + amount
    return {line_id: quantize(amount) for line_id, amount in by_line.items()}, {
        grant_id: quantize(amount) for grant_id, amount in by_grant.items()
    }


def _fen(amount: Decimal) -> int:
    """An amount in whole fen (money is kept to the fen, so nothing is lost); nothing for negatives."""
    return int(quantize(amount) * 100) if amount > 0 else 0


class _AllowanceFlow:
    """Successive shortest paths (Bellman-Ford) on source → grants → lines → sink, amounts in fen.

    A checkout has a few grants and at most a few dozen lines, so the graph is tiny; each
    augmentation saturates an edge, so the number of rounds is bounded by the number of edges.
    """

    def __init__(self, grants: int, lines: int):
        self.source, self.sink = 0, 1 + grants + lines
        self.grants, self.lines = grants, lines
        self.edges = []  # [to, capacity, cost, reverse edge index]
        self.adjacent = [[] for _ in range(self.sink + 1)]
        self.grant_line_edges = {}

    def _edge(self, start: int, end: int, capacity: int, cost: int) -> int:
        self.adjacent[start].append(len(self.edges))
        self.edges.append([end, capacity, cost, len(self.edges) + 1])
        self.adjacent[end].append(len(self.edges))
        self.edges.append([start, 0, -cost, len(self.edges) - 1])
        return len(self.edges) - 2

    def add_grant(self, rank: int, balance: int) -> None:
        self._edge(self.source, 1 + rank, balance, 0)

    def add_line(self, index: int, total: int) -> None:
        self._edge(1 + self.grants + index, self.sink, total, 0)

    def connect(self, rank: int, index: int, *, cost: int) -> None:
        self.grant_line_edges[(rank, index)] = self._edge(1 + rank, 1 + self.grants + index, 10**15, cost)

    def run(self, budget: int) -> None:
        while budget > 0:
            path = self._cheapest_path()
            if path is None:
                return
            pushed = min([budget] + [self.edges[edge][1] for edge in path])
            for edge in path:
                self.edges[edge][1] -= pushed
                self.edges[self.edges[edge][3]][1] += pushed
            budget -= pushed

    def _cheapest_path(self) -> list | None:
        infinity = float("inf")
        distance = [infinity] * (self.sink + 1)
        via = [None] * (self.sink + 1)
        distance[self.source] = 0
        for _ in range(self.sink + 1):
            changed = False
            for node in range(self.sink + 1):
                if distance[node] == infinity:
                    continue
                for edge in self.adjacent[node]:
                    end, capacity, cost, _ = self.edges[edge]
                    if capacity > 0 and distance[node] + cost < distance[end]:
                        distance[end] = distance[node] + cost
                        via[end] = edge
                        changed = True
            if not changed:
                break
        if distance[self.sink] == infinity:
            return None
        path, node = [], self.sink
        while node != self.source:
            edge = via[node]
            path.append(edge)
            node = self.edges[self.edges[edge][3]][0]
        return path

    def spent(self) -> dict:
        """(grant rank, line index) -> fen sent along that edge."""
        spent = {}
        for key, edge in self.grant_line_edges.items():
            fen = self.edges[self.edges[edge][3]][1]  # the reverse edge holds what went through
            if fen > 0:
                spent[key] = fen
        return spent


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
