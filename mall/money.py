"""Money: amounts are Decimal yuan with two places, rounded in one place only."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings

CENT = Decimal("0.01")


def default_currency() -> str:
    """The mall's currency, settings.DEFAULT_CURRENCY; model fields default to it."""
    return settings.DEFAULT_CURRENCY


def quantize(amount) -> Decimal:
    """Round an amount to fen (0.01 yuan), half up, as Chinese invoices do."""
    if isinstance(amount, float):
        raise TypeError("Money amounts must not be floats; pass a Decimal or a string.")
    try:
        return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValueError(f"Not a money amount: {amount!r}") from error


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = field(default_factory=default_currency)

    def __post_init__(self):
        object.__setattr__(self, "amount", quantize(self.amount))


@dataclass(frozen=True)
class MoneyRange:
    start: Money
    stop: Money

    @property
    def currency(self) -> str:
        return self.start.currency
