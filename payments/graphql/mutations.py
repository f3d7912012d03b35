"""Saleor's payment mutations: each resolves its IDs and calls payments.services."""

import uuid

import graphene
from graphql_relay import from_global_id

from checkout.models import Checkout
from mall.errors import DomainError
from mall.graphql.ids import from_global_id_or_error
from mall.graphql.mutations import BaseMutation, error_type
from mall.graphql.types import enum_name
from mall.permissions import PermissionEnum
from orders.models import GrantedRefundStatus, Order
from orders.models import OrderGrantedRefund as OrderGrantedRefundModel
from payments import services
from payments.gateway import gateway_configs
from payments.graphql import enums
from payments.graphql.scalars import JSON, PositiveDecimal
from payments.graphql.types import (
    OrderGrantedRefund,
    OrderGrantRefundCreateError,
    PaymentGatewayConfig,
    PaymentGatewayInitializeError,
    TransactionEvent,
    TransactionInitializeError,
    TransactionItem,
    TransactionProcessError,
    TransactionRequestActionError,
    TransactionRequestRefundForGrantedRefundError,
)
from payments.models import TransactionItem as TransactionItemModel
from payments.refunds import record_transfer_refund
from payments.selectors import may_read_transaction, not_found, require_payment_access


def uuid_from_global_id(global_id: str, type_names: tuple[str, ...], *, field: str) -> tuple[str, uuid.UUID]:
    """(type name, UUID) of a Relay ID naming one of `type_names` whose primary key is a UUID."""
    try:
        type_name, raw = from_global_id(global_id or "")
        return_type = type_name if type_name in type_names else None
        value = uuid.UUID(raw)
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise DomainError(f"Couldn't resolve id: {global_id}.", field=field, code="GRAPHQL_ERROR") from error
    if return_type is None:
        raise DomainError(f"Must receive a {' or '.join(type_names)} id.", field=field, code="GRAPHQL_ERROR")
    return return_type, value


def checkout_or_order(global_id: str, *, field: str = "id"):
    """The checkout or order a Relay ID names: (checkout, None) or (None, order)."""
    type_name, pk = uuid_from_global_id(global_id, ("Checkout", "Order"), field=field)
    if type_name == "Checkout":
        checkout = Checkout.objects.filter(pk=pk).first()
        if checkout is None:
            raise not_found(field)
        return checkout, None
    order = Order.objects.filter(pk=pk).first()
    if order is None:
        raise not_found(field)
    return None, order


def transaction_from(info, id=None, token=None, *, field: str = "id") -> TransactionItemModel:
    """The transaction named by `id` or `token`, if the requestor may see it."""
    if bool(id) == bool(token):
        raise DomainError("Either `id` or `token` is required.", field=field, code="INVALID")
    pk = token if token else uuid_from_global_id(id, ("TransactionItem",), field=field)[1]
    item = TransactionItemModel.objects.select_related("order", "checkout").filter(pk=pk).first()
    if item is None or not may_read_transaction(info.context.user, item):
        raise DomainError(f"Couldn't resolve to a node: {id or token}", field=field, code="NOT_FOUND")
    return item


class PaymentGatewayToInitialize(graphene.InputObjectType):
    id = graphene.String(required=True, description="The identifier of the payment gateway app to initialize.")
    data = JSON(description="The data that will be passed to the payment gateway.")


class PaymentGatewayInitialize(BaseMutation):
    """Initializes a payment gateway session: for Stripe, its publishable key."""

    gateway_configs = graphene.List(
        graphene.NonNull(PaymentGatewayConfig), description="List of payment gateway configurations."
    )

    class Arguments:
        id = graphene.ID(required=True, description="ID of the checkout or order.")
        amount = PositiveDecimal(description="The amount requested for initializing the payment gateway.")
        payment_gateways = graphene.List(
            graphene.NonNull(PaymentGatewayToInitialize), description="List of payment gateways to initialize."
        )

    class Meta:
        error_type_class = PaymentGatewayInitializeError

    @classmethod
    def perform_mutation(cls, _root, info, id, amount=None, payment_gateways=None):
        checkout, order = checkout_or_order(id)
        require_payment_access(info.context.user, checkout=checkout, order=order)
        if amount is not None and amount <= 0:
            raise DomainError("金额必须大于 0。", field="amount", code="INVALID")
        requested = [gateway["id"] for gateway in payment_gateways] if payment_gateways else None
        return cls(gateway_configs=gateway_configs(requested))


