"""Payment types, named and shaped as Saleor 3.21's: TransactionItem, TransactionEvent,
PaymentGatewayConfig, OrderGrantedRefund and the payment mutations' error types."""

import graphene
from graphene import relay

from accounts.graphql.types import User
from mall.graphql.ids import to_global_id
from mall.graphql.mutations import error_type
from mall.graphql.types import Money
from mall.money import Money as MoneyValue
from mall.permissions import has_permissions
from payments.graphql import enums
from payments.graphql.dataloaders import EventsByTransactionIdLoader
from payments.graphql.scalars import JSON
from payments.selectors import ORDER_PAYMENT_STAFF, refundable_amount


def _money(amount, currency) -> MoneyValue:
    return MoneyValue(amount, currency)


def _creator_visible(info, user):
    """Who acted is shown to payment staff and to that person only: shoppers never see staff names."""
    if user is None:
        return None
    requestor = info.context.user
    if requestor.is_authenticated and requestor.pk == user.pk:
        return user
    return user if has_permissions(requestor, ORDER_PAYMENT_STAFF) else None


class UserOrApp(graphene.Union):
    """Represents a user or an app. The mall has no apps: it is always a User."""

    class Meta:
        types = (User,)

    @classmethod
    def resolve_type(cls, instance, info):
        return User


