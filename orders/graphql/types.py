"""Order types of the API in Saleor 3.21's shapes: Order, OrderLine, OrderEvent, Fulfillment.

Amounts: `subtotal` is the lines at the prices paid (member prices for a verified member), `total`
what is left to pay by card after the voucher, shipping and the welfare allowance (Union Mall's
`allowanceAmount`). Prices in China include VAT, so every TaxedMoney has gross = net.
"""

import uuid
from decimal import Decimal

import graphene
from graphene import relay
from graphql import GraphQLError
from graphql_relay import from_global_id

from catalog.graphql.dataloaders import MediaByProductIdLoader
from catalog.graphql.loading import ChannelContext
from catalog.graphql.types import _image_url
from mall.graphql.pagination import CountableConnection
from mall.graphql.types import Image, Money, TaxedMoney, taxed, thumbnail_arguments
from mall.money import Money as MoneyValue
from orders.graphql import dataloaders as loaders
from orders.graphql.enums import (
    FulfillmentStatus,
    OrderAuthorizeStatusEnum,
    OrderChargeStatusEnum,
    OrderEventsEmailsEnum,
    OrderEventsEnum,
    OrderOriginEnum,
    OrderStatus,
    PaymentChargeStatusEnum,
)
from orders.graphql.errors import OrderError
from orders.selectors import payment_status

PAYMENT_STATUS_DISPLAY = {
    "NOT_CHARGED": "未支付",
    "PARTIALLY_CHARGED": "部分支付",
    "FULLY_CHARGED": "已支付",
    "PARTIALLY_REFUNDED": "部分退款",
    "FULLY_REFUNDED": "已退款",
}
FULFILLMENT_STATUS_DISPLAY = {"FULFILLED": "已发货", "CANCELED": "已取消", "REFUNDED": "已退款", "RETURNED": "已退货"}


def uuid_from_global_id(global_id: str, only_type: str) -> uuid.UUID:
    """The UUID primary key inside `global_id` ("Order:<uuid>"), which must name an `only_type`."""
    try:
        type_name, raw_pk = from_global_id(global_id or "")
    except (ValueError, TypeError, UnicodeDecodeError, AttributeError) as error:
        raise GraphQLError(f"Couldn't resolve id: {global_id}.") from error
    if type_name and type_name != only_type:
        raise GraphQLError(f"Must receive a {only_type} id.")
    try:
        return uuid.UUID(raw_pk)
    except (ValueError, TypeError, AttributeError) as error:
        raise GraphQLError(f"Couldn't resolve id: {global_id}.") from error


def money(amount, currency: str) -> MoneyValue:
    return MoneyValue(amount if amount is not None else Decimal("0"), currency)


