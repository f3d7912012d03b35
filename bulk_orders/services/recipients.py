"""Importing a recipient list into a draft bulk order: the file kept, every row checked, and — when no row
is bad, or the clerk chose to drop the bad ones — the recipients and their lines created in one transaction.

An import replaces the recipients (and their lines) of any earlier import of the same order; lines from a
quick order (no recipient) stay. Creating 5,000 rows takes the same number of queries as creating 50.
"""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from branches.models import BranchRole
from bulk_orders.models import BulkOrder, BulkOrderLine, BulkOrderStatus, BulkRecipient, RecipientImport
from bulk_orders.recipients import MAX_FILE_BYTES, RecipientFileError, RecipientList, parse_recipient_file
from mall.errors import DomainError, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions

OPERATOR_PERMISSIONS = (PermissionEnum.MANAGE_ORDERS, PermissionEnum.MANAGE_BRANCHES)
EDITING_ROLES = (BranchRole.Role.CLERK, BranchRole.Role.APPROVER)
# Progress is written this many times while rows are checked, whatever their number.
PROGRESS_STEPS = 4
NOT_ALLOWED_MESSAGE = "只有本单位的经办人、审批人或平台运营人员可以导入收件人名单。"


def may_edit_bulk_order(user, bulk_order: BulkOrder) -> bool:
    """Operators, and the clerks and approvers of the order's branch or of a branch above it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if has_permissions(user, OPERATOR_PERMISSIONS):
        return True
    paths = BranchRole.objects.filter(user=user, role__in=EDITING_ROLES).values_list("branch__path", flat=True)
    return any(bulk_order.branch.path.startswith(path) for path in paths)


def _check_draft(bulk_order: BulkOrder) -> None:
    if bulk_order.status != BulkOrderStatus.DRAFT:
        raise DomainError(
            f"采购单状态为“{bulk_order.get_status_display()}”，只有草稿可以导入收件人名单。",
            field="id",
            code="INVALID_STATUS",
        )


def start_recipient_import(bulk_order: BulkOrder, uploaded_file, *, by, drop_bad_rows: bool = False):
    """The upload kept as a PENDING RecipientImport, for run_recipient_import (inline or in a task)."""
    if not may_edit_bulk_order(by, bulk_order):
        raise PermissionDenied(message=NOT_ALLOWED_MESSAGE)
    _check_draft(bulk_order)
    if uploaded_file.size > MAX_FILE_BYTES:
        raise DomainError(
            f"文件过大：收件人名单不能超过 {MAX_FILE_BYTES // (1024 * 1024)} MB。", field="file", code="INVALID_FILE"
        )
    file_name = (getattr(uploaded_file, "name", "") or "recipients").rsplit("/", 1)[-1][:255]
    return RecipientImport.objects.create(
        bulk_order=bulk_order,
        file=ContentFile(uploaded_file.read(), name=file_name),
        file_name=file_name,
        drop_bad_rows=drop_bad_rows,
        created_by=by,
    )


def run_recipient_import(recipient_import: RecipientImport) -> RecipientImport:
    """Check the file and create its rows, or record why not (status FAILED with every error)."""
    recipient_import.status = RecipientImport.Status.RUNNING
    recipient_import.save(update_fields=["status"])
    bulk_order = recipient_import.bulk_order
    try:
        with recipient_import.file.open("rb") as stored:
            content = stored.read()
        recipients = parse_recipient_file(
            content,
            channel=bulk_order.channel,
            on_progress=lambda total, checked: _report_progress(recipient_import, total, checked),
            progress_steps=PROGRESS_STEPS,
        )
    except RecipientFileError as error:
        return _finish(recipient_import, RecipientImport.Status.FAILED, errors=[error.as_dict()])
    errors = [error.as_dict() for error in recipients.errors]
    if errors and not recipient_import.drop_bad_rows:
        return _finish(recipient_import, RecipientImport.Status.FAILED, errors=errors)
    with transaction.atomic():
        locked = BulkOrder.objects.select_for_update().get(pk=bulk_order.pk)
        if locked.status != BulkOrderStatus.DRAFT:
            message = f"采购单状态为“{locked.get_status_display()}”，只有草稿可以导入收件人名单。"
            return _finish(
                recipient_import,
                RecipientImport.Status.FAILED,
                errors=[{"row": None, "column": None, "code": "INVALID_STATUS", "message": message}],
            )
        _replace_recipients(locked, recipients)
        return _finish(recipient_import, RecipientImport.Status.DONE, errors=errors)


def import_recipients(bulk_order: BulkOrder, uploaded_file, *, by, drop_bad_rows: bool = False) -> RecipientImport:
    """Start and run an import in this process: what the API does for a small file, and the tests."""
    recipient_import = start_recipient_import(bulk_order, uploaded_file, by=by, drop_bad_rows=drop_bad_rows)
    return run_recipient_import(recipient_import)


def _report_progress(recipient_import: RecipientImport, total: int, checked: int) -> None:
    """One UPDATE per step (PROGRESS_STEPS of them, whatever the row count): outside a transaction, as in
    the Celery task, a page polling the import sees it move."""
    recipient_import.total_rows, recipient_import.processed_rows = total, checked
    RecipientImport.objects.filter(pk=recipient_import.pk).update(total_rows=total, processed_rows=checked)


def _finish(recipient_import: RecipientImport, status: str, *, errors: list[dict]) -> RecipientImport:
    recipient_import.status = status
    recipient_import.errors = errors
    recipient_import.finished_at = timezone.now()
    recipient_import.save(update_fields=["status", "errors", "finished_at", "total_rows", "processed_rows"])
    return recipient_import


def _replace_recipients(bulk_order: BulkOrder, recipients: RecipientList) -> None:
    # _raw_delete: one DELETE each, where .delete() would load every row and delete them 100 at a time.
    lines = BulkOrderLine.objects.filter(bulk_order=bulk_order, recipient__isnull=False)
    lines._raw_delete(lines.db)
    earlier = BulkRecipient.objects.filter(bulk_order=bulk_order)
    earlier._raw_delete(earlier.db)
    if not recipients.rows:
        return
    members = dict(
        get_user_model()
        .objects.filter(phone__in={row.phone for row in recipients.rows}, is_active=True)
        .values_list("phone", "pk")
    )
    # One recipient per person and address; each of their rows becomes a line.
    by_person: dict[tuple, BulkRecipient] = {}
    for row in recipients.rows:
        key = (row.phone, row.name, row.province, row.city, row.district, row.street_address)
        if key not in by_person:
            by_person[key] = BulkRecipient(
                bulk_order=bulk_order,
                name=row.name,
                phone=row.phone,
                province=row.province,
                city=row.city,
                district=row.district,
                street_address=row.street_address,
                user_id=members.get(row.phone),
                row_number=row.row,
            )
    created = BulkRecipient.objects.bulk_create(by_person.values())
    by_key = dict(zip(by_person, created, strict=True))
    BulkOrderLine.objects.bulk_create(
        BulkOrderLine(
            bulk_order=bulk_order,
            recipient=by_key[(row.phone, row.name, row.province, row.city, row.district, row.street_address)],
            variant_id=row.variant_id,
            gift_pack_id=row.gift_pack_id,
            quantity=row.quantity,
            row_number=row.row,
        )
        for row in recipients.rows
    )
