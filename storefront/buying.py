"""What the buying pages show (购物车, 结算, 我的订单), shaped from checkout.selectors and the order rows.

Reads only, each in a fixed number of queries whatever the number of lines or orders; the views change
things through checkout.services, orders.services and payments.services.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Sum
from django.urls import reverse

from allowances.selectors import spendable_allowances
from catalog import pricing
from catalog.models import ProductMedia
from catalog.thumbnails import thumbnail_url
from checkout.calculations import CheckoutPrices, calculate_checkout, shipping_price
from checkout.fetch import CheckoutLineInfo
from checkout.models import Checkout, ShippingMethodChannelListing
from checkout.selectors import price_checkout, shipping_listing_of, shipping_listings_for
from mall.money import Money
from orders import selectors as order_selectors
from orders.models import Order, OrderChargeStatus, OrderEvent, OrderEventType, OrderLine, OrderStatus

LINE_IMAGE_SIZE = 128
ZERO = Decimal("0.00")


def money(amount: Decimal, currency: str) -> Money:
    return Money(amount, currency)


# --- The cart ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StockMessage:
    code: str  # ok, low, short, out, unavailable: the CSS modifier and what tests read
    text: str


@dataclass(frozen=True)
class CartLine:
    id: str
    name: str
    variant_name: str
    url: str
    image_url: str | None
    quantity: int
    unit_price: Money
    list_price: Money | None  # shown struck through when the member pays less
    total: Money
    stock: StockMessage
    max_quantity: int

    @property
    def can_buy(self) -> bool:
        return self.stock.code in ("ok", "low")


@dataclass
class CartPage:
    checkout: Checkout
    lines: list[CartLine]
    prices: CheckoutPrices
    pays_member_price: bool

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def subtotal(self) -> Money:
        return money(self.prices.subtotal, self.prices.currency)

    @property
    def member_savings(self) -> Money | None:
        saved = self.prices.undiscounted_subtotal - self.prices.subtotal
        return money(saved, self.prices.currency) if saved > 0 else None

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and all(line.can_buy for line in self.lines)


def stock_message(info: CheckoutLineInfo) -> StockMessage:
    """What the cart says about a line: sold out, fewer left than wanted, not on sale any more."""
    if not pricing.is_available_for_purchase(info.listing):
        return StockMessage("unavailable", "该商品已下架或暂不可购买")
    if not info.variant.track_inventory:
        return StockMessage("ok", "有货")
    available = pricing.stock_quantity(info.stocks)
    if available <= 0:
        return StockMessage("out", "已售罄")
    if info.line.quantity > available:
        return StockMessage("short", f"库存不足，仅剩 {available} 件")
    if available <= settings.LOW_STOCK_THRESHOLD:
        return StockMessage("low", "库存紧张")
    return StockMessage("ok", "有货")


def first_images(product_ids) -> dict[int, ProductMedia]:
    """The first picture of each product (one query)."""
    media = (
        ProductMedia.objects.filter(product_id__in=set(product_ids), type=ProductMedia.Type.IMAGE)
        .exclude(image="")
        .order_by("product_id", "sort_order", "pk")
        .distinct("product_id")
    )
    return {item.product_id: item for item in media}


def max_quantity(info: CheckoutLineInfo) -> int:
    limits = [settings.MAX_CHECKOUT_LINE_QUANTITY]
    if info.variant.quantity_limit_per_customer:
        limits.append(info.variant.quantity_limit_per_customer)
    return min(limits)


def cart_lines(lines: list[CheckoutLineInfo], prices: CheckoutPrices) -> list[CartLine]:
    images = first_images(info.variant.product_id for info in lines)
    rows = []
    for info in lines:
        price = prices.lines[info.line.pk]
        image = images.get(info.variant.product_id)
        product = info.variant.product
        rows.append(
            CartLine(
                id=str(info.line.pk),
                name=product.name,
                variant_name=info.variant.name or info.variant.sku,
                url=reverse("storefront:product", kwargs={"slug": product.slug}),
                image_url=thumbnail_url("ProductMedia", image.pk, size=LINE_IMAGE_SIZE, format="WEBP")
                if image
                else None,
                quantity=info.line.quantity,
                unit_price=money(price.unit_price, prices.currency),
                list_price=money(price.undiscounted_unit_price, prices.currency)
                if price.undiscounted_unit_price > price.unit_price
                else None,
                total=money(price.total, prices.currency),
                stock=stock_message(info),
                max_quantity=max_quantity(info),
            )
        )
    return rows


def cart_page(checkout: Checkout) -> CartPage:
    lines, prices = price_checkout(checkout)
    return CartPage(
        checkout=checkout,
        lines=cart_lines(lines, prices),
        prices=prices,
        pays_member_price=pricing.user_pays_member_price(checkout.user),
    )


# --- The checkout page ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShippingChoice:
    id: int
    name: str
    description: str
    price: Money  # for this checkout: zero when it ships free
    list_price: Money
    free_above: Money | None
    delivery_days: str

    @property
    def is_free(self) -> bool:
        return self.price.amount == 0


@dataclass(frozen=True)
class AllowanceOffer:
    """福利额度: the member's balance, and how much of it this checkout could use or uses."""

    balance: Money
    applicable: Money
    applied: Money
    is_applied: bool


