"""The API of recipient lists: `bulkOrderRecipientsImport(id, file: Upload!, dropBadRows)` (a GraphQL
multipart request, as Saleor's uploads) and the `RecipientImport` it returns, with progress and bad rows.

A file of up to INLINE_IMPORT_MAX_BYTES (about 1,500 rows) is checked and imported within the request; a
larger one is kept and imported by the Celery task `bulk_orders.import_recipients` once the request commits:
the payload then shows status PENDING, and `processedRows` grows as the worker goes (`recipientImport(id)` reads it).
"""

import uuid

import graphene
from django.db import transaction
from graphql import GraphQLError
from graphql_relay import from_global_id, to_global_id

from branches.selectors import can_see_branch
from bulk_orders.graphql.errors import BulkOrderError, BulkOrderErrorCode
from bulk_orders.models import BulkOrder, RecipientImport
from bulk_orders.services.recipients import run_recipient_import, start_recipient_import
from mall.errors import AuthenticationRequired, DomainError
from mall.graphql.mutations import BaseMutation
from mall.graphql.types import Upload

INLINE_IMPORT_MAX_BYTES = 128 * 1024

RecipientImportStatusEnum = graphene.Enum(
    "RecipientImportStatusEnum", [(status.name, status.value) for status in RecipientImport.Status]
)


class RecipientImportRowError(graphene.ObjectType):
    row = graphene.Int(description="The row as the spreadsheet numbers it (the header is row 1); null for the file.")
    column = graphene.String(description="The column's header as the file spells it.")
    code = graphene.Field(graphene.NonNull(BulkOrderErrorCode), description="The error code.")
    message = graphene.String(required=True, description="What is wrong, in Chinese.")

    class Meta:
        description = "A bad row (or the whole file) of an uploaded recipient list."


class RecipientImportType(graphene.ObjectType):
    id = graphene.ID(required=True)
    status = graphene.Field(RecipientImportStatusEnum, required=True)
    file_name = graphene.String(required=True)
    drop_bad_rows = graphene.Boolean(required=True, description="Whether bad rows are left out instead of failing.")
    total_rows = graphene.Int(required=True, description="Data rows in the file (no header, no blank rows).")
    processed_rows = graphene.Int(required=True, description="Rows checked so far.")
    errors = graphene.NonNull(graphene.List(graphene.NonNull(RecipientImportRowError)))
    created_at = graphene.DateTime(required=True)
    finished_at = graphene.DateTime()

    class Meta:
        name = "RecipientImport"
        description = "An uploaded recipient list of a bulk order: its progress and every bad row found."

    @staticmethod
    def resolve_id(root: RecipientImport, _info):
        return to_global_id("RecipientImport", str(root.pk))

    @staticmethod
    def resolve_status(root: RecipientImport, _info):
        return RecipientImport.Status(root.status).name  # a plain name: graphene passes enum members through

    @staticmethod
    def resolve_errors(root: RecipientImport, _info):
        return root.errors or []


def bulk_order_from_global_id(global_id: str) -> BulkOrder:
    type_name, raw_pk = from_global_id(global_id or "")
    try:
        pk = uuid.UUID(raw_pk)
    except (TypeError, ValueError):
        pk = None
    if type_name != "BulkOrder" or pk is None:
        raise DomainError(f"Couldn't resolve id: {global_id}.", field="id", code="GRAPHQL_ERROR")
    bulk_order = BulkOrder.objects.select_related("branch", "channel").filter(pk=pk).first()
    if bulk_order is None:
        raise DomainError(f"Couldn't resolve to a node: {global_id}", field="id", code="NOT_FOUND")
    return bulk_order


class BulkOrderRecipientsImport(BaseMutation):
    """Upload a recipient list (XLSX or CSV, header 姓名,手机号,省,市,区,详细地址,SKU,数量) into a draft bulk
    order. A file with bad rows creates nothing and lists every bad row in `errors`, unless `dropBadRows`
    is true: then the good rows are imported and the bad ones reported in `recipientImport.errors`. The
    recipients of an earlier import of the order are replaced. Sent as a GraphQL multipart request."""

    recipient_import = graphene.Field(RecipientImportType)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the bulk order.")
        file = Upload(required=True, description="The recipient list, XLSX or CSV (UTF-8 or GB18030).")
        drop_bad_rows = graphene.Boolean(default_value=False, description="Import the good rows, leave out bad ones.")

    class Meta:
        error_type_class = BulkOrderError

    @classmethod
    def perform_mutation(cls, _root, info, id, file, drop_bad_rows=False):
        user = info.context.user
        if not user.is_authenticated:
            raise AuthenticationRequired
        bulk_order = bulk_order_from_global_id(id)
        started = start_recipient_import(bulk_order, file, by=user, drop_bad_rows=bool(drop_bad_rows))
        if file.size > INLINE_IMPORT_MAX_BYTES:
            from bulk_orders.tasks import import_recipients

            transaction.on_commit(lambda: import_recipients.delay(str(started.pk)))
            return cls(recipient_import=started)
        finished = run_recipient_import(started)
        errors = []
        if finished.status == RecipientImport.Status.FAILED:
            errors = [{"field": "file", **error} for error in finished.errors]
        return cls(recipient_import=finished, errors=errors)


def recipient_import_from_global_id(global_id: str) -> RecipientImport | None:
    type_name, raw_pk = from_global_id(global_id or "")
    try:
        pk = uuid.UUID(raw_pk)
    except (TypeError, ValueError):
        pk = None
    if type_name != "RecipientImport" or pk is None:
        raise GraphQLError(f"Couldn't resolve id: {global_id}.")
    return RecipientImport.objects.select_related("bulk_order__branch").filter(pk=pk).first()


class BulkImportQueries(graphene.ObjectType):
    recipient_import = graphene.Field(
        RecipientImportType,
        id=graphene.ID(required=True, description="ID of the recipient import."),
        description="An uploaded recipient list, to follow its progress: staff of the order's branch (or a branch "
        "above it) and operators; null for anyone else.",
    )

    @staticmethod
    def resolve_recipient_import(_root, info, id):
        recipient_import = recipient_import_from_global_id(id)
        if recipient_import is None or not can_see_branch(info.context.user, recipient_import.bulk_order.branch):
            return None
        return recipient_import


class BulkImportMutations(graphene.ObjectType):
    bulk_order_recipients_import = BulkOrderRecipientsImport.Field()
