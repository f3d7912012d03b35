"""Turning a checkout into an order (Saleor's checkoutComplete), in one transaction.

The checkout row is locked first, so two completions of one checkout queue: the second finds the
checkout gone and returns the order the first one made. Then the checkout is priced for its owner,
checked, stock is allocated under row locks, a voucher use and the allowance are spent, and the
order with its snapshot lines is written. Anything refused rolls all of it back.

The order is placed before it is paid (下单 then 支付, as Saleor's channels that allow unpaid orders):
it is UNCONFIRMED, holds its stock until `payment_due_at`, and becomes UNFULFILLED when
orders.charge.refresh_charge_status sees it fully paid. An order with nothing left to pay (all of it
paid from the welfare allowance) is paid at once.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Address
from allowances.services import spend_for_order
from catalog.pricing import is_available_for_purchase, user_pays_member_price
from checkout import errors
from checkout.calculations import CheckoutPrices
from checkout.fetch import CheckoutLineInfo, fetch_checkout_lines
from checkout.models import Checkout, Voucher
from checkout.selectors import price_checkout, shipping_listing_of, shipping_listings_for
from mall.graphql.ids import to_global_id
from orders import tasks
from orders.charge import refresh_charge_status
from orders.models import Order, OrderEvent, OrderEventType, OrderLine, OrderStatus
from orders.services.stock import StockRequest, allocate, save_allocations
from payments.models import TransactionItem

ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company_name",
    "street_address_1",
    "street_address_2",
    "city",
    "city_area",
    "postal_code",
    "country",
    "country_area",
    "phone",
)


def complete_checkout(checkout: Checkout, *, user, now=None) -> tuple[Order, bool]:
    """The order made from `checkout` and whether it was made now (False: an earlier call made it)."""
    return complete_checkout_by_token(checkout.pk, user=user, now=now)


def complete_checkout_by_token(token, *, user, now=None) -> tuple[Order, bool]:
    """As complete_checkout, for a token whose checkout may already be gone (completed before)."""
    user = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update(of=("self",)).select_related("channel").filter(pk=token).first()
        if checkout is None:
            return _order_completed_before(token, user), False
        _check_owner(checkout, user)
        order = _place_order(checkout, user, now=now or timezone.now())
    return order, True


def _order_completed_before(token, user) -> Order:
    order = Order.objects.filter(checkout_token=token).first()
    # A member's order is theirs alone; a guest order is found by whoever holds its checkout token.
    if order is None or (order.user_id is not None and (user is None or order.user_id != user.pk)):
        raise errors.CheckoutNotFound(f"Couldn't resolve to a node: {to_global_id('Checkout', token)}", field="id")
    return order


def _check_owner(checkout: Checkout, user) -> None:
    if checkout.user_id is not None and (user is None or checkout.user_id != user.pk):
        raise errors.CheckoutNotFound(
            f"Couldn't resolve to a node: {to_global_id('Checkout', checkout.pk)}", field="id"
        )


def _place_order(checkout: Checkout, user, *, now) -> Order:
    lines, prices = price_checkout(checkout, fetch_checkout_lines(checkout), now=now)
    _check_lines(lines, now=now)
    email = checkout.email or (checkout.user.email if checkout.user_id else "")
    if not email:
        raise errors.EmailNotSet("请填写电子邮箱。", field="email")
    shipping_required = any(info.product.product_type.is_shipping_required for info in lines)
    listing = _check_shipping(checkout, prices) if shipping_required else None
    _check_voucher(checkout, prices, now=now)

    plan = allocate(
        [
            StockRequest(key=info.line.pk, variant_id=info.variant.pk, quantity=info.line.quantity)
            for info in lines
            if info.variant.track_inventory
        ],
        checkout.channel,
    )
    _use_voucher(checkout)
    order = _write_order(checkout, lines, prices, email=email, listing=listing, now=now)
    order_lines = _write_lines(order, lines, prices)
    save_allocations(plan, order_lines)
    spend_for_order(order, prices.allowance_by_grant, now=now)
    OrderEvent.objects.create(order=order, type=OrderEventType.PLACED, user=user)
    TransactionItem.objects.filter(checkout=checkout).update(order=order, checkout=None)
    refresh_charge_status(order, by=user)
    checkout.delete()
    order_id = str(order.pk)
    transaction.on_commit(lambda: tasks.send_order_confirmation_email.delay(order_id), robust=True)
    return order


# --- Checks -------------------------------------------------------------------------------
def _variant_ids(infos: list[CheckoutLineInfo]) -> list[str]:
    return errors.variant_ids(info.variant for info in infos)


def _check_lines(lines: list[CheckoutLineInfo], *, now) -> None:
    if not lines:
        raise errors.NoLines("购物车是空的。", field="lines")
    unpublished = [info for info in lines if info.listing is None or not info.listing.is_published]
    if unpublished:
        raise errors.ProductNotPublished(
            "部分商品已下架，请从购物车中移除。", field="lines", variants=_variant_ids(unpublished)
        )
    unavailable = [info for info in lines if not is_available_for_purchase(info.listing, now=now)]
    if unavailable:
        raise errors.ProductUnavailableForPurchase(
            "部分商品暂不可购买，请从购物车中移除。", field="lines", variants=_variant_ids(unavailable)
        )
    over_limit = [
        info
        for info in lines
        if info.line.quantity > settings.MAX_CHECKOUT_LINE_QUANTITY
        or (info.variant.quantity_limit_per_customer and info.line.quantity > info.variant.quantity_limit_per_customer)
    ]
    if over_limit:
        raise errors.QuantityGreaterThanLimit(
            "购买数量超过限购数量。", field="quantity", variants=_variant_ids(over_limit)
        )


def _check_shipping(checkout: Checkout, prices: CheckoutPrices):
    if checkout.shipping_address_id is None:
        raise errors.ShippingAddressNotSet("请填写收货地址。", field="shippingAddress")
    if checkout.shipping_method_id is None:
        raise errors.ShippingMethodNotSet("请选择配送方式。", field="shippingMethod")
    listing = shipping_listing_of(checkout)
    applicable = {candidate.shipping_method_id for candidate in shipping_listings_for(checkout, prices.subtotal)}
    if listing is None or checkout.shipping_method_id not in applicable:
        raise errors.ShippingMethodNotApplicable(
            "所选配送方式不适用于当前地址或金额，请重新选择。", field="shippingMethod"
        )
    return listing


def _voucher_refused(message: str) -> errors.VoucherNotApplicable:
    return errors.VoucherNotApplicable(message, field="promoCode")


def _check_voucher(checkout: Checkout, prices: CheckoutPrices, *, now) -> None:
    voucher = checkout.voucher
    if voucher is None:
        if checkout.voucher_code:
            raise _voucher_refused("优惠券已失效，请移除后重试。")
        return
    if voucher.start_date > now or (voucher.end_date is not None and voucher.end_date <= now):
        raise _voucher_refused("优惠券不在有效期内。")
    if voucher.channels.exists() and not voucher.channels.filter(pk=checkout.channel_id).exists():
        raise _voucher_refused("优惠券不适用于此渠道。")
    if voucher.min_spent_amount is not None and prices.subtotal < voucher.min_spent_amount:
        raise _voucher_refused(f"订单满 ¥{voucher.min_spent_amount} 才能使用此优惠券。")


def _use_voucher(checkout: Checkout) -> None:
    """Count one use, in one conditional UPDATE so that concurrent orders cannot pass the limit."""
    if checkout.voucher_id is None:
        return
    used = Voucher.objects.filter(
        Q(usage_limit__isnull=True) | Q(used__lt=F("usage_limit")), pk=checkout.voucher_id
    ).update(used=F("used") + 1)
    if not used:
        raise _voucher_refused("优惠券已被领完。")


# --- Writing the order -----------------------------------------------------------------------
def copy_address(address: Address | None) -> Address | None:
    """A copy the order owns: editing the address book later does not change where an order went."""
    if address is None:
        return None
    return Address.objects.create(**{field: getattr(address, field) for field in ADDRESS_FIELDS})


def _write_order(checkout: Checkout, lines, prices: CheckoutPrices, *, email: str, listing, now) -> Order:
    shipping_address = copy_address(checkout.shipping_address)
    # Invoices here are not addressed by a billing address: without one the order is billed where it goes.
    billing_address = copy_address(checkout.billing_address) if checkout.billing_address_id else None
    order = Order(
        channel=checkout.channel,
        user=checkout.user,
        user_email=email,
        checkout_token=checkout.pk,
        priced_as_member=user_pays_member_price(checkout.user),
        currency=prices.currency,
        shipping_address=shipping_address,
        billing_address=billing_address or (copy_address(shipping_address) if shipping_address else None),
        shipping_method_id=listing.shipping_method_id if listing else None,
        shipping_method_name=listing.shipping_method.name if listing else "",
        voucher=checkout.voucher,
        voucher_code=checkout.voucher.code if checkout.voucher_id else "",
        undiscounted_subtotal_amount=prices.undiscounted_subtotal,
        subtotal_amount=prices.subtotal,
        shipping_price_amount=prices.shipping,
        discount_amount=prices.discount,
        allowance_amount=prices.allowance,
        total_amount=prices.total,
        customer_note=checkout.customer_note,
        payment_due_at=now + timedelta(minutes=settings.ORDER_PAYMENT_HOLD_MINUTES),
        status=OrderStatus.UNCONFIRMED,
    )
    order.save()
    return order


def _write_lines(order: Order, lines: list[CheckoutLineInfo], prices: CheckoutPrices) -> dict:
    """The order's lines, snapshotting names and prices as they were; by checkout line id."""
    order_lines = {}
    for index, info in enumerate(lines):
        price = prices.lines[info.line.pk]
        product = info.product
        order_lines[info.line.pk] = OrderLine(
            id=uuid.uuid4(),
            order=order,
            variant=info.variant,
            product_name=product.name,
            variant_name=info.variant.name,
            product_sku=info.variant.sku,
            product_id=product.pk,
            merchant_name=product.merchant.name,
            is_shipping_required=product.product_type.is_shipping_required,
            quantity=info.line.quantity,
            currency=prices.currency,
            undiscounted_unit_price_amount=price.undiscounted_unit_price,
            member_price_amount=info.variant.member_price_amount,
            unit_price_amount=price.unit_price,
            total_price_amount=price.total,
            allowance_amount=price.allowance,
            sort_order=index,
        )
    OrderLine.objects.bulk_create(order_lines.values())
    return order_lines