class TransactionInitialize(BaseMutation):
    """Initializes a transaction session: creates a Stripe PaymentIntent for the checkout or order.
    Errors of the payment method or of Stripe come back in `data`, as from Saleor's Stripe app."""

    transaction = graphene.Field(TransactionItem, description="The initialized transaction.")
    transaction_event = graphene.Field(
        TransactionEvent, description="The event created for the initialized transaction."
    )
    data = JSON(description="The JSON data for the storefront: {paymentIntent: {stripeClientSecret}}.")

    class Arguments:
        id = graphene.ID(required=True, description="The ID of the checkout or order.")
        amount = PositiveDecimal(
            description="The amount requested for initializing the payment gateway. If not provided, what is "
            "still owed: the checkout's or order's total less what its transactions already hold."
        )
        action = enums.TransactionFlowStrategyEnum(
            description="The expected action called for the transaction. Only CHARGE is supported."
        )
        payment_gateway = graphene.Argument(
            PaymentGatewayToInitialize, required=True, description="Payment gateway used to initialize the transaction."
        )
        idempotency_key = graphene.String(description="The idempotency key assigned to the action.")
        customer_ip_address = graphene.String(description="The customer's IP address (not sent to Stripe).")

    class Meta:
        error_type_class = TransactionInitializeError

    @classmethod
    def perform_mutation(cls, _root, info, id, payment_gateway, amount=None, action=None, idempotency_key=None, **_):
        checkout, order = checkout_or_order(id)
        require_payment_access(info.context.user, checkout=checkout, order=order)
        if payment_gateway["id"] != services.STRIPE_GATEWAY:
            raise DomainError(
                f"Active app with `{payment_gateway['id']}` identifier not found.",
                field="paymentGateway",
                code="NOT_FOUND",
            )
        item, event, data = services.initialize_transaction(
            checkout=checkout,
            order=order,
            amount=amount,
            data=payment_gateway.get("data"),
            user=info.context.user,
            idempotency_key=idempotency_key,
            action=enum_name(action),
        )
        return cls(transaction=item, transaction_event=event, data=data)


class TransactionProcess(BaseMutation):
    """Processes a transaction session: asks Stripe how the payment stands and records it."""

    transaction = graphene.Field(TransactionItem, description="The processed transaction.")
    transaction_event = graphene.Field(TransactionEvent, description="The event created for the processed transaction.")
    data = JSON(description="The JSON data for the storefront: {paymentIntent: {stripeClientSecret}}.")

    class Arguments:
        id = graphene.ID(description="The ID of the transaction to process.")
        token = graphene.UUID(description="The token of the transaction to process.")
        data = JSON(description="The data that will be passed to the payment gateway (unused by Stripe).")
        customer_ip_address = graphene.String(description="The customer's IP address (not sent to Stripe).")

    class Meta:
        error_type_class = TransactionProcessError

    @classmethod
    def perform_mutation(cls, _root, info, id=None, token=None, **_):
        item = transaction_from(info, id, token)
        item, event, data = services.process_transaction(item, user=info.context.user)
        return cls(transaction=item, transaction_event=event, data=data)


class TransactionRequestAction(BaseMutation):
    """Request an action for payment transaction: REFUND charged money, CANCEL a payment not yet made."""

    transaction = graphene.Field(TransactionItem)

    class Arguments:
        id = graphene.ID(description="The ID of the transaction.")
        token = graphene.UUID(description="The token of the transaction.")
        action_type = enums.TransactionActionEnum(required=True, description="Determines the action type.")
        amount = PositiveDecimal(
            description="Transaction request amount. If empty for refund, all that can be refunded is refunded."
        )

    class Meta:
        permissions = (PermissionEnum.HANDLE_PAYMENTS, PermissionEnum.MANAGE_ORDERS)
        error_type_class = TransactionRequestActionError

    @classmethod
    def perform_mutation(cls, _root, info, action_type, id=None, token=None, amount=None):
        item = transaction_from(info, id, token)
        action = enum_name(action_type)
        user = info.context.user
        if action == enums.TransactionActionEnum.REFUND.value:
            item = services.refund_transaction(item, amount=amount, by=user)
        elif action == enums.TransactionActionEnum.CANCEL.value:
            item = services.cancel_transaction(item, by=user)
        else:
            raise DomainError("本商城不做预授权，没有待扣款的金额。", field="actionType", code="INVALID")
        return cls(transaction=item)