class TransactionEvent(graphene.ObjectType):
    created_at = graphene.DateTime(required=True)
    psp_reference = graphene.String(required=True, description="PSP reference of transaction.")
    message = graphene.String(required=True, description="Message related to the transaction's event.")
    external_url = graphene.String(
        required=True,
        description="The url that will allow to redirect user to payment provider page with transaction details.",
    )
    amount = graphene.Field(Money, required=True, description="The amount related to this event.")
    type = graphene.Field(enums.TransactionEventTypeEnum, description="The type of action related to this event.")
    created_by = graphene.Field(UserOrApp, description="User or App that created the transaction event.")
    idempotency_key = graphene.String(description="Idempotency key assigned to the event.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents transaction's event."

    @staticmethod
    def resolve_type(root, _info):
        return str(root.type)  # a fresh row holds the TextChoices member, a read one the plain value

    @staticmethod
    def resolve_amount(root, _info):
        return _money(root.amount_value, root.currency)

    @staticmethod
    def resolve_created_by(root, info):
        return _creator_visible(info, root.created_by)

    @staticmethod
    def resolve_idempotency_key(root, _info):
        return root.idempotency_key or None


def available_actions(item) -> list[str]:
    """What staff can still ask of this payment: refund what was charged, cancel what was not paid."""
    actions = []
    if item.psp_reference and refundable_amount(item) > 0:
        actions.append(enums.TransactionActionEnum.REFUND.value)
    if item.psp_reference and item.amount_charged == 0 and item.amount_canceled == 0:
        actions.append(enums.TransactionActionEnum.CANCEL.value)
    return actions


class TransactionItem(graphene.ObjectType):
    token = graphene.UUID(required=True, description="The transaction token.")
    created_at = graphene.DateTime(required=True)
    modified_at = graphene.DateTime(required=True)
    actions = graphene.List(
        graphene.NonNull(enums.TransactionActionEnum),
        required=True,
        description="List of actions that can be performed in the current state of a payment.",
    )
    available_actions = graphene.List(
        graphene.NonNull(enums.TransactionActionEnum),
        required=True,
        deprecation_reason="Use `actions`, Saleor's name.",
    )
    authorized_amount = graphene.Field(Money, required=True, description="Total amount authorized for this payment.")
    authorize_pending_amount = graphene.Field(
        Money, required=True, description="Total amount of ongoing authorization requests for the transaction."
    )
    refunded_amount = graphene.Field(Money, required=True, description="Total amount refunded for this payment.")
    refund_pending_amount = graphene.Field(
        Money, required=True, description="Total amount of ongoing refund requests for the transaction."
    )
    canceled_amount = graphene.Field(Money, required=True, description="Total amount canceled for this payment.")
    cancel_pending_amount = graphene.Field(
        Money, required=True, description="Total amount of ongoing cancel requests for the transaction."
    )
    charged_amount = graphene.Field(
        Money,
        required=True,
        description="Total amount charged for this payment. As in Saleor, money refunded (or being refunded) "
        "moves from here to `refundedAmount` (`refundPendingAmount`).",
    )
    charge_pending_amount = graphene.Field(
        Money, required=True, description="Total amount of ongoing charge requests for the transaction."
    )
    name = graphene.String(required=True, description="Name of the transaction.")
    message = graphene.String(required=True, description="Message related to the transaction.")
    psp_reference = graphene.String(required=True, description="PSP reference of transaction.")
    events = graphene.List(
        graphene.NonNull(TransactionEvent), required=True, description="List of all transaction's events."
    )
    external_url = graphene.String(
        required=True,
        description="The url that will allow to redirect user to payment provider page with transaction details.",
    )
    created_by = graphene.Field(UserOrApp, description="User or App that created the transaction.")
    order = graphene.Field("orders.graphql.types.Order", description="The related order.")
    checkout = graphene.Field("checkout.graphql.types.Checkout", description="The related checkout.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents a payment transaction."

    @staticmethod
    def resolve_order(root, info):
        # Whoever may read a payment may read what it paid for: its owner or payment staff.
        from orders.graphql.dataloaders import OrderByIdLoader, register_orders

        if root.order_id is None:
            return None
        order = OrderByIdLoader(info.context).load(root.order_id)
        register_orders(info.context, [order] if order else [])
        return order

    @staticmethod
    def resolve_checkout(root, info):
        from checkout.graphql.dataloaders import CheckoutByTokenLoader, register_checkouts

        if root.checkout_id is None:
            return None
        checkout = CheckoutByTokenLoader(info.context).load(root.checkout_id)
        register_checkouts(info.context, [checkout])
        return checkout

    @staticmethod
    def resolve_id(root, _info):
        return root.token

    @staticmethod
    def resolve_actions(root, _info):
        return available_actions(root)

    @staticmethod
    def resolve_available_actions(root, _info):
        return available_actions(root)

    @staticmethod
    def resolve_authorized_amount(root, _info):
        return _money(root.amount_authorized, root.currency)

    @staticmethod
    def resolve_authorize_pending_amount(root, _info):
        return _money(0, root.currency)

    @staticmethod
    def resolve_refunded_amount(root, _info):
        return _money(root.amount_refunded, root.currency)

    @staticmethod
    def resolve_refund_pending_amount(root, _info):
        return _money(root.amount_refund_pending, root.currency)

    @staticmethod
    def resolve_canceled_amount(root, _info):
        return _money(root.amount_canceled, root.currency)

    @staticmethod
    def resolve_cancel_pending_amount(root, _info):
        return _money(0, root.currency)

    @staticmethod
    def resolve_charged_amount(root, _info):
        return _money(root.amount_charged - root.amount_refunded - root.amount_refund_pending, root.currency)

    @staticmethod
    def resolve_charge_pending_amount(root, _info):
        return _money(root.amount_charge_pending, root.currency)

    @staticmethod
    def resolve_events(root, info):
        return EventsByTransactionIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_external_url(root, _info):
        return ""

    @staticmethod
    def resolve_created_by(root, info):
        return _creator_visible(info, root.user)


PaymentGatewayConfigError = error_type(
    "PaymentGatewayConfigError",
    enums.PaymentGatewayConfigErrorCode,
    description="Error of one payment gateway's configuration.",
)


class PaymentGatewayConfig(graphene.ObjectType):
    id = graphene.String(required=True, description="The app identifier.")
    data = JSON(description="The JSON data required to initialize the payment gateway.")
    errors = graphene.List(graphene.NonNull(PaymentGatewayConfigError))

    class Meta:
        description = "Payment gateway client configuration."


class OrderGrantedRefundLine(graphene.ObjectType):
    quantity = graphene.Int(required=True, description="Number of items to refund.")
    reason = graphene.String(description="Reason for refunding the line.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents granted refund line."


class OrderGrantedRefund(graphene.ObjectType):
    created_at = graphene.DateTime(required=True, description="Time of creation.")
    updated_at = graphene.DateTime(required=True, description="Time of last update.")
    amount = graphene.Field(Money, required=True, description="Refund amount (card and allowance parts together).")
    reason = graphene.String(description="Reason of the refund.")
    user = graphene.Field(User, description="User who performed the action.")
    shipping_costs_included = graphene.Boolean(
        required=True, description="If true, the refunded amount includes the shipping price."
    )
    lines = graphene.List(graphene.NonNull(OrderGrantedRefundLine), description="Lines assigned to the granted refund.")
    status = graphene.Field(
        enums.OrderGrantedRefundStatusEnum,
        required=True,
        description="Status of the granted refund: the mall carries a grant out at once, so this says how "
        "its card refund went (SUCCESS, PENDING at Stripe, FAILURE: retry with "
        "transactionRequestRefundForGrantedRefund).",
    )
    transaction_events = graphene.List(
        graphene.NonNull(TransactionEvent), description="List of refund events associated with the granted refund."
    )
    transaction = graphene.Field(TransactionItem, description="The transaction assigned to the granted refund.")

    class Meta:
        interfaces = (relay.Node,)
        description = "The details of granted refund."

    @staticmethod
    def resolve_amount(root, _info):
        return _money(root.amount, root.currency)

    @staticmethod
    def resolve_status(root, _info):
        return str(root.status)

    @staticmethod
    def resolve_user(root, info):
        return _creator_visible(info, root.user)

    @staticmethod
    def resolve_lines(root, _info):
        return list(root.lines.all())

    @staticmethod
    def resolve_transaction_events(root, _info):
        return list(root.transaction_events.select_related("created_by"))

    @staticmethod
    def resolve_transaction(root, _info):
        return root.transaction_item


# --- Error types -------------------------------------------------------------------------------
def _errors(name: str, codes, description: str, **extra):
    return error_type(name, codes, description=description, **extra)


PaymentGatewayInitializeError = _errors(
    "PaymentGatewayInitializeError", enums.PaymentGatewayInitializeErrorCode, "Error of paymentGatewayInitialize."
)
TransactionInitializeError = _errors(
    "TransactionInitializeError", enums.TransactionInitializeErrorCode, "Error of transactionInitialize."
)
TransactionProcessError = _errors(
    "TransactionProcessError", enums.TransactionProcessErrorCode, "Error of transactionProcess."
)
TransactionRequestActionError = _errors(
    "TransactionRequestActionError", enums.TransactionRequestActionErrorCode, "Error of transactionRequestAction."
)
TransactionRequestRefundForGrantedRefundError = _errors(
    "TransactionRequestRefundForGrantedRefundError",
    enums.TransactionRequestRefundForGrantedRefundErrorCode,
    "Error of transactionRequestRefundForGrantedRefund.",
)


class OrderGrantRefundCreateLineError(graphene.ObjectType):
    field = graphene.String(description="Name of a field that caused the error.")
    message = graphene.String(description="The error message.")
    code = graphene.Field(graphene.NonNull(enums.OrderGrantRefundCreateLineErrorCode), description="The error code.")
    line_id = graphene.ID(required=True, description="The ID of the line related to the error.")

    class Meta:
        description = "Error of one line of orderGrantRefundCreate."

    @staticmethod
    def resolve_line_id(root, _info):
        return to_global_id("OrderLine", root["line_id"])


OrderGrantRefundCreateError = _errors(
    "OrderGrantRefundCreateError",
    enums.OrderGrantRefundCreateErrorCode,
    "Error of orderGrantRefundCreate.",
    lines=graphene.List(
        graphene.NonNull(OrderGrantRefundCreateLineError), description="List of lines which cause the error."
    ),
)
