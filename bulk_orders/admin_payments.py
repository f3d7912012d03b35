"""Admin of paying bulk orders: bank transfers (read-only; added through record_transfer) and invoice
requests (issued with a number, sent, voided through bulk_orders.invoices)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from bulk_orders import invoices, payments
from bulk_orders.models import BankTransfer, BulkOrder, BulkOrderStatus, InvoiceRequest
from mall.errors import DomainError, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions


def _is_operator(request) -> bool:
    return has_permissions(request.user, [PermissionEnum.MANAGE_ORDERS])


class BankTransferAddForm(forms.ModelForm):
    """Records the transfer through payments.record_transfer in clean(): what the service refuses shows on
    the form and nothing is written."""

    bulk_order = forms.ModelChoiceField(
        label="采购单",
        queryset=BulkOrder.objects.filter(status=BulkOrderStatus.PLACED).select_related("branch"),
        help_text="只列出已下单、未付清的采购单；核对转账附言中的付款识别码。",
    )

    class Meta:
        model = BankTransfer
        fields = ["bulk_order", "amount", "received_on", "payer_name", "bank_reference"]

    def __init__(self, *args, recorded_by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.recorded_by = recorded_by
        self.transfer = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.transfer = payments.record_transfer(
                data["bulk_order"],
                amount=data["amount"],
                received_on=data["received_on"],
                payer_name=data["payer_name"],
                bank_reference=data["bank_reference"],
                by=self.recorded_by,
            )
        except DomainError as error:
            field = error.field if error.field in self.fields else None
            raise ValidationError({field: error.message} if field else error.message) from error
        except PermissionDenied as error:
            raise ValidationError(error.message) from error
        return data

    def validate_unique(self):
        pass  # the service checks the bank reference, on the locked bulk order

    def _post_clean(self):
        pass  # the service validated and saved the transfer


@admin.register(BankTransfer)
class BankTransferAdmin(admin.ModelAdmin):
    list_display = ["bank_reference", "bulk_order", "amount", "received_on", "payer_name", "overpaid", "recorded_by"]
    list_select_related = ["bulk_order__order", "recorded_by"]
    list_filter = ["received_on"]
    search_fields = ["bank_reference", "payer_name", "bulk_order__payment_reference"]
    date_hierarchy = "received_on"
    readonly_fields = [
        "bulk_order",
        "amount",
        "currency",
        "received_on",
        "payer_name",
        "bank_reference",
        "recorded_by",
        "recorded_at",
        "overpaid",
    ]

    @admin.display(description="多付", boolean=True)
    def overpaid(self, transfer):
        return payments.is_overpaid(transfer.bulk_order)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        recorded_by = request.user

        class Form(BankTransferAddForm):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, recorded_by=recorded_by, **form_kwargs)

        return super().get_form(request, obj, change=change, form=Form, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["bulk_order", "amount", "received_on", "payer_name", "bank_reference"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_form(self, request, form, change):
        return form.transfer

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        pass

    def has_add_permission(self, request):
        return _is_operator(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _is_operator(request)


@admin.register(InvoiceRequest)
class InvoiceRequestAdmin(admin.ModelAdmin):
    """Operators issue an invoice by entering its number on the request and saving; sent and voided are actions."""

    list_display = ["bulk_order", "title", "taxpayer_number", "status", "invoice_number", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["bulk_order"]
    search_fields = ["title", "taxpayer_number", "invoice_number", "bulk_order__payment_reference"]
    fields = [
        "bulk_order",
        "status",
        "title",
        "taxpayer_number",
        "address",
        "phone",
        "bank_name",
        "bank_account",
        "email",
        "invoice_number",
        "issued_at",
        "requested_by",
        "requested_at",
    ]
    actions = ["mark_sent", "cancel"]

    def get_readonly_fields(self, request, obj=None):
        editable = {"invoice_number"} if obj is not None and obj.status == InvoiceRequest.Status.REQUESTED else set()
        return [name for name in self.fields if name not in editable] + ["requested_at"]

    def save_model(self, request, obj, form, change):
        if "invoice_number" in form.changed_data and obj.invoice_number:
            try:
                invoices.mark_issued(obj, invoice_number=obj.invoice_number, by=request.user)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)

    def _each(self, request, queryset, service, done: str):
        for invoice in queryset:
            try:
                service(invoice, by=request.user)
            except DomainError as error:
                self.message_user(request, f"{invoice.bulk_order}：{error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{invoice.bulk_order}：{done}", messages.SUCCESS)

    @admin.action(description="标记为已发送")
    def mark_sent(self, request, queryset):
        self._each(request, queryset, invoices.mark_sent, "已标记为已发送")

    @admin.action(description="作废")
    def cancel(self, request, queryset):
        self._each(request, queryset, invoices.cancel, "已作废")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return _is_operator(request)

    def has_view_permission(self, request, obj=None):
        return _is_operator(request)