class OrderGrantRefundCreateLineInput(graphene.InputObjectType):
    id = graphene.ID(required=True, description="The ID of the order line.")
    quantity = graphene.Int(required=True, description="The quantity of line items to be marked to refund.")
    reason = graphene.String(description="Reason of the granted refund for the line.")


class OrderGrantRefundCreateInput(graphene.InputObjectType):
    amount = graphene.Decimal(
        description="Amount of the granted refund (card and allowance together). If not provided, the value of "
        "`lines` plus shipping when `grantRefundForShipping`, capped at what can still be refunded."
    )
    reason = graphene.String(description="Reason of the granted refund.")
    lines = graphene.List(
        graphene.NonNull(OrderGrantRefundCreateLineInput), description="Lines to assign to granted refund."
    )
    grant_refund_for_shipping = graphene.Boolean(
        description="Determine if granted refund should include shipping costs."
    )
    transaction_id = graphene.ID(
        description="The transaction whose card money is refunded. Saleor 3.21 requires it; the mall accepts "
        "none (all charged transactions, oldest first), which an order paid wholly by allowance needs."
    )


class OrderGrantRefundCreate(BaseMutation):
    """Adds granted refund to the order and carries it out at once: the card part through a Stripe
    Refund, the allowance part back to the member's ledger."""

    order = graphene.Field("orders.graphql.types.Order", description="Order which has assigned new grant refund.")
    granted_refund = graphene.Field(OrderGrantedRefund, description="The created granted refund.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order.")
        input = OrderGrantRefundCreateInput(
            required=True, description="Fields required to create a granted refund for the order."
        )

    class Meta:
        permissions = (PermissionEnum.MANAGE_ORDERS,)
        error_type_class = OrderGrantRefundCreateError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        _type, pk = uuid_from_global_id(id, ("Order",), field="id")
        order = Order.objects.filter(pk=pk).first()
        if order is None:
            raise not_found("id")
        lines = [
            {
                "line": uuid_from_global_id(line["id"], ("OrderLine",), field="lines")[1],
                "quantity": line["quantity"],
                "reason": line.get("reason") or "",
            }
            for line in input.get("lines") or []
        ]
        chosen = None
        if input.get("transaction_id"):
            chosen = transaction_from(info, input["transaction_id"], field="transactionId")
        granted = services.refund(
            order,
            amount=input.get("amount"),
            by=info.context.user,
            reason=input.get("reason") or "",
            lines=lines,
            grant_shipping=bool(input.get("grant_refund_for_shipping")),
            transaction_item=chosen,
        )
        order.refresh_from_db()
        return cls(order=order, granted_refund=granted)


class TransactionRequestRefundForGrantedRefund(BaseMutation):
    """Carries out a granted refund whose card refund failed (the mall carries out new grants at once)."""

    transaction = graphene.Field(TransactionItem)

    class Arguments:
        granted_refund_id = graphene.ID(required=True, description="The ID of the granted refund.")
        transaction_id = graphene.ID(description="The ID of the transaction (must be the grant's, if given).")

    class Meta:
        permissions = (PermissionEnum.MANAGE_ORDERS,)
        error_type_class = TransactionRequestRefundForGrantedRefundError

    @classmethod
    def perform_mutation(cls, _root, info, granted_refund_id, transaction_id=None):
        pk = from_global_id_or_error(granted_refund_id, "OrderGrantedRefund")
        granted = OrderGrantedRefundModel.objects.filter(pk=pk).first()
        if granted is None:
            raise DomainError("找不到这笔退款。", field="grantedRefundId", code="NOT_FOUND")
        if transaction_id:
            chosen = transaction_from(info, transaction_id, field="transactionId")
            if granted.transaction_item_id not in (None, chosen.pk):
                raise DomainError("这笔支付不属于该退款。", field="transactionId", code="INVALID")
        if granted.status == GrantedRefundStatus.SUCCESS:
            raise DomainError("这笔退款已完成。", field="grantedRefundId", code="REFUND_ALREADY_PROCESSED")
        if granted.status == GrantedRefundStatus.PENDING:
            raise DomainError("这笔退款正在处理中。", field="grantedRefundId", code="REFUND_IS_PENDING")
        granted = services.execute_granted_refund(granted, by=info.context.user)
        return cls(transaction=granted.transaction_item)


