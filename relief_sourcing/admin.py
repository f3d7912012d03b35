"""Operators manage partner regions, relief suppliers, certifications and batches here, in Chinese.

Every change goes through relief_sourcing.services: the service runs in the form's clean(), so what it
refuses (a bad division or credit code, a product of another supplier) comes back as the form's errors and
nothing is saved; save_model only keeps what the service made.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from mall.errors import DomainError, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions
from relief_sourcing import reconciliation, services
from relief_sourcing.models import (
    PartnerRegion,
    ProductBatch,
    ReconciliationMismatch,
    ReliefCertification,
    ReliefLedgerEntry,
    ReliefSupplier,
    ReliefTarget,
    SupplierEvidence,
)
from relief_sourcing.targets import set_target


class ServiceForm(forms.ModelForm):
    """A model form whose clean() calls a service with the operator (`request` set by ServiceAdmin)."""

    request = None

    def run(self, change):
        try:
            # The form validates and the admin logs what the service saved, not a second, unsaved copy.
            self.saved = self.instance = change()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, error)
        except DomainError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
        except PermissionDenied as error:
            self.add_error(None, error.message)

    def perform(self, user, data):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.run(lambda: self.perform(self.request.user, data))
        return data


class ServiceAdmin(admin.ModelAdmin):
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        form.instance = form.saved  # the service saved it already

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# --- Partner regions --------------------------------------------------------------------
class PartnerRegionForm(ServiceForm):
    class Meta:
        model = PartnerRegion
        fields = ["code", "pairing_type", "active_from_year", "active_to_year"]
        help_texts = {"code": "县级 6 位代码（GB/T 2260），省、市（州）、县名称按国家行政区划代码表自动填写。"}

    def perform(self, user, data):
        fields = {name: data.get(name) for name in self.Meta.fields}
        if self.instance.pk:
            return services.update_partner_region(self.instance, user=user, **fields)
        return services.create_partner_region(user=user, **fields)


@admin.register(PartnerRegion)
class PartnerRegionAdmin(ServiceAdmin):
    form = PartnerRegionForm
    list_display = ["code", "province", "prefecture", "county", "pairing_type", "active_from_year", "active_to_year"]
    list_filter = ["pairing_type", "province"]
    search_fields = ["code", "county", "prefecture", "province"]


# --- Suppliers --------------------------------------------------------------------------
class SupplierEvidenceInline(admin.TabularInline):
    model = SupplierEvidence
    extra = 0
    fields = ["title", "file", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_by", "uploaded_at"]


class CertificationInline(admin.TabularInline):
    model = ReliefCertification
    extra = 0
    fields = ["number", "certifying_body", "valid_from", "valid_to", "status", "revoked_reason"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


SUPPLIER_FIELDS = [
    "region",
    "credit_code",
    "entity_type",
    "farmer_linkage",
    "households_linked",
    "story",
    "recommended_by",
]


class ReliefSupplierForm(ServiceForm):
    class Meta:
        model = ReliefSupplier
        fields = ["merchant", *SUPPLIER_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["merchant"].disabled = True

    def perform(self, user, data):
        fields = {name: data.get(name) for name in SUPPLIER_FIELDS}
        if self.instance.pk:
            return services.update_supplier(self.instance, user=user, **fields)
        fields = {name: value for name, value in fields.items() if value is not None}
        return services.register_supplier(user=user, merchant=data["merchant"], **fields)


@admin.register(ReliefSupplier)
class ReliefSupplierAdmin(ServiceAdmin):
    form = ReliefSupplierForm
    list_display = ["merchant", "region", "entity_type", "credit_code", "admission_status", "decided_at"]
    list_filter = ["admission_status", "entity_type", "region__province"]
    search_fields = ["merchant__name", "credit_code", "region__county"]
    list_select_related = ["merchant", "region"]
    readonly_fields = ["admission_status", "status_reason", "decided_by", "decided_at"]
    inlines = [SupplierEvidenceInline, CertificationInline]
    actions = ["approve", "suspend"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not SupplierEvidence:
            return formset.save()
        formset.save(commit=False)  # sorts the rows into new, changed and deleted, as the admin's log reads them
        for evidence in formset.deleted_objects:
            evidence.delete()
        for evidence, _changed in formset.changed_objects:
            evidence.save()
        formset.new_objects = [
            services.add_evidence(form.saved, user=request.user, title=evidence.title, file=evidence.file)
            for evidence in formset.new_objects
        ]

    def _decide(self, request, queryset, decide, label):
        done = 0
        for supplier in queryset:
            try:
                decide(supplier)
                done += 1
            except (DomainError, ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{supplier}：{getattr(error, 'message', error)}", messages.ERROR)
        if done:
            self.message_user(request, f"已{label} {done} 家供应商。")

    @admin.action(description="准入（或恢复）所选供应商")
    def approve(self, request, queryset):
        self._decide(request, queryset, lambda supplier: services.approve_supplier(supplier, user=request.user), "准入")

    @admin.action(description="暂停所选供应商（原因：运营暂停）")
    def suspend(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda supplier: services.suspend_supplier(supplier, user=request.user, reason="运营暂停"),
            "暂停",
        )


# --- Certifications and batches ---------------------------------------------------------
class ReliefCertificationForm(ServiceForm):
    revoke_reason = forms.CharField(label="撤销原因", required=False, help_text="填写后保存即撤销该认定，不可恢复。")

    class Meta:
        model = ReliefCertification
        fields = ["number", "certifying_body", "supplier", "origin", "products", "valid_from", "valid_to"]

    def perform(self, user, data):
        if not self.instance.pk:
            fields = {name: data.get(name) for name in self.Meta.fields}
            return services.create_certification(user=user, **fields)
        current = set(self.instance.products.all())
        chosen = set(data.get("products") or [])
        certification = services.update_certification(
            self.instance,
            user=user,
            add_products=chosen - current,
            remove_products=current - chosen,
            **{name: data.get(name) for name in ["number", "certifying_body", "origin", "valid_from", "valid_to"]},
        )
        if data.get("revoke_reason"):
            certification = services.revoke_certification(certification, user=user, reason=data["revoke_reason"])
        return certification


@admin.register(ReliefCertification)
class ReliefCertificationAdmin(ServiceAdmin):
    form = ReliefCertificationForm
    list_display = ["number", "supplier", "origin", "valid_from", "valid_to", "status"]
    list_filter = ["status", "origin__province"]
    search_fields = ["number", "supplier__merchant__name"]
    list_select_related = ["supplier__merchant", "origin"]
    filter_horizontal = ["products"]
    readonly_fields = ["status", "revoked_reason", "revoked_at", "revoked_by"]

    def save_related(self, request, form, formsets, change):
        pass  # the service set the products


class ProductBatchForm(ServiceForm):
    class Meta:
        model = ProductBatch
        fields = [
            "product",
            "batch_number",
            "produced_on",
            "quantity",
            "unit",
            "producer",
            "origin",
            "contact",
            "certificate_issued_on",
        ]

    def perform(self, user, data):
        return services.create_batch(user=user, **{name: data.get(name) for name in self.Meta.fields})


@admin.register(ProductBatch)
class ProductBatchAdmin(ServiceAdmin):
    form = ProductBatchForm
    list_display = ["product", "batch_number", "produced_on", "quantity", "unit", "certificate_issued_on"]
    search_fields = ["batch_number", "product__name"]
    list_select_related = ["product"]
    autocomplete_fields = ["product"]

    def has_change_permission(self, request, obj=None):
        return False  # a batch is a record of what was shipped: add a new one instead


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