# --- Lines ---------------------------------------------------------------------------------
class OrderLine(graphene.ObjectType):
    product_name = graphene.String(required=True, description="Name of the product in order line.")
    variant_name = graphene.String(required=True, description="Name of the variant of product in order line.")
    product_sku = graphene.String(description="SKU of the product variant.")
    product_variant_id = graphene.String(description="The ID of the product variant.")
    is_shipping_required = graphene.Boolean(required=True, description="Whether the product variant requires shipping.")
    quantity = graphene.Int(required=True, description="Number of variant items ordered.")
    quantity_fulfilled = graphene.Int(required=True, description="Number of variant items fulfilled.")
    quantity_to_fulfill = graphene.Int(required=True, description="A quantity of items remaining to be fulfilled.")
    unit_discount_reason = graphene.String(description="Reason for any discounts applied on a product in the order.")
    tax_rate = graphene.Float(required=True, description="Rate of tax applied on product variant.")
    thumbnail = graphene.Field(Image, **thumbnail_arguments())
    unit_price = graphene.Field(
        TaxedMoney, required=True, description="Price of the single item in the order line: the price paid."
    )
    undiscounted_unit_price = graphene.Field(
        TaxedMoney, required=True, description="Price of the single item in the order line without any discount."
    )
    unit_discount = graphene.Field(
        Money, required=True, description="The discount applied to the single order line (list price − price paid)."
    )
    total_price = graphene.Field(TaxedMoney, required=True, description="Price of the order line.")
    undiscounted_total_price = graphene.Field(
        TaxedMoney, required=True, description="Price of the order line without discounts."
    )
    variant = graphene.Field(
        "catalog.graphql.types.ProductVariant",
        description="A purchased product variant. Note: this field may be null if the variant has been removed "
        "from stock at all.",
    )
    translated_product_name = graphene.String(required=True, description="Product name in the customer's language")
    translated_variant_name = graphene.String(required=True, description="Variant name in the customer's language")
    is_gift = graphene.Boolean(description="Determine if the line is a gift.")
    member_price = graphene.Field(
        Money,
        description="Union Mall extension: the variant's member price (会员价) when it was bought; null if none.",
    )
    allowance_amount = graphene.Field(
        Money,
        required=True,
        description="Union Mall extension: the part of this line paid from welfare allowances (福利额度).",
    )
    merchant_name = graphene.String(required=True, description="Union Mall extension: the merchant who sold it.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents order line of particular order."

    @staticmethod
    def resolve_product_variant_id(root, _info):
        return relay.Node.to_global_id("ProductVariant", root.variant_id) if root.variant_id else None

    @staticmethod
    def resolve_quantity_to_fulfill(root, _info):
        return root.quantity_unfulfilled

    @staticmethod
    def resolve_unit_discount_reason(root, _info):
        return "会员价" if root.unit_price_amount < root.undiscounted_unit_price_amount else None

    @staticmethod
    def resolve_tax_rate(_root, _info):
        return 0.0

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format=None):
        if root.product_id is None:
            return None
        media = MediaByProductIdLoader(info.context).load(root.product_id)
        first = next((item for item in media if item.image), None)
        if first is None:
            return None
        return {
            "url": _image_url(info, "ProductMedia", first.pk, first.image, size=size, format=format),
            "alt": first.alt,
        }

    @staticmethod
    def resolve_unit_price(root, _info):
        return taxed(money(root.unit_price_amount, root.currency))

    @staticmethod
    def resolve_undiscounted_unit_price(root, _info):
        return taxed(money(root.undiscounted_unit_price_amount, root.currency))

    @staticmethod
    def resolve_unit_discount(root, _info):
        return money(root.undiscounted_unit_price_amount - root.unit_price_amount, root.currency)

    @staticmethod
    def resolve_total_price(root, _info):
        return taxed(money(root.total_price_amount, root.currency))

    @staticmethod
    def resolve_undiscounted_total_price(root, _info):
        return taxed(money(root.undiscounted_unit_price_amount * root.quantity, root.currency))

    @staticmethod
    def resolve_variant(root, info):
        if root.variant_id is None:
            return None
        variant = loaders.VariantByIdLoader(info.context).load(root.variant_id)
        if variant is None:
            return None
        order = loaders.OrderByIdLoader(info.context).load(root.order_id)
        return ChannelContext(variant, loaders.ChannelByIdLoader(info.context).load(order.channel_id))

    @staticmethod
    def resolve_translated_product_name(root, _info):
        return root.product_name

    @staticmethod
    def resolve_translated_variant_name(root, _info):
        return root.variant_name

    @staticmethod
    def resolve_is_gift(_root, _info):
        return False

    @staticmethod
    def resolve_member_price(root, _info):
        return None if root.member_price_amount is None else money(root.member_price_amount, root.currency)

    @staticmethod
    def resolve_allowance_amount(root, _info):
        return money(root.allowance_amount, root.currency)


# --- Events --------------------------------------------------------------------------------
class OrderEventOrderLineObject(graphene.ObjectType):
    quantity = graphene.Int(description="The variant quantity.")
    order_line = graphene.Field(OrderLine, description="The order line.")
    item_name = graphene.String(description="The variant name.")


