"""Checkout types of the API in Saleor 3.21's shapes: Checkout, CheckoutLine, ShippingMethod,
DeliveryMethod, PaymentGateway; plus Union Mall's allowance fields.

Prices follow the checkout's owner, not whoever asks: a verified member's cart shows member
prices to the member and to staff alike. Retail prices include VAT (mall.graphql.types.TAX_NOTE).
"""

from dataclasses import dataclass
from decimal import Decimal

import graphene
from graphene import relay

from catalog.graphql.loading import ChannelContext
from catalog.pricing import user_pays_member_price
from catalog.richtext import editorjs_from_paragraphs
from checkout.calculations import LinePrice
from checkout.fetch import CheckoutLineInfo
from checkout.graphql import dataloaders as loaders
from checkout.selectors import applicable_voucher
from mall.graphql.pagination import CountableConnection
from mall.graphql.types import Money, TaxedMoney, taxed
from mall.money import Money as MoneyValue
from payments.gateway import available_gateways


def _money(amount, currency: str) -> MoneyValue | None:
    return None if amount is None else MoneyValue(amount, currency)


# --- Shipping ----------------------------------------------------------------------------------
class ShippingMethodTypeEnum(graphene.Enum):
    PRICE = "price"
    WEIGHT = "weight"

    class Meta:
        description = "An enumeration."


class ShippingMethod(graphene.ObjectType):
    name = graphene.String(required=True, description="Shipping method name.")
    description = graphene.JSONString(description="Shipping method description (EditorJS JSON).")
    type = graphene.Field(ShippingMethodTypeEnum, description="Type of the shipping method.")
    price = graphene.Field(
        Money,
        required=True,
        description="The price of selected shipping method for this checkout: 0 when the goods reach the "
        "method's free-shipping amount (满额包邮).",
    )
    maximum_order_price = graphene.Field(Money, description="Maximum order price for this shipping method.")
    minimum_order_price = graphene.Field(Money, description="Minimal order price for this shipping method.")
    maximum_delivery_days = graphene.Int(description="Maximum delivery days for this shipping method.")
    minimum_delivery_days = graphene.Int(description="Minimum delivery days for this shipping method.")
    active = graphene.Boolean(
        required=True, description="Describes if this shipping method is active and can be selected."
    )
    message = graphene.String(description="Message connected to this shipping method.")
    free_above = graphene.Field(
        Money,
        description="Union Mall extension: the goods amount from which this method ships free; null if never.",
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Shipping methods that can be used as means of shipping for orders and checkouts."

    @staticmethod
    def resolve_id(root: loaders.ShippingMethodInfo, _info):
        return root.listing.shipping_method_id

    @staticmethod
    def resolve_name(root, _info):
        return root.listing.shipping_method.name

    @staticmethod
    def resolve_description(root, _info):
        text = root.listing.shipping_method.description
        return editorjs_from_paragraphs(text) if text else None

    @staticmethod
    def resolve_type(_root, _info):
        return ShippingMethodTypeEnum.PRICE

    @staticmethod
    def resolve_price(root, _info):
        return MoneyValue(root.price, root.currency)

    @staticmethod
    def resolve_maximum_order_price(root, _info):
        return _money(root.listing.maximum_order_price_amount, root.currency)

    @staticmethod
    def resolve_minimum_order_price(root, _info):
        return _money(root.listing.minimum_order_price_amount, root.currency)

    @staticmethod
    def resolve_maximum_delivery_days(root, _info):
        return root.listing.shipping_method.maximum_delivery_days

    @staticmethod
    def resolve_minimum_delivery_days(root, _info):
        return root.listing.shipping_method.minimum_delivery_days

    @staticmethod
    def resolve_active(root, _info):
        return root.active

    @staticmethod
    def resolve_message(_root, _info):
        return None

    @staticmethod
    def resolve_free_above(root, _info):
        return _money(root.listing.free_above_amount, root.currency)


class DeliveryMethod(graphene.Union):
    """Saleor's union of a shipping method and a collection point (Warehouse); the mall only ships,
    so every value is a ShippingMethod."""

    class Meta:
        types = (ShippingMethod,)

    @classmethod
    def resolve_type(cls, _instance, _info):
        return ShippingMethod


# --- Payment gateways --------------------------------------------------------------------------
class GatewayConfigLine(graphene.ObjectType):
    field = graphene.String(required=True, description="Gateway config key.")
    value = graphene.String(description="Gateway config value for key.")

    class Meta:
        description = "Payment gateway client configuration key and value pair."


class PaymentGateway(graphene.ObjectType):
    name = graphene.String(required=True, description="Payment gateway name.")
    id = graphene.ID(required=True, description="Payment gateway ID.")
    config = graphene.NonNull(
        graphene.List(graphene.NonNull(GatewayConfigLine)), description="Payment gateway client configuration."
    )
    currencies = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)), description="Payment gateway supported currencies."
    )

    class Meta:
        description = (
            "Available payment gateway backend with configuration necessary to setup client. "
            "Union Mall offers Stripe (`saleor.app.payment.stripe`) when its keys are configured."
        )

    @staticmethod
    def resolve_name(root, _info):
        return root["name"]

    @staticmethod
    def resolve_id(root, _info):
        return root["id"]

    @staticmethod
    def resolve_config(root, _info):
        return root["config"]

    @staticmethod
    def resolve_currencies(root, _info):
        return root["currencies"]