@dataclass
class CheckoutPage:
    cart: CartPage
    shipping_choices: list[ShippingChoice] = field(default_factory=list)
    allowance: AllowanceOffer | None = None

    @property
    def prices(self) -> CheckoutPrices:
        return self.cart.prices

    def amount(self, name: str) -> Money:
        return money(getattr(self.prices, name), self.prices.currency)

    @property
    def totals(self) -> dict:
        return {name: self.amount(name) for name in ("subtotal", "discount", "shipping", "allowance", "total")}


def delivery_days(listing: ShippingMethodChannelListing) -> str:
    method = listing.shipping_method
    low, high = method.minimum_delivery_days, method.maximum_delivery_days
    if low and high and low != high:
        return f"{low}–{high} 天送达"
    if high or low:
        return f"{high or low} 天内送达"
    return ""


def shipping_choices(checkout: Checkout, prices: CheckoutPrices) -> list[ShippingChoice]:
    goods = prices.subtotal - prices.discount
    currency = prices.currency
    return [
        ShippingChoice(
            id=listing.shipping_method_id,
            name=listing.shipping_method.name,
            description=listing.shipping_method.description,
            price=money(shipping_price(listing, goods), currency),
            list_price=money(listing.price_amount, currency),
            free_above=money(listing.free_above_amount, currency) if listing.free_above_amount is not None else None,
            delivery_days=delivery_days(listing),
        )
        for listing in shipping_listings_for(checkout, goods)
    ]


def allowance_offer(checkout: Checkout, lines, prices: CheckoutPrices) -> AllowanceOffer | None:
    """None for guests and for members with no allowance left. What could apply is priced by the same
    calculation the checkout uses, as if all of the balance were requested."""
    allowances = spendable_allowances(checkout.user)
    if not allowances:
        return None
    balance = sum((allowance.balance for allowance in allowances), ZERO)
    could = calculate_checkout(
        lines,
        currency=checkout.currency,
        member=pricing.user_pays_member_price(checkout.user),
        shipping_listing=None,
        voucher=checkout.voucher,
        allowances=allowances,
        allowance_requested=balance,
    )
    currency = prices.currency
    return AllowanceOffer(
        balance=money(balance, currency),
        applicable=money(could.allowance, currency),
        applied=money(prices.allowance, currency),
        is_applied=checkout.allowance_requested is not None,
    )


def checkout_page(checkout: Checkout) -> CheckoutPage:
    lines, prices = price_checkout(checkout)
    cart = CartPage(
        checkout=checkout,
        lines=cart_lines(lines, prices),
        prices=prices,
        pays_member_price=pricing.user_pays_member_price(checkout.user),
    )
    return CheckoutPage(
        cart=cart,
        shipping_choices=shipping_choices(checkout, prices),
        allowance=allowance_offer(checkout, lines, prices) if checkout.user_id else None,
    )


def chosen_shipping(checkout: Checkout) -> ShippingMethodChannelListing | None:
    return shipping_listing_of(checkout)


# --- Orders -----------------------------------------------------------------------------------------------
EVENT_LABELS = {
    OrderEventType.PLACED: "订单已提交",
    OrderEventType.CONFIRMED: "订单已确认",
    OrderEventType.ORDER_FULLY_PAID: "支付成功",
    OrderEventType.ORDER_MARKED_AS_PAID: "已确认收款",
    OrderEventType.PAYMENT_FAILED: "支付失败",
    OrderEventType.TRANSACTION_EVENT: "支付记录更新",
    OrderEventType.TRANSACTION_REFUND_REQUESTED: "已申请退款",
    OrderEventType.ORDER_GRANTED_REFUND: "已批准退款",
    OrderEventType.PAYMENT_REFUNDED: "退款已完成",
    OrderEventType.ALLOCATION_RELEASED: "库存已释放",
    OrderEventType.CANCELED: "订单已取消",
    OrderEventType.EXPIRED: "超时未支付，订单已关闭",
    OrderEventType.FULFILLMENT_FULFILLED_ITEMS: "商品已发货",
    OrderEventType.FULFILLMENT_CANCELED: "发货已取消",
    OrderEventType.TRACKING_UPDATED: "运单号已更新",
    OrderEventType.EMAIL_SENT: "已发送邮件通知",
    OrderEventType.NOTE_ADDED: "备注",
    OrderEventType.UPDATED_ADDRESS: "收货地址已修改",
    OrderEventType.OTHER: "其他",
}
# Events that are bookkeeping rather than news for the buyer.
HIDDEN_EVENTS = {OrderEventType.TRANSACTION_EVENT, OrderEventType.EMAIL_SENT, OrderEventType.OTHER}