class OrderEvent(graphene.ObjectType):
    date = graphene.DateTime(description="Date when event happened at in ISO 8601 format.")
    type = graphene.Field(OrderEventsEnum, description="Order event type.")
    user = graphene.Field("accounts.graphql.types.User", description="User who performed the action.")
    message = graphene.String(description="Content of the event.")
    email = graphene.String(description="Email of the customer.")
    email_type = graphene.Field(OrderEventsEmailsEnum, description="Type of an email sent to the customer.")
    amount = graphene.Float(description="Amount of money.")
    quantity = graphene.Int(description="Number of items.")
    composed_id = graphene.String(description="Composed ID of the Fulfillment.")
    order_number = graphene.String(description="User-friendly number of an order.")
    lines = graphene.List(graphene.NonNull(OrderEventOrderLineObject), description="The concerned lines.")
    transaction_reference = graphene.String(description="The transaction reference of captured payment.")

    class Meta:
        interfaces = (relay.Node,)
        description = "History log of the order."

    @staticmethod
    def resolve_type(root, _info):
        return str(root.type)

    @staticmethod
    def resolve_user(root, info):
        return loaders.UserByIdLoader(info.context).load(root.user_id) if root.user_id else None

    @staticmethod
    def resolve_message(root, _info):
        return root.parameters.get("message") or None

    @staticmethod
    def resolve_email(root, _info):
        return root.parameters.get("email")

    @staticmethod
    def resolve_email_type(root, _info):
        return root.parameters.get("email_type")

    @staticmethod
    def resolve_amount(root, _info):
        amount = root.parameters.get("amount")
        return float(amount) if amount is not None else None

    @staticmethod
    def resolve_quantity(root, _info):
        lines = root.parameters.get("lines")
        return sum(line["quantity"] for line in lines) if lines else None

    @staticmethod
    def resolve_composed_id(root, _info):
        return root.parameters.get("composed_id")

    @staticmethod
    def resolve_order_number(root, info):
        return str(loaders.OrderByIdLoader(info.context).load(root.order_id).number)

    @staticmethod
    def resolve_lines(root, info):
        lines = root.parameters.get("lines")
        if not lines:
            return None
        by_id = {str(line.pk): line for line in loaders.OrderLinesByOrderIdLoader(info.context).load(root.order_id)}
        result = []
        for entry in lines:
            line = by_id.get(entry.get("line_pk"))
            result.append(
                {"quantity": entry.get("quantity"), "order_line": line, "item_name": str(line) if line else None}
            )
        return result

    @staticmethod
    def resolve_transaction_reference(root, _info):
        return root.parameters.get("transaction_reference")


