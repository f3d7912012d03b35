"""Bulk order delivery in the API: bulkOrderShipmentCreate (one parcel to one recipient from one merchant),
BulkOrder.deliveryProgress and each recipient's masked mobile, delivery status and tracking numbers.

A page of recipients reads its statuses through one loader (three queries for the page, whatever its size).
"""

import graphene
from graphql import GraphQLError

from bulk_orders import delivery
from bulk_orders.models import BulkRecipient as BulkRecipientModel
from catalog.models import Merchant
from mall.errors import DomainError
from mall.graphql.dataloaders import DataLoader, note_siblings
from mall.graphql.ids import from_global_id_or_error
from mall.graphql.mutations import BaseMutation, error_type
from mall.permissions import PermissionEnum
from orders.graphql.types import Fulfillment, uuid_from_global_id

SHIPMENT_ERROR_CODES = [
    "GRAPHQL_ERROR",
    "INVALID",
    "NOT_FOUND",
    "REQUIRED",
    "UNIQUE",
    "INVALID_STATUS",
    "INVALID_QUANTITY",
    "MERCHANT_REQUIRED",
    "MERCHANT_MISMATCH",
    "NOTHING_TO_SHIP",
    "INSUFFICIENT_STOCK",
    "FULFILL_ORDER_LINE",
]
BulkOrderShipmentErrorCode = graphene.Enum(
    "BulkOrderShipmentErrorCode", [(code, code.lower()) for code in SHIPMENT_ERROR_CODES]
)
BulkOrderShipmentError = error_type(
    "BulkOrderShipmentError", BulkOrderShipmentErrorCode, description="Represents errors in bulk order shipments."
)
BulkRecipientDeliveryStatusEnum = graphene.Enum(
    "BulkRecipientDeliveryStatusEnum",
    [(status, status) for status in delivery.DeliveryStatus.LABELS],
    description="Where a recipient's goods are: PENDING (待发货), PARTIAL (部分发货) or SHIPPED (已发货).",
)


class BulkOrderDeliveryProgress(graphene.ObjectType):
    total = graphene.Int(required=True, description="Destinations: the recipients, and the branch if it bought "
                         "for itself (a quick order).")  # fmt: skip
    shipped = graphene.Int(required=True, description="Destinations whose goods have all been sent.")
    partial = graphene.Int(required=True, description="Destinations with some parcels sent, some to come.")
    pending = graphene.Int(required=True, description="Destinations nothing was sent to yet.")
    shipments = graphene.Int(required=True, description="Parcels sent.")

    class Meta:
        description = "Union Mall extension: a bulk order's delivery progress (发货进度)."


class DeliveryByRecipientIdLoader(DataLoader):
    kind = "bulk_recipient"

    def batch_load(self, keys):
        found = delivery.deliveries(recipient_ids=list(keys))
        return [found.get(key, delivery.RecipientDelivery()) for key in keys]


def register_recipients(context, connection):
    """A page of recipients: their deliveries load together."""
    note_siblings(context, "bulk_recipient", [edge.node.pk for edge in connection.edges])
    return connection


def _delivery_of(info, recipient):
    return DeliveryByRecipientIdLoader(info.context).load(recipient.pk)


def resolve_mobile(root, _info):
    return delivery.mask_mobile(root.phone)


def resolve_delivery_status(root, info):
    return BulkRecipientDeliveryStatusEnum.get(_delivery_of(info, root).status)


def resolve_tracking_numbers(root, info):
    return _delivery_of(info, root).tracking_numbers


def resolve_delivery_progress(root, _info):
    return delivery.delivery_progress(root)


class UnionGift(graphene.ObjectType):
    bulk_order_number = graphene.String(required=True, description="The bulk order, e.g. CG1001.")
    branch_name = graphene.String(required=True, description="The branch union that sent the gift.")
    name = graphene.String(required=True, description="The bulk order's name, e.g. 2026 年中秋慰问品.")
    created_at = graphene.DateTime(required=True)
    items = graphene.NonNull(graphene.List(graphene.NonNull(graphene.String)), description="What, e.g. 苹果 ×2.")
    status = graphene.String(required=True, description="待发货, 部分发货 or 已发货.")
    tracking_numbers = graphene.NonNull(graphene.List(graphene.NonNull(graphene.String)))

    class Meta:
        description = "Union Mall extension: a gift a branch sent the member (工会礼品); no prices."

    @staticmethod
    def resolve_status(root, _info):
        return root.status_label


