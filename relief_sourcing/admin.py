from django.contrib import admin

from mall.permissions import PermissionEnum, has_permissions
from relief_sourcing.models import ReliefTarget
from relief_sourcing.targets import set_target


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
