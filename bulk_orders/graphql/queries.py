"""Root query fields about bulk orders: one, a page of them, and the compliance check of one."""

import graphene

from branches.models import UnionBranch as UnionBranchModel
from bulk_orders.graphql.types import (
    BulkOrder,
    BulkOrderCompliance,
    BulkOrderCountableConnection,
    BulkOrderStatusEnum,
    _findings,
    bulk_order_by_global_id,
    compliance_result,
    register_bulk_orders,
    visible_bulk_orders,
)
from mall.graphql.ids import from_global_id_or_error
from mall.graphql.pagination import connection_field, paginate


class BulkOrderQueries(graphene.ObjectType):
    bulk_order = graphene.Field(
        BulkOrder,
        id=graphene.ID(required=True, description="ID of the bulk order."),
        description="Union Mall extension: look up a bulk order; null when it does not exist or the requestor "
        "does not see its branch.",
    )
    bulk_orders = connection_field(
        BulkOrderCountableConnection,
        description="Union Mall extension: bulk orders of the branches the requestor sees (its staff and those "
        "above it, operators), newest first.",
        branch=graphene.ID(description="Only this branch's bulk orders (not those of branches below it)."),
        status=BulkOrderStatusEnum(description="Only bulk orders in this status."),
    )
    bulk_order_compliance_check = graphene.Field(
        BulkOrderCompliance,
        id=graphene.ID(required=True, description="ID of the bulk order."),
        description="Union Mall extension: run a bulk order's compliance check now, as submitting would.",
    )

    @staticmethod
    def resolve_bulk_order(_root, info, id):
        return bulk_order_by_global_id(info, id)

    @staticmethod
    def resolve_bulk_orders(_root, info, branch=None, status=None, **args):
        queryset = visible_bulk_orders(info).select_related("branch", "created_by", "order")
        if branch is not None:
            queryset = queryset.filter(branch=from_global_id_or_error(branch, UnionBranchModel.__name__))
        if status is not None:
            queryset = queryset.filter(status=getattr(status, "value", status))
        connection = paginate(
            queryset, info, args, ordering=["-number", "pk"], connection_type=BulkOrderCountableConnection
        )
        register_bulk_orders(info.context, [edge.node for edge in connection.edges])
        return connection

    @staticmethod
    def resolve_bulk_order_compliance_check(_root, info, id):
        bulk_order = bulk_order_by_global_id(info, id)
        return None if bulk_order is None else compliance_result(_findings(info, bulk_order))
