"""Saleor 3.21's order error type (`OrderError`) and its codes."""

import graphene

from accounts.graphql.errors import AddressTypeEnum
from mall.graphql.mutations import error_type

ORDER_ERROR_CODES = [
    "BILLING_ADDRESS_NOT_SET",
    "CANNOT_CANCEL_FULFILLMENT",
    "CANNOT_CANCEL_ORDER",
    "CANNOT_DELETE",
    "CANNOT_DISCOUNT",
    "CANNOT_REFUND",
    "CANNOT_FULFILL_UNPAID_ORDER",
    "CAPTURE_INACTIVE_PAYMENT",
    "GIFT_CARD_LINE",
    "NOT_EDITABLE",
    "FULFILL_ORDER_LINE",
    "GRAPHQL_ERROR",
    "INVALID",
    "PRODUCT_NOT_PUBLISHED",
    "PRODUCT_UNAVAILABLE_FOR_PURCHASE",
    "NOT_FOUND",
    "ORDER_NO_SHIPPING_ADDRESS",
    "PAYMENT_ERROR",
    "PAYMENT_MISSING",
    "TRANSACTION_ERROR",
    "REQUIRED",
    "SHIPPING_METHOD_NOT_APPLICABLE",
    "SHIPPING_METHOD_REQUIRED",
    "TAX_ERROR",
    "UNIQUE",
    "VOID_INACTIVE_PAYMENT",
    "ZERO_QUANTITY",
    "INVALID_QUANTITY",
    "INSUFFICIENT_STOCK",
    "DUPLICATED_INPUT_ITEM",
    "NOT_AVAILABLE_IN_CHANNEL",
    "CHANNEL_INACTIVE",
    "INVALID_VOUCHER",
    "INVALID_VOUCHER_CODE",
    "NON_EDITABLE_GIFT_LINE",
    "NON_REMOVABLE_GIFT_LINE",
    "MISSING_ADDRESS_DATA",
]
OrderErrorCode = graphene.Enum("OrderErrorCode", [(code, code.lower()) for code in ORDER_ERROR_CODES])

OrderError = error_type(
    "OrderError",
    OrderErrorCode,
    description="Represents errors in order mutations.",
    warehouse=graphene.ID(description="Warehouse ID which causes the error."),
    order_lines=graphene.List(
        graphene.NonNull(graphene.ID), description="List of order line IDs that cause the error."
    ),
    variants=graphene.List(
        graphene.NonNull(graphene.ID), description="List of product variants that are associated with the error"
    ),
    address_type=graphene.Field(AddressTypeEnum, description="A type of address that causes the error."),
)
