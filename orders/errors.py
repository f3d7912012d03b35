"""What the order services refuse, with Saleor's error codes.

Completing a checkout answers with CheckoutErrorCode values (the payload of checkoutComplete is a
CheckoutError); acting on an order answers with OrderErrorCode values.
"""

from graphql_relay import to_global_id

from mall.errors import DomainError


class CheckoutCompleteError(DomainError):
    """A checkout that cannot become an order as it is; nothing was written."""


class InsufficientStock(CheckoutCompleteError):
    code = "INSUFFICIENT_STOCK"
    field = "lines"

    def __init__(self, variant_ids):
        variant_ids = sorted(set(variant_ids))
        super().__init__(
            "库存不足，请减少数量或移除售罄的商品。",
            variants=[to_global_id("ProductVariant", pk) for pk in variant_ids],
        )
        self.variant_ids = variant_ids


class OrderActionError(DomainError):
    """An order action (cancel, fulfil) that the order's state does not allow."""
