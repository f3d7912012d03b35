"""Saleor 3.21's order enums. Their values are their names, as the models store them."""

import graphene


class OrderStatus(graphene.Enum):
    DRAFT = "DRAFT"
    UNCONFIRMED = "UNCONFIRMED"
    UNFULFILLED = "UNFULFILLED"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    PARTIALLY_RETURNED = "PARTIALLY_RETURNED"
    RETURNED = "RETURNED"
    FULFILLED = "FULFILLED"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"

    class Meta:
        description = "An enumeration."


class OrderChargeStatusEnum(graphene.Enum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"
    OVERCHARGED = "OVERCHARGED"

    class Meta:
        description = (
            "Determine the current charge status for the order.\n\n"
            "We treat the order as fully charged when the charged amount is equal to order.total."
        )


class OrderAuthorizeStatusEnum(graphene.Enum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"

    class Meta:
        description = "Determine a current authorize status for order."


class PaymentChargeStatusEnum(graphene.Enum):
    NOT_CHARGED = "NOT_CHARGED"
    PENDING = "PENDING"
    PARTIALLY_CHARGED = "PARTIALLY_CHARGED"
    FULLY_CHARGED = "FULLY_CHARGED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    FULLY_REFUNDED = "FULLY_REFUNDED"
    REFUSED = "REFUSED"
    CANCELLED = "CANCELLED"

    class Meta:
        description = "An enumeration."


class OrderOriginEnum(graphene.Enum):
    CHECKOUT = "CHECKOUT"
    DRAFT = "DRAFT"
    REISSUE = "REISSUE"
    BULK_CREATE = "BULK_CREATE"

    class Meta:
        description = "An enumeration."


class FulfillmentStatus(graphene.Enum):
    FULFILLED = "FULFILLED"
    REFUNDED = "REFUNDED"
    RETURNED = "RETURNED"
    REPLACED = "REPLACED"
    REFUNDED_AND_RETURNED = "REFUNDED_AND_RETURNED"
    CANCELED = "CANCELED"
    WAITING_FOR_APPROVAL = "WAITING_FOR_APPROVAL"

    class Meta:
        description = "An enumeration."


class OrderEventsEmailsEnum(graphene.Enum):
    PAYMENT_CONFIRMATION = "PAYMENT_CONFIRMATION"
    CONFIRMED = "CONFIRMED"
    SHIPPING_CONFIRMATION = "SHIPPING_CONFIRMATION"
    TRACKING_UPDATED = "TRACKING_UPDATED"
    ORDER_CONFIRMATION = "ORDER_CONFIRMATION"
    ORDER_CANCEL = "ORDER_CANCEL"
    ORDER_REFUND = "ORDER_REFUND"
    FULFILLMENT_CONFIRMATION = "FULFILLMENT_CONFIRMATION"
    DIGITAL_LINKS = "DIGITAL_LINKS"

    class Meta:
        description = "An enumeration."


# Saleor's OrderEventsEnum, and Union Mall's ALLOCATION_RELEASED (the stock an order held went back) and
# ORDER_GRANTED_REFUND (staff granted a refund). tests/orders checks every OrderEventType is here.
ORDER_EVENT_NAMES = [
    "DRAFT_CREATED",
    "DRAFT_CREATED_FROM_REPLACE",
    "ADDED_PRODUCTS",
    "REMOVED_PRODUCTS",
    "PLACED",
    "PLACED_FROM_DRAFT",
    "PLACED_AUTOMATICALLY_FROM_PAID_CHECKOUT",
    "OVERSOLD_ITEMS",
    "CANCELED",
    "EXPIRED",
    "ORDER_MARKED_AS_PAID",
    "ORDER_FULLY_PAID",
    "ORDER_REPLACEMENT_CREATED",
    "ORDER_DISCOUNT_ADDED",
    "ORDER_DISCOUNT_AUTOMATICALLY_UPDATED",
    "ORDER_DISCOUNT_UPDATED",
    "ORDER_DISCOUNT_DELETED",
    "ORDER_LINE_DISCOUNT_UPDATED",
    "ORDER_LINE_DISCOUNT_REMOVED",
    "ORDER_LINE_PRODUCT_DELETED",
    "ORDER_LINE_VARIANT_DELETED",
    "UPDATED_ADDRESS",
    "EMAIL_SENT",
    "CONFIRMED",
    "PAYMENT_AUTHORIZED",
    "PAYMENT_CAPTURED",
    "EXTERNAL_SERVICE_NOTIFICATION",
    "PAYMENT_REFUNDED",
    "PAYMENT_VOIDED",
    "PAYMENT_FAILED",
    "TRANSACTION_EVENT",
    "TRANSACTION_CHARGE_REQUESTED",
    "TRANSACTION_REFUND_REQUESTED",
    "TRANSACTION_CANCEL_REQUESTED",
    "TRANSACTION_MARK_AS_PAID_FAILED",
    "INVOICE_REQUESTED",
    "INVOICE_GENERATED",
    "INVOICE_UPDATED",
    "INVOICE_SENT",
    "FULFILLMENT_CANCELED",
    "FULFILLMENT_RESTOCKED_ITEMS",
    "FULFILLMENT_FULFILLED_ITEMS",
    "FULFILLMENT_REFUNDED",
    "FULFILLMENT_RETURNED",
    "FULFILLMENT_REPLACED",
    "FULFILLMENT_AWAITS_APPROVAL",
    "TRACKING_UPDATED",
    "NOTE_ADDED",
    "NOTE_UPDATED",
    "OTHER",
    "ALLOCATION_RELEASED",
    "ORDER_GRANTED_REFUND",
]
OrderEventsEnum = graphene.Enum(
    "OrderEventsEnum",
    [(name, name) for name in ORDER_EVENT_NAMES],
    description="The different order event types. Union Mall adds ALLOCATION_RELEASED (the stock the order "
    "held was given back: the order was canceled or expired) and ORDER_GRANTED_REFUND (staff granted a refund).",
)


class OrderStatusFilter(graphene.Enum):
    """Saleor's, and EXPIRED (unpaid orders past their payment deadline)."""

    READY_TO_FULFILL = "READY_TO_FULFILL"
    READY_TO_CAPTURE = "READY_TO_CAPTURE"
    UNFULFILLED = "UNFULFILLED"
    UNCONFIRMED = "UNCONFIRMED"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    FULFILLED = "FULFILLED"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"

    class Meta:
        description = "An enumeration."


class OrderSortField(graphene.Enum):
    NUMBER = "NUMBER"
    RANK = "RANK"
    CREATION_DATE = "CREATION_DATE"
    CREATED_AT = "CREATED_AT"
    LAST_MODIFIED_AT = "LAST_MODIFIED_AT"
    CUSTOMER = "CUSTOMER"
    PAYMENT = "PAYMENT"
    FULFILLMENT_STATUS = "FULFILLMENT_STATUS"

    class Meta:
        description = "An enumeration."
