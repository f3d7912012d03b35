"""Operators' view of the relief ledger (read-only: entries are never changed or deleted) and of the
reconciliation's mismatches, which they mark 已处理 once dealt with."""

from django.contrib import admin, messages

from mall.permissions import PermissionEnum, has_permissions
from relief_sourcing import reconciliation
from relief_sourcing.models import ReconciliationMismatch, ReliefLedgerEntry, ReliefTarget
from relief_sourcing.targets import set_target


def holds_manage_relief(request) -> bool:
    return has_permissions(request.user, [PermissionEnum.MANAGE_RELIEF])


class ReliefOperatorsMixin:
    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or holds_manage_relief(request)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or holds_manage_relief(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReliefLedgerEntry)
class ReliefLedgerEntryAdmin(ReliefOperatorsMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "event", "channel", "branch", "product", "quantity", "amount", "region", "order"]
    list_filter = ["event", "channel", "region"]
    list_select_related = ["branch", "product", "region", "order"]
    search_fields = ["branch__code", "branch__name", "certification__number", "event_key"]
    date_hierarchy = "occurred_at"
    ordering = ["-occurred_at", "-pk"]
    readonly_fields = [field.name for field in ReliefLedgerEntry._meta.fields]
    fields = readonly_fields
    actions = None  # no bulk delete

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReconciliationMismatch)
class ReconciliationMismatchAdmin(ReliefOperatorsMixin, admin.ModelAdmin):
    list_display = ["date", "expected_amount", "ledger_amount", "lines", "detected_at", "resolved_at", "resolved_by"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["resolved_by"]
    date_hierarchy = "date"
    readonly_fields = [
        "date",
        "expected_amount",
        "ledger_amount",
        "details",
        "detected_at",
        "resolved_at",
        "resolved_by",
    ]
    fields = [*readonly_fields, "resolution_note"]
    actions = ["mark_resolved"]

    @admin.display(description="差异行数")
    def lines(self, mismatch):
        return len(mismatch.details.get("lines", []))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or holds_manage_relief(request)

    def has_manage_relief_permission(self, request):
        return holds_manage_relief(request)

    def save_model(self, request, obj, form, change):
        # Only the note is editable; saving it is how an operator explains what was done.
        obj.save(update_fields=["resolution_note"])

    @admin.action(description="标记为已处理", permissions=["manage_relief"])
    def mark_resolved(self, request, queryset):
        done = 0
        for mismatch in queryset.filter(resolved_at__isnull=True):
            reconciliation.resolve(mismatch, by=request.user, note=mismatch.resolution_note)
            done += 1
        self.message_user(request, f"已处理 {done} 条对账差异。", messages.SUCCESS)


@admin.register(ReliefTarget)
class ReliefTargetAdmin(admin.ModelAdmin):
    """Targets per branch and year, saved through the same service as everywhere else."""

    list_display = ["branch", "year", "amount", "minimum_share"]
    list_filter = ["year"]
    search_fields = ["branch__code", "branch__name"]
    autocomplete_fields = ["branch"]
    ordering = ["-year", "branch__path"]

    def _manages_relief(self, request) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and has_permissions(request.user, [PermissionEnum.MANAGE_RELIEF])
        )

    def has_module_permission(self, request):
        return self._manages_relief(request)

    def has_view_permission(self, request, obj=None):
        return self._manages_relief(request)

    def has_add_permission(self, request):
        return self._manages_relief(request)

    def has_change_permission(self, request, obj=None):
        return self._manages_relief(request)

    def has_delete_permission(self, request, obj=None):
        return self._manages_relief(request)

    def save_model(self, request, obj, form, change):
        saved = set_target(
            branch=obj.branch, year=obj.year, amount=obj.amount, minimum_share=obj.minimum_share, by=request.user
        )
        obj.pk = saved.pk