# --- Fulfilments ---------------------------------------------------------------------------
class FulfillmentLine(graphene.ObjectType):
    quantity = graphene.Int(required=True, description="The number of items included in the fulfillment line.")
    order_line = graphene.Field(OrderLine, description="The order line to which the fulfillment line is related.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents line of the fulfillment."


class Fulfillment(graphene.ObjectType):
    fulfillment_order = graphene.Int(required=True, description="Sequence in which the fulfillments were created.")
    status = graphene.Field(FulfillmentStatus, required=True, description="Status of fulfillment.")
    tracking_number = graphene.String(required=True, description="Fulfillment tracking number.")
    created = graphene.DateTime(required=True, description="Date and time when fulfillment was created.")
    lines = graphene.List(graphene.NonNull(FulfillmentLine), description="List of lines for fulfillment.")
    status_display = graphene.String(description="User-friendly fulfillment status.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents order fulfillment."

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_status(root, _info):
        return str(root.status)

    @staticmethod
    def resolve_lines(root, info):
        return loaders.FulfillmentLinesByFulfillmentIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_status_display(root, _info):
        return FULFILLMENT_STATUS_DISPLAY.get(root.status, root.status)


# --- Orders --------------------------------------------------------------------------------
class Order(graphene.ObjectType):
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    status = graphene.Field(OrderStatus, required=True)
    user = graphene.Field(
        "accounts.graphql.types.User",
        description="User who placed the order. This field is set only for orders placed by authenticated users.",
    )
    user_email = graphene.String(description="Email address of the customer.")
    billing_address = graphene.Field("accounts.graphql.types.Address", description="Billing address.")
    shipping_address = graphene.Field("accounts.graphql.types.Address", description="Shipping address.")
    shipping_method_name = graphene.String()
    channel = graphene.Field("catalog.graphql.types.Channel", required=True)
    fulfillments = graphene.NonNull(
        graphene.List(graphene.NonNull(Fulfillment)), description="List of shipments for the order."
    )
    lines = graphene.NonNull(graphene.List(graphene.NonNull(OrderLine)), description="List of order lines.")
    number = graphene.String(required=True, description="User-friendly number of an order.")
    origin = graphene.Field(OrderOriginEnum, required=True, description="The order origin.")
    is_paid = graphene.Boolean(required=True, description="Informs if an order is fully paid.")
    payment_status = graphene.Field(PaymentChargeStatusEnum, required=True, description="Internal payment status.")
    payment_status_display = graphene.String(required=True, description="User-friendly payment status.")
    authorize_status = graphene.Field(
        OrderAuthorizeStatusEnum, required=True, description="The authorize status of the order."
    )
    charge_status = graphene.Field(OrderChargeStatusEnum, required=True, description="The charge status of the order.")
    tax_exemption = graphene.Boolean(required=True, description="Returns True if order has to be exempt from taxes.")
    total = graphene.Field(
        TaxedMoney,
        required=True,
        description="Total amount of the order: what is left to pay by card or transfer, after the voucher, "
        "shipping and the welfare allowance (see `allowanceAmount`).",
    )
    undiscounted_total = graphene.Field(
        TaxedMoney, required=True, description="Undiscounted total amount of the order: list prices and shipping."
    )
    shipping_price = graphene.Field(TaxedMoney, required=True, description="Total price of shipping.")
    shipping_tax_rate = graphene.Float(required=True, description="The shipping tax rate value.")
    voucher_code = graphene.String(description="Voucher code that was used for Order.")
    customer_note = graphene.String(required=True, description="Additional information provided by the customer.")
    redirect_url = graphene.String(description="URL to which user should be redirected after order is placed.")
    subtotal = graphene.Field(TaxedMoney, required=True, description="The sum of line prices not including shipping.")
    status_display = graphene.String(required=True, description="User-friendly order status.")
    can_finalize = graphene.Boolean(
        required=True, description="Informs whether a draft order can be finalized(turned into a regular order)."
    )
    total_authorized = graphene.Field(Money, required=True, description="Amount authorized for the order.")
    total_captured = graphene.Field(Money, required=True, description="Amount captured for the order.")
    total_charged = graphene.Field(Money, required=True, description="Amount charged for the order (net of refunds).")
    total_canceled = graphene.Field(Money, required=True, description="Amount canceled for the order.")
    events = graphene.NonNull(
        graphene.List(graphene.NonNull(OrderEvent)), description="List of events associated with the order."
    )
    total_balance = graphene.Field(
        Money, required=True, description="The difference between the paid and the order total amount."
    )
    is_shipping_required = graphene.Boolean(required=True, description="Returns True, if order requires shipping.")
    language_code = graphene.String(required=True, description="Order language code.")
    discount = graphene.Field(Money, description="The voucher's discount; null when none.")
    discount_name = graphene.String(description="Name of the voucher applied.")
    errors = graphene.NonNull(
        graphene.List(graphene.NonNull(OrderError)), description="List of errors that occurred during order validation."
    )
    display_gross_prices = graphene.Boolean(
        required=True, description="Determines whether displayed prices should include taxes."
    )
    checkout_id = graphene.ID(description="ID of the checkout that the order was created from.")
    allowance_amount = graphene.Field(
        Money,
        required=True,
        description="Union Mall extension: the part paid from the member's welfare allowances (福利额度); "
        "`total` is what is left.",
    )
    payment_due_at = graphene.DateTime(
        description="Union Mall extension: an unpaid order (UNCONFIRMED) holds its stock until then and expires "
        "afterwards; null once paid, canceled or expired."
    )
    priced_as_member = graphene.Boolean(
        required=True,
        description="Union Mall extension: whether the lines were priced at member prices (the buyer was a "
        "verified member, 实名认证会员, when the order was placed).",
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents an order in the shop."

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_user(root, info):
        return loaders.UserByIdLoader(info.context).load(root.user_id) if root.user_id else None

    @staticmethod
    def resolve_billing_address(root, info):
        if root.billing_address_id is None:
            return None
        return loaders.OrderAddressByIdLoader(info.context).load(root.billing_address_id)

    @staticmethod
    def resolve_shipping_address(root, info):
        if root.shipping_address_id is None:
            return None
        return loaders.OrderAddressByIdLoader(info.context).load(root.shipping_address_id)

    @staticmethod
    def resolve_shipping_method_name(root, _info):
        return root.shipping_method_name or None

    @staticmethod
    def resolve_channel(root, info):
        return loaders.ChannelByIdLoader(info.context).load(root.channel_id)

    @staticmethod
    def resolve_fulfillments(root, info):
        return loaders.FulfillmentsByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_lines(root, info):
        return loaders.OrderLinesByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_events(root, info):
        return loaders.OrderEventsByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_number(root, _info):
        return str(root.number)

    @staticmethod
    def resolve_status(root, _info):
        return str(root.status)  # a model's TextChoices member would pass for an enum of another type

    @staticmethod
    def resolve_charge_status(root, _info):
        return str(root.charge_status)

    @staticmethod
    def resolve_origin(root, _info):
        return {"BULK": "BULK_CREATE"}.get(str(root.origin), str(root.origin))

    @staticmethod
    def resolve_is_paid(root, _info):
        return root.is_paid

    @staticmethod
    def resolve_payment_status(root, _info):
        return payment_status(root)

    @staticmethod
    def resolve_payment_status_display(root, _info):
        return PAYMENT_STATUS_DISPLAY.get(payment_status(root), "")

    @staticmethod
    def resolve_authorize_status(root, _info):
        # Payments here are captured at once: what is charged is what is authorized.
        return {"NONE": "NONE", "PARTIAL": "PARTIAL"}.get(root.charge_status, "FULL")

    @staticmethod
    def resolve_tax_exemption(_root, _info):
        return False

    @staticmethod
    def resolve_total(root, _info):
        return taxed(money(root.total_amount, root.currency))

    @staticmethod
    def resolve_undiscounted_total(root, _info):
        return taxed(money(root.undiscounted_subtotal_amount + root.shipping_price_amount, root.currency))

    @staticmethod
    def resolve_shipping_price(root, _info):
        return taxed(money(root.shipping_price_amount, root.currency))

    @staticmethod
    def resolve_shipping_tax_rate(_root, _info):
        return 0.0

    @staticmethod
    def resolve_voucher_code(root, _info):
        return root.voucher_code or None

    @staticmethod
    def resolve_redirect_url(_root, _info):
        return None

    @staticmethod
    def resolve_subtotal(root, _info):
        return taxed(money(root.subtotal_amount, root.currency))

    @staticmethod
    def resolve_status_display(root, _info):
        return root.get_status_display()

    @staticmethod
    def resolve_can_finalize(_root, _info):
        return False  # only draft orders are finalized; this mall makes none

    @staticmethod
    def resolve_total_authorized(root, _info):
        return money(root.total_charged_amount, root.currency)

    @staticmethod
    def resolve_total_captured(root, _info):
        return money(root.total_charged_amount, root.currency)

    @staticmethod
    def resolve_total_charged(root, _info):
        return money(root.total_charged_amount, root.currency)

    @staticmethod
    def resolve_total_canceled(root, _info):
        return money(0, root.currency)

    @staticmethod
    def resolve_total_balance(root, _info):
        return money(root.total_charged_amount - root.total_amount, root.currency)

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return any(line.is_shipping_required for line in loaders.OrderLinesByOrderIdLoader(info.context).load(root.pk))

    @staticmethod
    def resolve_language_code(_root, _info):
        return "zh-hans"

    @staticmethod
    def resolve_discount(root, _info):
        return money(root.discount_amount, root.currency) if root.discount_amount else None

    @staticmethod
    def resolve_discount_name(root, _info):
        return root.voucher_code or None

    @staticmethod
    def resolve_errors(_root, _info):
        return []

    @staticmethod
    def resolve_display_gross_prices(_root, _info):
        return True

    @staticmethod
    def resolve_checkout_id(root, _info):
        return relay.Node.to_global_id("Checkout", root.checkout_token) if root.checkout_token else None

    @staticmethod
    def resolve_allowance_amount(root, _info):
        return money(root.allowance_amount, root.currency)


class OrderCountableConnection(CountableConnection):
    class Meta:
        node = Order