def resolve_union_gifts(user, info) -> list:
    """`User.unionGifts`: the user's own gifts, to the user only."""
    requestor = info.context.user
    if not requestor.is_authenticated or requestor.pk != user.pk:
        return []
    return delivery.gifts_for_member(requestor)


class BulkOrderShipmentLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(required=True, description="The line of the bulk order's order.")
    quantity = graphene.Int(required=True, description="Units (packs, for a gift pack) in this parcel.")


class BulkOrderShipmentCreate(BaseMutation):
    """Union Mall extension: record one parcel of a paid bulk order, to one recipient (or, without one, to
    the branch for its own goods) from one merchant, with its own tracking number. Without `lines` the
    parcel holds everything the merchant still owes the recipient. Requires MANAGE_ORDERS."""

    bulk_order = graphene.Field("bulk_orders.graphql.types.BulkOrder")
    fulfillment = graphene.Field(Fulfillment, description="The parcel recorded.")

    class Arguments:
        bulk_order = graphene.ID(required=True, description="ID of the bulk order.")
        recipient = graphene.ID(description="ID of the recipient; null for the branch's own goods.")
        merchant = graphene.ID(description="ID of the merchant sending; needed when several owe the recipient.")
        tracking_number = graphene.String(required=True, description="The parcel's tracking number (运单号).")
        lines = graphene.List(graphene.NonNull(BulkOrderShipmentLineInput), description="Part of what is owed.")

    class Meta:
        permissions = (PermissionEnum.MANAGE_ORDERS,)
        error_type_class = BulkOrderShipmentError

    @classmethod
    def perform_mutation(cls, _root, info, bulk_order, tracking_number, recipient=None, merchant=None, lines=None):
        from bulk_orders.graphql.types import bulk_order_by_global_id  # types adds this module's fields
        from bulk_orders.services import create_shipment

        found = _lookup(lambda: bulk_order_by_global_id(info, bulk_order), bulk_order, "bulkOrder")
        recipient_row = None
        if recipient:
            recipient_pk = _lookup(lambda: from_global_id_or_error(recipient, "BulkRecipient"), recipient, "recipient")
            recipient_row = _lookup(
                lambda: BulkRecipientModel.objects.filter(pk=recipient_pk, bulk_order=found).first(),
                recipient,
                "recipient",
            )
        merchant_row = None
        if merchant:
            merchant_pk = _lookup(lambda: from_global_id_or_error(merchant, "Merchant"), merchant, "merchant")
            merchant_row = _lookup(lambda: Merchant.objects.filter(pk=merchant_pk).first(), merchant, "merchant")
        requests = None
        if lines:
            requests = [
                (
                    _lookup(lambda line=line: uuid_from_global_id(line["order_line_id"], "OrderLine"), "", "lines"),
                    line["quantity"],
                )
                for line in lines
            ]
        fulfillment = create_shipment(
            found,
            recipient=recipient_row,
            merchant=merchant_row,
            tracking_number=tracking_number,
            lines=requests,
            by=info.context.user,
        )
        found.refresh_from_db()
        return cls(bulk_order=found, fulfillment=fulfillment)


def _lookup(find, global_id, field):
    """What `find` returns; a malformed ID is GRAPHQL_ERROR and nothing found is NOT_FOUND, on `field`."""
    try:
        found = find()
    except (GraphQLError, ValueError, TypeError) as error:  # a malformed ID
        raise DomainError(f"Couldn't resolve id: {global_id}.", field=field, code="GRAPHQL_ERROR") from error
    if found is None:
        raise DomainError(f"Couldn't resolve to a node: {global_id}", field=field, code="NOT_FOUND")
    return found


class BulkDeliveryMutations(graphene.ObjectType):
    bulk_order_shipment_create = BulkOrderShipmentCreate.Field()
