"""What the order services refuse, with Saleor's OrderErrorCode values.

Completing a checkout refuses with checkout.errors (Saleor's CheckoutErrorCode), as checkoutComplete
answers with CheckoutError; acting on an order refuses with these.
"""

from mall.errors import DomainError


class OrderActionError(DomainError):
    """An order action (cancel, fulfil) that the order's state does not allow."""