def awaiting_payment(order: Order) -> bool:
    """待支付: placed, not paid, not canceled, and something is left to pay by card."""
    return (
        order.status == OrderStatus.UNCONFIRMED
        and order.charge_status in (OrderChargeStatus.NONE, OrderChargeStatus.PARTIAL)
        and order.total_amount > 0
    )


def status_label(order: Order) -> str:
    if awaiting_payment(order):
        return "待支付"
    if order.status == OrderStatus.UNCONFIRMED and order.is_paid:
        return "已支付"
    return order.get_status_display()


def status_code(order: Order) -> str:
    return "awaiting-payment" if awaiting_payment(order) else order.status.lower().replace("_", "-")


def can_cancel(order: Order) -> bool:
    """取消订单 is offered to a member for their order still awaiting payment (orders.services decides)."""
    return (
        order.user_id is not None
        and order.status == OrderStatus.UNCONFIRMED
        and order.charge_status == OrderChargeStatus.NONE
    )


def order_url(order: Order) -> str:
    if order.user_id:
        return reverse("storefront:order", kwargs={"order_id": order.pk})
    return reverse("storefront:guest_order", kwargs={"order_id": order.pk})


def pay_url(order: Order) -> str:
    if order.user_id:
        return reverse("storefront:order_pay", kwargs={"order_id": order.pk})
    return reverse("storefront:guest_order_pay", kwargs={"order_id": order.pk})


def cancel_url(order: Order) -> str:
    return reverse("storefront:order_cancel", kwargs={"order_id": order.pk}) if order.user_id else ""


@dataclass(frozen=True)
class OrderCard:
    order: Order
    url: str
    pay_url: str
    status: str
    status_code: str
    awaiting_payment: bool
    total: Money
    quantity: int
    names: str


def orders_list(user):
    """The person's orders, newest first, with what the list shows of their lines (two queries a page)."""
    return (
        order_selectors.orders_of(user)
        .annotate(item_quantity=Sum("lines__quantity"), line_count=Count("lines"))
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.only("order_id", "product_name", "sort_order")))
        .order_by("-number")
    )


def order_card(order: Order) -> OrderCard:
    names = "、".join(dict.fromkeys(line.product_name for line in order.lines.all()))
    return OrderCard(
        order=order,
        url=order_url(order),
        pay_url=pay_url(order),
        status=status_label(order),
        status_code=status_code(order),
        awaiting_payment=awaiting_payment(order),
        total=money(order.total_amount, order.currency),
        quantity=order.item_quantity or 0,
        names=names,
    )


@dataclass(frozen=True)
class TimelineEntry:
    date: object
    label: str
    detail: str


@dataclass(frozen=True)
class OrderLineRow:
    product_name: str
    variant_name: str
    quantity: int
    unit_price: Money
    total: Money


@dataclass
class OrderDetail:
    order: Order
    lines: list[OrderLineRow]
    timeline: list[TimelineEntry]
    status: str
    status_code: str
    awaiting_payment: bool
    can_cancel: bool
    url: str
    pay_url: str
    cancel_url: str

    def amount(self, name: str) -> Money:
        return money(getattr(self.order, f"{name}_amount"), self.order.currency)

    @property
    def totals(self) -> dict:
        names = ("subtotal", "discount", "shipping_price", "allowance", "total", "total_charged")
        return {name: self.amount(name) for name in names}


def event_detail(event: OrderEvent) -> str:
    parameters = event.parameters or {}
    for key in ("message", "reason", "tracking_number"):
        if parameters.get(key):
            return str(parameters[key])
    return ""


def shown_events():
    return OrderEvent.objects.exclude(type__in=HIDDEN_EVENTS).order_by("date", "pk")


def order_with_details(queryset, order_id):
    """One order with its address, lines and timeline (three queries), or None."""
    return (
        queryset.filter(pk=order_id)
        .select_related("shipping_address")
        .prefetch_related("lines", Prefetch("events", queryset=shown_events()))
        .first()
    )


def member_order(user, order_id) -> Order | None:
    return order_with_details(order_selectors.orders_of(user), order_id)


def guest_order(order_id) -> Order | None:
    """A guest's order by its id alone: the UUID is the secret in the link shown after ordering and e-mailed."""
    return order_with_details(Order.objects.filter(user__isnull=True), order_id)


def order_detail(order: Order) -> OrderDetail:
    return OrderDetail(
        order=order,
        lines=[
            OrderLineRow(
                line.product_name,
                line.variant_name,
                line.quantity,
                money(line.unit_price_amount, line.currency),
                money(line.total_price_amount, line.currency),
            )
            for line in order.lines.all()
        ],
        timeline=[
            TimelineEntry(event.date, EVENT_LABELS.get(event.type, event.get_type_display()), event_detail(event))
            for event in order.events.all()
        ],
        status=status_label(order),
        status_code=status_code(order),
        awaiting_payment=awaiting_payment(order),
        can_cancel=can_cancel(order),
        url=order_url(order),
        pay_url=pay_url(order),
        cancel_url=cancel_url(order),
    )
