"""Order mutations, thin over orders.services: checkoutComplete, orderCancel, customerOrderCancel, orderFulfill,
orderFulfillmentUpdateTracking."""

import uuid

import graphene
from graphql import GraphQLError
from graphql_relay import from_global_id

from checkout.graphql.errors import CheckoutError
from mall.errors import AuthenticationRequired, DomainError
from mall.graphql.ids import from_global_id_or_error
from mall.graphql.mutations import BaseMutation
from mall.permissions import PermissionEnum
from orders import selectors, services
from orders.graphql.dataloaders import register_orders
from orders.graphql.errors import OrderError
from orders.graphql.types import Fulfillment, Order, uuid_from_global_id
from orders.models import Fulfillment as FulfillmentModel
from orders.models import Order as OrderModel


class MetadataInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(required=True, description="Value of a metadata item.")


def _checkout_token(id=None, checkout_id=None, token=None) -> uuid.UUID:
    """The checkout token named by exactly one of Saleor's three arguments."""
    given = [name for name, value in (("id", id), ("checkoutId", checkout_id), ("token", token)) if value]
    if len(given) != 1:
        raise DomainError(
            "Argument 'id' or 'checkoutId' or 'token' is required."
            if not given
            else "Use only one of 'id', 'checkoutId' or 'token'.",
            field=given[1] if len(given) > 1 else "id",
            code="GRAPHQL_ERROR",
        )
    if token:
        return token
    global_id = id or checkout_id
    try:
        type_name, raw = from_global_id(global_id)
        if type_name != "Checkout":
            raise ValueError(type_name)
        return uuid.UUID(raw)
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise DomainError(f"Couldn't resolve id: {global_id}.", field=given[0], code="GRAPHQL_ERROR") from error


def _order_payload(info, order):
    return register_orders(info.context, [order])[0] if order else None


class CheckoutComplete(BaseMutation):
    """Completes the checkout: places the order, holding its stock, to be paid within the payment hold
    (下单 then 支付). A checkout already completed gives the same order again."""

    order = graphene.Field(Order, description="Placed order.")
    confirmation_needed = graphene.Boolean(
        required=True,
        description="Set to true if payment needs to be confirmed before checkout is complete.",
    )
    confirmation_data = graphene.JSONString(
        description="Confirmation data used to process additional authorization steps."
    )

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        checkout_id = graphene.ID(description="The ID of the checkout. DEPRECATED: Use `id` instead.")
        token = graphene.UUID(description="Checkout token. DEPRECATED: Use `id` instead.")
        payment_data = graphene.JSONString(description="Client-side generated data required to finalize the payment.")
        redirect_url = graphene.String(
            description="URL of a view where users should be redirected to see the order details."
        )
        store_source = graphene.Boolean(
            default_value=False,
            description="Determines whether to store the payment source for future usage.",
        )
        metadata = graphene.List(
            graphene.NonNull(MetadataInput), description="Fields required to update the checkout metadata."
        )

    class Meta:
        error_type_class = CheckoutError

    @staticmethod
    def resolve_confirmation_needed(root, _info):
        return bool(root.confirmation_needed)

    @classmethod
    def perform_mutation(cls, _root, info, id=None, checkout_id=None, token=None, **_data):
        checkout_token = _checkout_token(id, checkout_id, token)
        order, _created = services.complete_checkout_by_token(checkout_token, user=info.context.user)
        return cls(order=_order_payload(info, order), confirmation_needed=False, confirmation_data=None)


class OrderCancel(BaseMutation):
    """Cancel an order: its stock, voucher use and welfare allowance go back. A paid order must be
    refunded in full first."""

    order = graphene.Field(Order, description="Canceled order.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of an order to cancel.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_ORDERS,)
        error_type_class = OrderError

    @classmethod
    def perform_mutation(cls, _root, info, id):
        order = _find_order(OrderModel.objects.all(), id)
        order = services.cancel_order(order, by=info.context.user)
        return cls(order=_order_payload(info, order))


class CustomerOrderCancel(BaseMutation):
    """Union Mall extension (Saleor has no such mutation): the signed-in customer cancels their own order
    while it is unpaid; its stock, voucher use and welfare allowance go back."""

    order = graphene.Field(Order, description="Canceled order.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the customer's order to cancel.")

    class Meta:
        error_type_class = OrderError

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = info.context.user
        if not user.is_authenticated:
            raise AuthenticationRequired()
        order = _find_order(selectors.orders_of(user), id)
        order = services.cancel_order(order, by=user)
        return cls(order=_order_payload(info, order))


def _find_order(queryset, global_id: str, field: str = "id") -> OrderModel:
    try:
        pk = uuid_from_global_id(global_id, "Order")
    except GraphQLError as error:
        raise DomainError(error.message, field=field, code="GRAPHQL_ERROR") from error
    order = queryset.filter(pk=pk).first()
    if order is None:
        raise DomainError(f"Couldn't resolve to a node: {global_id}", field=field, code="NOT_FOUND")
    return order


class OrderFulfillStockInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True, description="The number of line items to be fulfilled from given warehouse.")
    warehouse = graphene.ID(required=True, description="ID of the warehouse from which the item will be fulfilled.")


class OrderFulfillLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(description="The ID of the order line.")
    stocks = graphene.List(
        graphene.NonNull(OrderFulfillStockInput), required=True, description="List of stock items to create."
    )


class OrderFulfillInput(graphene.InputObjectType):
    lines = graphene.List(
        graphene.NonNull(OrderFulfillLineInput),
        required=True,
        description="List of items informing how to fulfill the order.",
    )
    notify_customer = graphene.Boolean(description="If true, send an email notification to the customer.")
    allow_stock_to_be_exceeded = graphene.Boolean(
        default_value=False, description="If true, then allow proceed fulfillment when stock is exceeded."
    )
    tracking_number = graphene.String(description="Fulfillment tracking number.")


def _fulfill_requests(lines) -> list[services.FulfillRequest]:
    requests = []
    for line in lines:
        try:
            line_id = uuid_from_global_id(line.get("order_line_id"), "OrderLine")
        except GraphQLError as error:
            raise DomainError(error.message, field="orderLineId", code="GRAPHQL_ERROR") from error
        for stock in line.get("stocks") or []:
            if stock["quantity"] == 0:
                continue  # as in Saleor, a zero quantity leaves that warehouse out
            try:
                warehouse_id = from_global_id_or_error(stock["warehouse"], "Warehouse")
            except GraphQLError as error:
                raise DomainError(error.message, field="warehouse", code="GRAPHQL_ERROR") from error
            requests.append(services.FulfillRequest(line_id, stock["quantity"], warehouse_id))
    if not requests:
        raise DomainError("Total quantity must be larger than 0.", field="lines", code="ZERO_QUANTITY")
    return requests


class OrderFulfill(BaseMutation):
    """Creates new fulfillments for an order: the units leave the warehouses named."""

    fulfillments = graphene.List(Fulfillment, description="List of created fulfillments.")
    order = graphene.Field(Order, description="Fulfilled order.")

    class Arguments:
        order = graphene.ID(description="ID of the order to be fulfilled.")
        input = OrderFulfillInput(required=True, description="Fields required to create a fulfillment.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_ORDERS,)
        error_type_class = OrderError

    @classmethod
    def perform_mutation(cls, _root, info, input, order=None):
        found = _find_order(OrderModel.objects.all(), order, field="order")
        fulfillment = services.fulfill_order(
            found,
            lines=_fulfill_requests(input.get("lines") or []),
            by=info.context.user,
            tracking_number=input.get("tracking_number") or "",
            notify_customer=input.get("notify_customer") is not False,
        )
        found.refresh_from_db()
        return cls(fulfillments=[fulfillment], order=_order_payload(info, found))


class FulfillmentUpdateTrackingInput(graphene.InputObjectType):
    tracking_number = graphene.String(description="Fulfillment tracking number.")
    notify_customer = graphene.Boolean(
        default_value=False, description="If true, send an email notification to the customer."
    )


class FulfillmentUpdateTracking(BaseMutation):
    """Updates a fulfillment's tracking number (Saleor's orderFulfillmentUpdateTracking)."""

    fulfillment = graphene.Field(Fulfillment, description="A fulfillment with updated tracking.")
    order = graphene.Field(Order, description="Order for which fulfillment was updated.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of a fulfillment to update.")
        input = FulfillmentUpdateTrackingInput(required=True, description="Fields required to update a fulfillment.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_ORDERS,)
        error_type_class = OrderError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):  # noqa: A002
        try:
            pk = from_global_id_or_error(id, "Fulfillment")
        except GraphQLError as error:
            raise DomainError(error.message, field="id", code="GRAPHQL_ERROR") from error
        fulfillment = FulfillmentModel.objects.filter(pk=pk).first()
        if fulfillment is None:
            raise DomainError(f"Couldn't resolve to a node: {id}", field="id", code="NOT_FOUND")
        fulfillment = services.update_tracking(
            fulfillment,
            tracking_number=input.get("tracking_number") or "",
            notify_customer=bool(input.get("notify_customer")),
            by=info.context.user,
        )
        return cls(fulfillment=fulfillment, order=_order_payload(info, fulfillment.order))


class OrderMutations(graphene.ObjectType):
    checkout_complete = CheckoutComplete.Field()
    order_cancel = OrderCancel.Field()
    customer_order_cancel = CustomerOrderCancel.Field()
    order_fulfill = OrderFulfill.Field()
    order_fulfillment_update_tracking = FulfillmentUpdateTracking.Field()
