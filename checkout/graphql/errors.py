"""Saleor 3.21's checkout error type (`CheckoutError`) and its codes, plus Union Mall's
INSUFFICIENT_ALLOWANCE; every checkout mutation (checkoutComplete included) returns these."""

import enum

import graphene

from accounts.graphql.errors import AddressTypeEnum
from mall.graphql.mutations import error_type


class CheckoutErrorCodeValues(enum.Enum):
    """Saleor's CheckoutErrorCode, value for value; the API exposes the names."""

    BILLING_ADDRESS_NOT_SET = "billing_address_not_set"
    CHECKOUT_NOT_FULLY_PAID = "checkout_not_fully_paid"
    GRAPHQL_ERROR = "graphql_error"
    PRODUCT_NOT_PUBLISHED = "product_not_published"
    PRODUCT_UNAVAILABLE_FOR_PURCHASE = "product_unavailable_for_purchase"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    INVALID_SHIPPING_METHOD = "invalid_shipping_method"
    NOT_FOUND = "not_found"
    PAYMENT_ERROR = "payment_error"
    QUANTITY_GREATER_THAN_LIMIT = "quantity_greater_than_limit"
    REQUIRED = "required"
    SHIPPING_ADDRESS_NOT_SET = "shipping_address_not_set"
    SHIPPING_METHOD_NOT_APPLICABLE = "shipping_method_not_applicable"
    DELIVERY_METHOD_NOT_APPLICABLE = "delivery_method_not_applicable"
    SHIPPING_METHOD_NOT_SET = "shipping_method_not_set"
    SHIPPING_NOT_REQUIRED = "shipping_not_required"
    TAX_ERROR = "tax_error"
    UNIQUE = "unique"
    VOUCHER_NOT_APPLICABLE = "voucher_not_applicable"
    GIFT_CARD_NOT_APPLICABLE = "gift_card_not_applicable"
    ZERO_QUANTITY = "zero_quantity"
    MISSING_CHANNEL_SLUG = "missing_channel_slug"
    CHANNEL_INACTIVE = "channel_inactive"
    UNAVAILABLE_VARIANT_IN_CHANNEL = "unavailable_variant_in_channel"
    EMAIL_NOT_SET = "email_not_set"
    NO_LINES = "no_lines"
    INACTIVE_PAYMENT = "inactive_payment"
    NON_EDITABLE_GIFT_LINE = "non_editable_gift_line"
    NON_REMOVABLE_GIFT_LINE = "non_removable_gift_line"
    SHIPPING_CHANGE_FORBIDDEN = "shipping_change_forbidden"
    MISSING_ADDRESS_DATA = "missing_address_data"
    # Union Mall: the member's welfare allowance (福利额度) cannot cover what was asked.
    INSUFFICIENT_ALLOWANCE = "insufficient_allowance"


CheckoutErrorCode = graphene.Enum.from_enum(CheckoutErrorCodeValues, name="CheckoutErrorCode")


CheckoutError = error_type(
    "CheckoutError",
    CheckoutErrorCode,
    description="Represents errors in checkout mutations.",
    variants=graphene.List(graphene.NonNull(graphene.ID), description="List of varint IDs which causes the error."),
    lines=graphene.List(graphene.NonNull(graphene.ID), description="List of line Ids which cause the error."),
    address_type=graphene.Field(AddressTypeEnum, description="A type of address that causes the error."),
)
