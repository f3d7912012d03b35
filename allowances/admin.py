"""Operators issue welfare allowances here (through allowances.services) and read the ledger.

A grant is created by the service, never saved by the admin itself; nothing here edits or deletes a
grant or an entry: the ledger is append-only, and a mistaken grant is answered by a new entry, not by
rewriting history.
"""

import uuid

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from allowances import services
from allowances.models import AllowanceEntry, AllowanceEntryType, AllowanceGrant
from mall.errors import DomainError, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions
from members.models import MemberProfile


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        profile = user.member_profile
        return f"{profile.number} {profile.real_name or user.get_full_name()} <{user.email}>"


class AllowanceGrantAddForm(forms.ModelForm):
    """Issue a grant: to the members picked, or to every verified member of the chosen branch.

    The service runs in clean() so that what it refuses (an unverified member, a cap, a date in the
    past) comes back as the form's errors; the admin wraps the whole request in one transaction.
    """

    members = MemberChoiceField(
        label="发放对象",
        queryset=get_user_model()
        .objects.filter(is_active=True, member_profile__verification_status=MemberProfile.VerificationStatus.VERIFIED)
        .select_related("member_profile")
        .order_by("member_profile__number"),
        required=False,
        widget=FilteredSelectMultiple("会员", is_stacked=False),
        help_text="只列出已实名认证的会员。",
    )
    all_branch_members = forms.BooleanField(
        label="发给发放单位的全体已认证会员", required=False, help_text="勾选后无需逐个选择会员。"
    )
    # A new key each time the form is shown: a double click or a resent POST finds the first grant.
    # (Not named after the model's non-editable idempotency_key, which a model form may not declare.)
    submission_key = forms.CharField(label="提交标识", widget=forms.HiddenInput, required=False)

    class Meta:
        model = AllowanceGrant
        fields = ["reason", "amount", "expires_at", "collection", "branch"]
        help_texts = {
            "amount": "每位会员获得的额度（元），不能提现，只能在结算时抵扣商品金额。",
            "collection": "留空则全场通用；选择“帮扶专区”则仅限帮扶产品。",
        }

    def __init__(self, *args, issued_by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.issued_by = issued_by
        self.grant = None
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4().hex

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.grant = services.issue_allowance(
                reason=cleaned["reason"],
                amount=cleaned["amount"],
                expires_at=cleaned["expires_at"],
                members=list(cleaned.get("members") or []),
                issued_by=self.issued_by,
                collection=cleaned.get("collection"),
                branch=cleaned.get("branch"),
                all_branch_members=cleaned.get("all_branch_members", False),
                idempotency_key=cleaned.get("submission_key", ""),
            )
        except PermissionDenied as error:
            raise forms.ValidationError(error.message) from error
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned

    def _post_clean(self):
        # The service validated and saved the grant; the model form's own instance is not used.
        pass


def _can_manage_allowances(request) -> bool:
    return has_permissions(request.user, [PermissionEnum.MANAGE_ALLOWANCES])


@admin.register(AllowanceGrant)
class AllowanceGrantAdmin(admin.ModelAdmin):
    list_display = [
        "reason",
        "amount",
        "restriction",
        "branch",
        "expires_at",
        "members_count",
        "issued_by",
        "created_at",
    ]
    list_filter = ["collection", "branch", "expires_at", "created_at"]
    list_select_related = ["collection", "branch", "issued_by"]
    search_fields = ["reason"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "reason",
        "amount",
        "currency",
        "expires_at",
        "collection",
        "branch",
        "issued_by",
        "created_at",
        "members_count",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(issued_to=Count("entries", filter=Q(entries__type=AllowanceEntryType.ISSUE)))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        issued_by = request.user

        class Form(AllowanceGrantAddForm):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, issued_by=issued_by, **form_kwargs)

        # Through the admin's factory, so the fields get the admin's widgets (the date and time picker).
        return super().get_form(request, obj, change=change, form=Form, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "reason",
                "amount",
                "expires_at",
                "collection",
                "branch",
                "all_branch_members",
                "members",
                "submission_key",
            ]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_form(self, request, form, change):
        return form.grant  # saved by the service in the form's clean()

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        pass

    @admin.display(description="限用范围")
    def restriction(self, grant):
        return grant.restriction

    @admin.display(description="发放人数")
    def members_count(self, grant):
        return getattr(grant, "issued_to", None)

    def has_add_permission(self, request):
        return _can_manage_allowances(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _can_manage_allowances(request)

    def has_module_permission(self, request):
        return _can_manage_allowances(request)


@admin.register(AllowanceEntry)
class AllowanceEntryAdmin(admin.ModelAdmin):
    """The ledger, read-only: every movement of every member's allowance."""

    list_display = ["created_at", "user", "member_number", "type", "amount", "grant", "order", "note"]
    list_filter = ["type", "grant", "created_at"]
    list_select_related = ["user__member_profile", "grant", "order"]
    search_fields = ["user__email", "user__member_profile__number", "grant__reason"]
    date_hierarchy = "created_at"
    fields = ["created_at", "user", "type", "amount", "grant", "order", "note", "created_by"]
    readonly_fields = fields

    @admin.display(description="会员号")
    def member_number(self, entry):
        profile = getattr(entry.user, "member_profile", None)
        return profile.number if profile else ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _can_manage_allowances(request)

    def has_module_permission(self, request):
        return _can_manage_allowances(request)
