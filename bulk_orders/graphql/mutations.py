"""Bulk order mutations: each finds the bulk order among those the requestor sees (NOT_FOUND otherwise)
and calls a bulk_orders.services function, which checks the requestor's role in the branch."""

import graphene
from graphql import GraphQLError

from branches.graphql.types import scope_for
from branches.models import UnionBranch as UnionBranchModel
from bulk_orders import services
from bulk_orders.graphql.errors import BulkOrderError
from bulk_orders.graphql.types import BulkOrder, BulkOrderPaymentMethodEnum, bulk_order_by_global_id
from mall.errors import DomainError
from mall.graphql.ids import from_global_ids_or_error
from mall.graphql.mutations import BaseMutation


class BulkOrderMutation(BaseMutation):
    bulk_order = graphene.Field(BulkOrder, description="The bulk order.")

    class Meta:
        abstract = True

    @classmethod
    def get_bulk_order(cls, info, global_id):
        try:
            bulk_order = bulk_order_by_global_id(info, global_id)
        except Exception as error:  # a malformed ID
            raise DomainError(str(error), field="id", code="GRAPHQL_ERROR") from error
        if bulk_order is None:
            raise DomainError(f"Couldn't resolve to a node: {global_id}", field="id", code="NOT_FOUND")
        return bulk_order


class BulkOrderCreateInput(graphene.InputObjectType):
    branch = graphene.ID(required=True, description="ID of the branch union buying.")
    name = graphene.String(required=True, description="Name of the bulk order, e.g. 2026 年中秋慰问品.")
    note = graphene.String(description="A note.")


class BulkOrderCreate(BulkOrderMutation):
    """Union Mall extension: start a bulk order (a draft) for a branch: its clerk, approver or an operator."""

    class Arguments:
        input = BulkOrderCreateInput(required=True)

    class Meta:
        error_type_class = BulkOrderError

    @classmethod
    def perform_mutation(cls, _root, info, input):
        branch = cls.get_instance(
            scope_for(info).branches() if not scope_for(info).empty else UnionBranchModel.objects.none(),
            input["branch"],
            type_name="UnionBranch",
            field="branch",
        )
        bulk_order = services.create_bulk_order(
            branch=branch, name=input["name"], note=input.get("note") or "", by=info.context.user
        )
        return cls(bulk_order=bulk_order)


class BulkOrderLineInput(graphene.InputObjectType):
    sku = graphene.String(required=True, description="SKU of a variant or a gift pack.")
    quantity = graphene.Int(required=True, description="How many.")


class BulkOrderLinesAdd(BulkOrderMutation):
    """Union Mall extension: quick order: add SKUs and quantities to a draft bulk order."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the bulk order.")
        lines = graphene.NonNull(graphene.List(graphene.NonNull(BulkOrderLineInput)))

    class Meta:
        error_type_class = BulkOrderError

    @classmethod
    def perform_mutation(cls, _root, info, id, lines):  # noqa: A002
        bulk_order = cls.get_bulk_order(info, id)
        services.add_lines(bulk_order, [(line["sku"], line["quantity"]) for line in lines], by=info.context.user)
        return cls(bulk_order=cls.get_bulk_order(info, id))


class BulkOrderLinesDelete(BulkOrderMutation):
    """Union Mall extension: remove quick-order lines from a draft bulk order, as checkoutLinesDelete does
    for a checkout. A recipient list's lines are replaced by uploading the list again, not removed here."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the bulk order.")
        lines_ids = graphene.NonNull(
            graphene.List(graphene.NonNull(graphene.ID)), description="IDs of the bulk order's lines to remove."
        )

    class Meta:
        error_type_class = BulkOrderError

    @classmethod
    def perform_mutation(cls, _root, info, id, lines_ids):  # noqa: A002
        bulk_order = cls.get_bulk_order(info, id)
        try:
            pks = from_global_ids_or_error(lines_ids, "BulkOrderLine")
        except GraphQLError as error:
            raise DomainError(error.message, field="lines_ids", code="GRAPHQL_ERROR") from error
        services.delete_lines(bulk_order, pks, by=info.context.user)
        return cls(bulk_order=cls.get_bulk_order(info, id))


class BulkOrderUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    note = graphene.String()
    payment_method = BulkOrderPaymentMethodEnum()


class BulkOrderUpdate(BulkOrderMutation):
    """Union Mall extension: change a draft bulk order's name, note or payment method."""

    class Arguments:
        id = graphene.ID(required=True)
        input = BulkOrderUpdateInput(required=True)

    class Meta:
        error_type_class = BulkOrderError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):  # noqa: A002
        bulk_order = cls.get_bulk_order(info, id)
        method = input.get("payment_method")
        bulk_order = services.update_bulk_order(
            bulk_order,
            by=info.context.user,
            name=input.get("name"),
            note=input.get("note"),
            payment_method=getattr(method, "value", method),
        )
        return cls(bulk_order=bulk_order)


def _simple(name: str, doc: str, call, **arguments):
    """A mutation taking the bulk order's `id` (and `arguments`) and calling `call(bulk_order, by=, **args)`."""

    def perform_mutation(cls, _root, info, id, **data):  # noqa: A002
        bulk_order = cls.get_bulk_order(info, id)
        call(bulk_order, by=info.context.user, **data)
        return cls(bulk_order=cls.get_bulk_order(info, id))

    return type(
        name,
        (BulkOrderMutation,),
        {
            "__doc__": doc,
            "Arguments": type(
                "Arguments", (), {"id": graphene.ID(required=True, description="ID of the bulk order."), **arguments}
            ),
            "Meta": type("Meta", (), {"error_type_class": BulkOrderError}),
            "perform_mutation": classmethod(perform_mutation),
        },
    )


BulkOrderSubmit = _simple(
    "BulkOrderSubmit",
    "Union Mall extension: send a draft bulk order for approval; refused, with each failing rule explained, "
    "unless the compliance check passes.",
    services.submit,
    comment=graphene.String(description="A comment for the approver."),
)
BulkOrderApprove = _simple(
    "BulkOrderApprove",
    "Union Mall extension: approve a submitted bulk order: an approver of its branch, never its submitter.",
    services.approve,
    comment=graphene.String(),
)
BulkOrderReject = _simple(
    "BulkOrderReject",
    "Union Mall extension: reject a submitted bulk order, with the reason: an approver of its branch.",
    services.reject,
    reason=graphene.String(required=True, description="Why it is rejected."),
)
BulkOrderPlace = _simple(
    "BulkOrderPlace",
    "Union Mall extension: place an approved bulk order: all its stock is held, or none and the short SKUs are named.",
    services.place,
)
BulkOrderCancel = _simple(
    "BulkOrderCancel",
    "Union Mall extension: cancel a bulk order before it is paid; a placed one gives its stock back.",
    services.cancel,
    reason=graphene.String(),
)


class BulkOrderMutations(graphene.ObjectType):
    bulk_order_create = BulkOrderCreate.Field()
    bulk_order_lines_add = BulkOrderLinesAdd.Field()
    bulk_order_lines_delete = BulkOrderLinesDelete.Field()
    bulk_order_update = BulkOrderUpdate.Field()
    bulk_order_submit = BulkOrderSubmit.Field()
    bulk_order_approve = BulkOrderApprove.Field()
    bulk_order_reject = BulkOrderReject.Field()
    bulk_order_place = BulkOrderPlace.Field()
    bulk_order_cancel = BulkOrderCancel.Field()