# --- Lines -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckoutLineRoot:
    info: CheckoutLineInfo
    price: LinePrice
    channel: object
    currency: str


class CheckoutLine(graphene.ObjectType):
    variant = graphene.Field("catalog.graphql.types.ProductVariant", required=True, description="The product variant.")
    quantity = graphene.Int(required=True, description="The quantity of product variant assigned to the checkout line.")
    unit_price = graphene.Field(
        TaxedMoney,
        required=True,
        description="The unit price of the checkout line: the member price for a "
        "verified member's checkout where the variant has one, else the list price.",
    )
    undiscounted_unit_price = graphene.Field(
        Money, required=True, description="The unit price of the checkout line, without discounts (the list price)."
    )
    total_price = graphene.Field(TaxedMoney, required=True, description="The sum of the checkout line price.")
    undiscounted_total_price = graphene.Field(
        Money, required=True, description="The sum of the checkout line price, without discounts."
    )
    requires_shipping = graphene.Boolean(required=True, description="Indicates whether the item need to be delivered.")
    is_gift = graphene.Boolean(description="Determine if the line is a gift.")
    allowance_amount = graphene.Field(
        Money, required=True, description="Union Mall extension: how much of this line the welfare allowance pays."
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents an item in the checkout."

    @staticmethod
    def resolve_id(root: CheckoutLineRoot, _info):
        return root.info.line.pk

    @staticmethod
    def resolve_variant(root, _info):
        return ChannelContext(root.info.variant, root.channel)

    @staticmethod
    def resolve_quantity(root, _info):
        return root.info.line.quantity

    @staticmethod
    def resolve_unit_price(root, _info):
        return taxed(MoneyValue(root.price.unit_price, root.currency))

    @staticmethod
    def resolve_undiscounted_unit_price(root, _info):
        return MoneyValue(root.price.undiscounted_unit_price, root.currency)

    @staticmethod
    def resolve_total_price(root, _info):
        return taxed(MoneyValue(root.price.total, root.currency))

    @staticmethod
    def resolve_undiscounted_total_price(root, _info):
        return MoneyValue(root.price.undiscounted_total, root.currency)

    @staticmethod
    def resolve_requires_shipping(root, _info):
        return root.info.requires_shipping

    @staticmethod
    def resolve_is_gift(_root, _info):
        return False

    @staticmethod
    def resolve_allowance_amount(root, _info):
        return MoneyValue(root.price.allowance, root.currency)


# --- Checkout ----------------------------------------------------------------------------------
def _prices(info, checkout):
    return loaders.PricesByCheckoutTokenLoader(info.context).load(checkout.pk)


def _lines(info, checkout):
    return loaders.LinesByCheckoutTokenLoader(info.context).load(checkout.pk)


def _taxed(info, checkout, attribute: str):
    return taxed(MoneyValue(getattr(_prices(info, checkout), attribute), checkout.currency))


class Checkout(graphene.ObjectType):
    token = graphene.UUID(required=True, description="The checkout's token.")
    created = graphene.DateTime(required=True, description="The date and time when the checkout was created.")
    updated_at = graphene.DateTime(required=True, description="Time of last modification of the given checkout.")
    last_change = graphene.DateTime(
        required=True,
        description="Time of last modification of the given checkout.",
        deprecation_reason="Use `updatedAt` instead.",
    )
    user = graphene.Field(
        "accounts.graphql.types.User",
        description="The user assigned to the checkout. Visible to the user and to staff who manage checkouts.",
    )
    channel = graphene.Field("catalog.graphql.types.Channel", required=True, description="The channel of the checkout.")
    email = graphene.String(description="Email of a customer.")
    lines = graphene.NonNull(
        graphene.List(graphene.NonNull(CheckoutLine)),
        description="A list of checkout lines, each containing information about an item in the checkout.",
    )
    quantity = graphene.Int(required=True, description="The number of items purchased.")
    is_shipping_required = graphene.Boolean(required=True, description="Returns True, if checkout requires shipping.")
    shipping_address = graphene.Field(
        "accounts.graphql.types.Address", description="The shipping address of the checkout."
    )
    billing_address = graphene.Field(
        "accounts.graphql.types.Address", description="The billing address of the checkout."
    )
    available_shipping_methods = graphene.NonNull(
        graphene.List(graphene.NonNull(ShippingMethod)),
        description="Shipping methods that can be used with this checkout.",
        deprecation_reason="Use `shippingMethods` instead.",
    )
    shipping_methods = graphene.NonNull(
        graphene.List(graphene.NonNull(ShippingMethod)),
        description="Shipping methods that can be used with this checkout: those delivering to the shipping address "
        "(remote provinces have their own zone) that accept the order's amount, priced for it.",
    )
    delivery_method = graphene.Field(DeliveryMethod, description="The delivery method selected for this checkout.")
    shipping_method = graphene.Field(
        ShippingMethod,
        description="The shipping method related with checkout.",
        deprecation_reason="Use `deliveryMethod` instead.",
    )
    available_payment_gateways = graphene.NonNull(
        graphene.List(graphene.NonNull(PaymentGateway)),
        description="List of available payment gateways.",
    )
    subtotal_price = graphene.Field(
        TaxedMoney,
        required=True,
        description="The price of the checkout's lines for its owner, before the voucher, shipping and allowance.",
    )
    shipping_price = graphene.Field(
        TaxedMoney, required=True, description="The price of the shipping, with all the taxes included."
    )
    total_price = graphene.Field(
        TaxedMoney,
        required=True,
        description="The sum of the checkout line prices, with all the taxes, shipping costs, and discounts included, "
        "less the welfare allowance applied: what is paid by card.",
    )
    discount = graphene.Field(Money, description="The total discount the voucher gives.")
    discount_name = graphene.String(description="The name of the voucher applied.")
    voucher_code = graphene.String(description="The code of voucher assigned to the checkout.")
    allowance_amount = graphene.Field(
        Money,
        required=True,
        description="Union Mall extension: the welfare allowance (福利额度) this checkout spends; `totalPrice` is "
        "what is left to pay by card.",
    )
    allowance_balance = graphene.Field(
        Money,
        description="Union Mall extension: the welfare allowance the checkout's owner could spend now (0 for a "
        "member not verified); null for a guest's checkout.",
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Checkout object."

    @staticmethod
    def resolve_id(root, _info):
        return root.pk

    @staticmethod
    def resolve_token(root, _info):
        return root.pk

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_updated_at(root, _info):
        return root.last_change

    @staticmethod
    def resolve_email(root, _info):
        return root.email or None

    @staticmethod
    def resolve_lines(root, info):
        prices = _prices(info, root)
        return [
            CheckoutLineRoot(line, prices.lines[line.line.pk], root.channel, root.currency)
            for line in _lines(info, root)
        ]

    @staticmethod
    def resolve_quantity(root, info):
        return sum(line.line.quantity for line in _lines(info, root))

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return any(line.requires_shipping for line in _lines(info, root))

    @staticmethod
    def resolve_available_shipping_methods(root, info):
        return loaders.ShippingMethodsByCheckoutTokenLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_shipping_methods(root, info):
        return loaders.ShippingMethodsByCheckoutTokenLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_delivery_method(root, info):
        listing = loaders.ShippingListingByCheckoutTokenLoader(info.context).load(root.pk)
        if listing is None:
            return None
        return loaders.ShippingMethodInfo(listing, _prices(info, root).shipping, root.currency)

    resolve_shipping_method = resolve_delivery_method

    @staticmethod
    def resolve_available_payment_gateways(root, _info):
        return available_gateways(root.currency)

    @staticmethod
    def resolve_subtotal_price(root, info):
        return _taxed(info, root, "subtotal")

    @staticmethod
    def resolve_shipping_price(root, info):
        return _taxed(info, root, "shipping")

    @staticmethod
    def resolve_total_price(root, info):
        return _taxed(info, root, "total")

    @staticmethod
    def resolve_discount(root, info):
        return MoneyValue(_prices(info, root).discount, root.currency)

    @staticmethod
    def resolve_discount_name(root, info):
        voucher = applicable_voucher(root, _prices(info, root).subtotal)
        return (voucher.name or voucher.code) if voucher else None

    @staticmethod
    def resolve_voucher_code(root, info):
        # A voucher that stopped applying (expired, used up) discounts nothing and is not shown.
        voucher = applicable_voucher(root, _prices(info, root).subtotal)
        return voucher.code if voucher else None

    @staticmethod
    def resolve_allowance_amount(root, info):
        return MoneyValue(_prices(info, root).allowance, root.currency)

    @staticmethod
    def resolve_allowance_balance(root, info):
        if root.user_id is None:
            return None
        if not user_pays_member_price(root.user):
            return MoneyValue(Decimal(0), root.currency)
        allowances = loaders.AllowancesByUserIdLoader(info.context).load(root.user_id)
        return MoneyValue(sum((allowance.balance for allowance in allowances), Decimal(0)), root.currency)


class CheckoutCountableConnection(CountableConnection):
    class Meta:
        node = Checkout
