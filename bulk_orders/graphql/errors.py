"""The bulk order error type (`BulkOrderError`) and its codes, shared by every bulk order mutation
(workflow, lines, recipient imports). `row` and `column` point into an uploaded recipient list."""

import graphene

from mall.graphql.mutations import error_type

BULK_ORDER_ERROR_CODES = [
    "GRAPHQL_ERROR",
    "INVALID",
    "NOT_FOUND",
    "REQUIRED",
    "UNIQUE",
    "PERMISSION_DENIED",
    "INVALID_STATUS",
    "NO_LINES",
    "UNKNOWN_SKU",
    "PRODUCT_NOT_PUBLISHED",
    "INVALID_QUANTITY",
    "COMPLIANCE_FAILED",
    "SELF_APPROVAL",
    "INSUFFICIENT_STOCK",
    "INVALID_PHONE",
    "INVALID_ADDRESS",
    "DUPLICATED_ROW",
    "TOO_MANY_ROWS",
    "INVALID_FILE",
]
BulkOrderErrorCode = graphene.Enum("BulkOrderErrorCode", [(code, code.lower()) for code in BULK_ORDER_ERROR_CODES])

BulkOrderError = error_type(
    "BulkOrderError",
    BulkOrderErrorCode,
    description="Represents errors in bulk order mutations.",
    row=graphene.Int(description="The recipient list row (1-based, as the spreadsheet numbers it) at fault."),
    column=graphene.String(description="The recipient list column at fault."),
    skus=graphene.List(graphene.NonNull(graphene.String), description="SKUs the error concerns."),
)
