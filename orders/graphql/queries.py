"""Root query fields of orders, with Saleor 3.21's names, and the `orders` of a User."""

import graphene
from graphql import GraphQLError

from mall.errors import PermissionDenied
from mall.graphql.mutations import permission_denied_error
from mall.graphql.pagination import connection_field, paginate
from mall.graphql.types import OrderDirection, enum_name
from mall.permissions import PermissionEnum
from orders import selectors
from orders.graphql.dataloaders import UserByIdLoader, register_orders
from orders.graphql.enums import OrderChargeStatusEnum, OrderSortField, OrderStatusFilter, PaymentChargeStatusEnum
from orders.graphql.types import Order, OrderCountableConnection, uuid_from_global_id

ORDERINGS = {
    "NUMBER": ["number", "pk"],
    "RANK": ["number", "pk"],
    "CREATION_DATE": ["created_at", "pk"],
    "CREATED_AT": ["created_at", "pk"],
    "LAST_MODIFIED_AT": ["updated_at", "pk"],
    "CUSTOMER": ["user_email", "pk"],
    "PAYMENT": ["charge_status", "pk"],
    "FULFILLMENT_STATUS": ["status", "pk"],
}
NEWEST_FIRST = ["-number", "-pk"]


class DateTimeRangeInput(graphene.InputObjectType):
    gte = graphene.DateTime(description="Start date.")
    lte = graphene.DateTime(description="End date.")


class OrderFilterInput(graphene.InputObjectType):
    payment_status = graphene.List(graphene.NonNull(PaymentChargeStatusEnum))
    status = graphene.List(graphene.NonNull(OrderStatusFilter))
    customer = graphene.String()
    created = graphene.Field(DateTimeRangeInput)
    search = graphene.String()
    charge_status = graphene.List(graphene.NonNull(OrderChargeStatusEnum))
    numbers = graphene.List(graphene.NonNull(graphene.String))
    ids = graphene.List(graphene.NonNull(graphene.ID))


class OrderSortingInput(graphene.InputObjectType):
    direction = graphene.Argument(
        OrderDirection, required=True, description="Specifies the direction in which to sort orders."
    )
    field = graphene.Argument(OrderSortField, required=True, description="Sort orders by the selected field.")


def order_sort(sort_by) -> list[str]:
    if not sort_by:
        return NEWEST_FIRST
    columns = ORDERINGS[enum_name(sort_by["field"])]
    if enum_name(sort_by.get("direction")) == "DESC":
        return [f"-{column}" for column in columns]
    return list(columns)


def order_connection(info, queryset, args, *, ordering=NEWEST_FIRST):
    connection = paginate(queryset, info, args, ordering=ordering, connection_type=OrderCountableConnection)
    register_orders(info.context, [edge.node for edge in connection.edges])
    return connection


def resolve_user_orders(info, user, args):
    """`User.orders`: the user's own orders, for the user and for staff with MANAGE_ORDERS."""
    requestor = info.context.user
    if not (requestor.is_authenticated and (requestor.pk == user.pk or selectors.can_manage_orders(requestor))):
        raise permission_denied_error(PermissionDenied([PermissionEnum.MANAGE_ORDERS]))
    UserByIdLoader(info.context).prime(user.pk, user)
    return order_connection(info, selectors.orders_of(user), args)


def staff_orders(filter):
    filter = filter or {}
    created = filter.get("created") or {}
    search = (filter.get("search") or "").strip()
    numbers = list(filter.get("numbers") or [])
    if search.isdigit():
        numbers.append(search)
    ids = [uuid_from_global_id(value, "Order") for value in filter.get("ids") or []]
    return selectors.orders_for_staff(
        statuses=[enum_name(status) for status in filter.get("status") or []],
        payment_statuses=[enum_name(status) for status in filter.get("payment_status") or []],
        charge_statuses=[enum_name(status) for status in filter.get("charge_status") or []],
        customer=(filter.get("customer") or "").strip() or (search if search and not search.isdigit() else ""),
        numbers=numbers,
        ids=ids,
        created_from=created.get("gte"),
        created_to=created.get("lte"),
    )


class OrderQueries(graphene.ObjectType):
    order = graphene.Field(
        Order,
        id=graphene.ID(description="ID of an order."),
        external_reference=graphene.String(description="External ID of an order."),
        description="Look up an order by ID or external reference. Its owner sees their own orders; staff with "
        "MANAGE_ORDERS see every order.",
    )
    orders = connection_field(
        OrderCountableConnection,
        description="List of orders.\n\nRequires one of the following permissions: MANAGE_ORDERS.",
        filter=graphene.Argument(OrderFilterInput, description="Filtering options for orders."),
        search=graphene.String(description="Search order by number or customer."),
        sort_by=graphene.Argument(OrderSortingInput, description="Sort orders."),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
    )

    @staticmethod
    def resolve_order(_root, info, id=None, external_reference=None):
        if not id:
            if external_reference is not None:
                return None  # orders here have no external references
            raise GraphQLError("At least one of arguments is required: 'id', 'external_reference'.")
        user = info.context.user
        order = selectors.order_for(user, uuid_from_global_id(id, "Order"))
        if order is None:
            return None
        if order.user_id == user.pk:
            UserByIdLoader(info.context).prime(user.pk, user)
        return register_orders(info.context, [order])[0]

    @staticmethod
    def resolve_orders(_root, info, filter=None, search=None, sort_by=None, channel=None, **args):
        if not selectors.can_manage_orders(info.context.user):
            raise permission_denied_error(PermissionDenied([PermissionEnum.MANAGE_ORDERS]))
        filter = dict(filter or {})
        if search:
            filter["search"] = search
        orders = staff_orders(filter)
        if channel:
            orders = orders.filter(channel__slug=channel)
        return order_connection(info, orders, args, ordering=order_sort(sort_by))
