"""Operators review real-name verification here; approving and rejecting call members.services."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from mall.errors import DomainError, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions
from members import services
from members.models import MemberProfile


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="驳回原因",
        max_length=services.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="会员会看到这段话，请写清楚需要如何修改，例如“姓名与身份证不一致”。",
    )


@admin.register(MemberProfile)
class MemberProfileAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "user",
        "real_name",
        "id_number_masked",
        "branch",
        "verification_status",
        "verification_requested_at",
        "verification_decided_at",
    ]
    list_filter = ["verification_status", "branch"]
    list_select_related = ["user", "branch"]
    search_fields = ["number", "real_name", "user__email"]
    ordering = ["verification_requested_at", "pk"]
    actions = ["approve_verification", "reject_verification"]
    # Every field changes through the services only; the hash is never shown.
    fields = [
        "number",
        "user",
        "branch",
        "real_name",
        "id_number_masked",
        "verification_status",
        "verification_requested_at",
        "verification_decided_at",
        "verification_decided_by",
        "rejection_reason",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.has_manage_users_permission(request)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self.has_manage_users_permission(request)

    def has_manage_users_permission(self, request):
        return has_permissions(request.user, [PermissionEnum.MANAGE_USERS])

    @admin.action(description="通过认证", permissions=["manage_users"])
    def approve_verification(self, request, queryset):
        self._decide(
            request,
            queryset,
            "通过",
            lambda profile: services.approve_verification(operator=request.user, profile=profile),
        )

    @admin.action(description="驳回认证", permissions=["manage_users"])
    def reject_verification(self, request, queryset):
        form = RejectionForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/members/memberprofile/reject_verification.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "驳回实名认证",
                    "opts": self.model._meta,
                    "profiles": queryset.select_related("user"),
                    "form": form,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        reason = form.cleaned_data["reason"]
        self._decide(
            request,
            queryset,
            "驳回",
            lambda profile: services.reject_verification(operator=request.user, profile=profile, reason=reason),
        )
        return None

    def _decide(self, request, queryset, verb: str, decide) -> None:
        """Apply `decide` (a service: one transaction each) to every profile, then say what happened."""
        done = 0
        for profile in queryset.order_by("pk"):
            try:
                decide(profile)
            except (DomainError, PermissionDenied) as error:
                self.message_user(request, f"{profile.number}：{error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"已{verb} {done} 位会员的实名认证。", messages.SUCCESS)
