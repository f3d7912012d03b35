"""Which checkout is the visitor's cart (购物车), kept between requests; changes go through checkout.services.

- A signed-in person's cart is their most recently changed checkout in the shop's channel, so the cart
  they filled through the API (Saleor's storefront) and the one on these pages are the same.
- A guest's cart is the checkout whose token the session holds.
- On sign-in the guest cart is adopted (see `adopt_guest_cart`): attached to the person when they have
  no cart yet, otherwise its lines are added to theirs.

The header shows how many items are in the cart from the session (`cart_quantity`), written whenever these
pages read or change the cart, so that no other page pays a query for it.
"""

import uuid

from catalog import selectors as catalog_selectors
from catalog.models import Channel
from checkout import services as checkout_services
from checkout.models import Checkout, CheckoutLine
from mall.errors import DomainError

SESSION_TOKEN_KEY = "checkout_token"
SESSION_QUANTITY_KEY = "cart_quantity"


def shop_channel() -> Channel | None:
    return catalog_selectors.channel_by_slug(None)


def _signed_in(request) -> bool:
    return request.user.is_authenticated


def _session_token(request) -> uuid.UUID | None:
    raw = request.session.get(SESSION_TOKEN_KEY)
    if not raw:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def current_cart(request, channel: Channel) -> Checkout | None:
    """The visitor's cart in `channel`, or None when they have none (one query)."""
    queryset = Checkout.objects.select_related("shipping_address", "voucher")
    if _signed_in(request):
        checkout = queryset.filter(user=request.user, channel=channel).order_by("-last_change", "pk").first()
        if checkout is not None:
            # The session's user already carries the member profile: pricing asks it who pays member prices.
            checkout.user = request.user
    else:
        token = _session_token(request)
        checkout = queryset.filter(token=token, user=None, channel=channel).first() if token else None
    if checkout is not None:
        checkout.channel = channel  # the cached active channel: reading the lines' stocks needs it
    return checkout


def remember(request, checkout: Checkout | None) -> None:
    """Keep a guest's cart token in the session (a signed-in person's cart is found by owner)."""
    if checkout is not None and not _signed_in(request):
        request.session[SESSION_TOKEN_KEY] = str(checkout.token)


def forget(request) -> None:
    request.session.pop(SESSION_TOKEN_KEY, None)
    request.session[SESSION_QUANTITY_KEY] = 0


def remember_quantity(request, quantity: int) -> None:
    if request.session.get(SESSION_QUANTITY_KEY) != quantity:
        request.session[SESSION_QUANTITY_KEY] = quantity


def add_to_cart(request, channel: Channel, variant, quantity: int) -> Checkout:
    """Add `quantity` of `variant` to the visitor's cart, starting one when there is none.

    Raises what checkout.services refuses (stock, limits, not on sale) with nothing changed.
    """
    checkout = current_cart(request, channel)
    if checkout is None:
        user = request.user if _signed_in(request) else None
        checkout = checkout_services.create_checkout(
            channel=channel, user=user, lines=[(variant, quantity)], email=user.email if user else None
        )
    else:
        checkout = checkout_services.add_lines(checkout, [(variant, quantity)], requestor=request.user) or checkout
    remember(request, checkout)
    return checkout


def adopt_guest_cart(request) -> list[str]:
    """Call right after sign-in: the cart filled as a guest becomes the person's.

    With no cart of their own the guest checkout is attached to them (checkoutCustomerAttach: its prices
    become theirs, member prices for a verified member). With one, the guest lines are added to it line by
    line, so that one line over the stock or the limit does not lose the others; the emptied guest checkout
    is left for the cleanup task. Returns the refusals, to show as messages.
    """
    channel = shop_channel()
    token = _session_token(request)
    request.session.pop(SESSION_TOKEN_KEY, None)
    if channel is None or token is None:
        _refresh_quantity(request, channel)
        return []
    guest = Checkout.objects.filter(token=token, user=None, channel=channel).first()
    refusals = []
    if guest is not None and guest.lines.exists():
        own = current_cart(request, channel)
        if own is None:
            checkout_services.attach_customer(guest, request.user, requestor=request.user)
        else:
            refusals = _move_lines(guest, own)
    _refresh_quantity(request, channel)
    return refusals


def _move_lines(guest: Checkout, own: Checkout) -> list[str]:
    refusals = []
    lines = list(CheckoutLine.objects.filter(checkout=guest).select_related("variant__product"))
    for line in lines:
        try:
            checkout_services.add_lines(own, [(line.variant, line.quantity)])
        except DomainError as error:
            refusals.append(f"{line.variant.product.name} {line.variant.name}：{error.message}")
    checkout_services.delete_lines(guest, [line.pk for line in lines])
    return refusals


def _refresh_quantity(request, channel: Channel | None) -> None:
    checkout = current_cart(request, channel) if channel else None
    quantity = sum(checkout.lines.values_list("quantity", flat=True)) if checkout else 0
    remember_quantity(request, quantity)