TRANSFER_REFUND_ERROR_CODES = [
    "GRAPHQL_ERROR",
    "NOT_FOUND",
    "REQUIRED",
    "INVALID",
    "UNIQUE",
    "AMOUNT_GREATER_THAN_AVAILABLE",
]
OrderTransferRefundRecordErrorCode = graphene.Enum(
    "OrderTransferRefundRecordErrorCode", [(code, code.lower()) for code in TRANSFER_REFUND_ERROR_CODES]
)
OrderTransferRefundRecordError = error_type(
    "OrderTransferRefundRecordError",
    OrderTransferRefundRecordErrorCode,
    description="Error of orderTransferRefundRecord.",
)


class OrderTransferRefundRecordInput(graphene.InputObjectType):
    bank_reference = graphene.String(required=True, description="The refund's bank reference (银行流水号).")
    amount = graphene.Decimal(
        description="What the bank gave back. If not provided: the value of `lines`, or for an overpayment the "
        "whole amount paid beyond the order's total."
    )
    reason = graphene.String(description="Reason of the refund.")
    lines = graphene.List(graphene.NonNull(OrderGrantRefundCreateLineInput), description="Lines refunded.")
    overpayment = graphene.Boolean(
        default_value=False,
        description="Giving back money paid beyond the order's total (no refund is granted on the order).",
    )


class OrderTransferRefundRecord(BaseMutation):
    """Union Mall extension: record a refund the federation's bank made on an order paid by bank transfer
    (对公转账退款): a granted refund carried out offline, or an overpayment given back. Requires
    MANAGE_ORDERS."""

    order = graphene.Field("orders.graphql.types.Order")
    granted_refund = graphene.Field(OrderGrantedRefund, description="The granted refund; null for an overpayment.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order.")
        input = OrderTransferRefundRecordInput(required=True)

    class Meta:
        permissions = (PermissionEnum.MANAGE_ORDERS,)
        error_type_class = OrderTransferRefundRecordError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):  # noqa: A002
        _type, pk = uuid_from_global_id(id, ("Order",), field="id")
        order = Order.objects.filter(pk=pk).first()
        if order is None:
            raise not_found("id")
        lines = [
            {
                "line": uuid_from_global_id(line["id"], ("OrderLine",), field="lines")[1],
                "quantity": line["quantity"],
                "reason": line.get("reason") or "",
            }
            for line in input.get("lines") or []
        ]
        granted = record_transfer_refund(
            order,
            amount=input.get("amount"),
            bank_reference=input["bank_reference"],
            reason=input.get("reason") or "",
            lines=lines,
            overpayment=bool(input.get("overpayment")),
            by=info.context.user,
        )
        order.refresh_from_db()
        return cls(order=order, granted_refund=granted)


class PaymentMutations(graphene.ObjectType):
    payment_gateway_initialize = PaymentGatewayInitialize.Field()
    payment_gateways_initialize = PaymentGatewayInitialize.Field(
        deprecation_reason="Use `paymentGatewayInitialize`, Saleor's name."
    )
    transaction_initialize = TransactionInitialize.Field()
    transaction_process = TransactionProcess.Field()
    transaction_request_action = TransactionRequestAction.Field()
    transaction_request_refund_for_granted_refund = TransactionRequestRefundForGrantedRefund.Field()
    order_grant_refund_create = OrderGrantRefundCreate.Field()
    order_transfer_refund_record = OrderTransferRefundRecord.Field()
