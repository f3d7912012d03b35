"""Saleor 3.21's payment enums and error codes."""

import graphene

from payments.models import TransactionEventType

TransactionEventTypeEnum = graphene.Enum(
    "TransactionEventTypeEnum",
    [(choice, choice) for choice in TransactionEventType.values],
    description="Represents possible event types.",
)


class TransactionActionEnum(graphene.Enum):
    """Represents possible actions on payment transaction."""

    CHARGE = "CHARGE"
    REFUND = "REFUND"
    CANCEL = "CANCEL"


class TransactionFlowStrategyEnum(graphene.Enum):
    """Determine the transaction flow strategy. The mall charges at once (CHARGE) only."""

    AUTHORIZATION = "AUTHORIZATION"
    CHARGE = "CHARGE"


def _codes(name: str, *codes: str) -> type[graphene.Enum]:
    return graphene.Enum(name, [(code, code) for code in codes])


PaymentGatewayInitializeErrorCode = _codes("PaymentGatewayInitializeErrorCode", "GRAPHQL_ERROR", "INVALID", "NOT_FOUND")
PaymentGatewayConfigErrorCode = _codes("PaymentGatewayConfigErrorCode", "GRAPHQL_ERROR", "INVALID", "NOT_FOUND")
TransactionInitializeErrorCode = _codes(
    "TransactionInitializeErrorCode",
    "GRAPHQL_ERROR",
    "INVALID",
    "NOT_FOUND",
    "UNIQUE",
    "CHECKOUT_COMPLETION_IN_PROGRESS",
)
TransactionProcessErrorCode = _codes(
    "TransactionProcessErrorCode",
    "GRAPHQL_ERROR",
    "INVALID",
    "NOT_FOUND",
    "TRANSACTION_ALREADY_PROCESSED",
    "MISSING_PAYMENT_APP_RELATION",
    "MISSING_PAYMENT_APP",
    "CHECKOUT_COMPLETION_IN_PROGRESS",
)
TransactionRequestActionErrorCode = _codes(
    "TransactionRequestActionErrorCode",
    "INVALID",
    "REQUIRED",
    "GRAPHQL_ERROR",
    "NOT_FOUND",
    "MISSING_TRANSACTION_ACTION_REQUEST_WEBHOOK",
)
OrderGrantRefundCreateErrorCode = _codes(
    "OrderGrantRefundCreateErrorCode",
    "GRAPHQL_ERROR",
    "NOT_FOUND",
    "SHIPPING_COSTS_ALREADY_GRANTED",
    "AMOUNT_GREATER_THAN_AVAILABLE",
    "REQUIRED",
    "INVALID",
)
OrderGrantRefundCreateLineErrorCode = _codes(
    "OrderGrantRefundCreateLineErrorCode", "GRAPHQL_ERROR", "NOT_FOUND", "QUANTITY_GREATER_THAN_AVAILABLE"
)
TransactionRequestRefundForGrantedRefundErrorCode = _codes(
    "TransactionRequestRefundForGrantedRefundErrorCode",
    "INVALID",
    "GRAPHQL_ERROR",
    "NOT_FOUND",
    "AMOUNT_GREATER_THAN_AVAILABLE",
    "REFUND_ALREADY_PROCESSED",
    "REFUND_IS_PENDING",
    "MISSING_TRANSACTION_ACTION_REQUEST_WEBHOOK",
)


class OrderGrantedRefundStatusEnum(graphene.Enum):
    """Represents the status of a granted refund."""

    NONE = "NONE"
    PENDING = "PENDING"
    FAILURE = "FAILURE"
    SUCCESS = "SUCCESS"
