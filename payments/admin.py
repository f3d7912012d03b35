"""Payments in the admin: transactions read-only with their events, and a refund page for staff
that calls the same refund service as orderGrantRefundCreate."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from mall.errors import DomainError, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions
from payments import services
from payments.models import StripeWebhookEvent, TransactionEvent, TransactionItem
from payments.selectors import refundable_amount


class ReadOnlyAdminMixin:
    """Rows written only from what Stripe reported: nobody adds, edits or deletes them by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentStaffMixin:
    """Staff who handle orders see payments even without the model's view permission."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or has_permissions(
            request.user, [PermissionEnum.MANAGE_ORDERS, PermissionEnum.HANDLE_PAYMENTS]
        )

    def has_module_permission(self, request):
        return super().has_module_permission(request) or has_permissions(
            request.user, [PermissionEnum.MANAGE_ORDERS, PermissionEnum.HANDLE_PAYMENTS]
        )


class TransactionEventInline(PaymentStaffMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = TransactionEvent
    fields = ("created_at", "type", "amount_value", "currency", "psp_reference", "message", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("created_at", "pk")


class RefundForm(forms.Form):
    amount = forms.DecimalField(label="退款金额（元）", max_digits=12, decimal_places=2, min_value=0.01)
    reason = forms.CharField(label="退款原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    # One form shown, one refund: a second submission of the same form finds the first refund.
    request_token = forms.CharField(widget=forms.HiddenInput)


@admin.register(TransactionItem)
class TransactionItemAdmin(PaymentStaffMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("token", "order", "psp_reference", "amount_charged", "amount_refunded", "message", "created_at")
    list_filter = ("payment_method_type", "currency")
    search_fields = ("psp_reference", "order__number", "token")
    list_select_related = ("order",)
    readonly_fields = (
        "token",
        "name",
        "psp_reference",
        "app_identifier",
        "order",
        "checkout",
        "user",
        "currency",
        "payment_method_type",
        "amount_charged",
        "amount_charge_pending",
        "amount_refunded",
        "amount_refund_pending",
        "amount_canceled",
        "message",
        "created_at",
        "modified_at",
        "refund_link",
    )
    fields = readonly_fields
    inlines = [TransactionEventInline]
    actions = ["refund_selected"]

    def get_urls(self):
        return [
            path(
                "<uuid:token>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="payments_transactionitem_refund",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="退款")
    def refund_link(self, obj):
        if obj.order_id is None or refundable_amount(obj) <= 0:
            return "—"
        url = reverse("admin:payments_transactionitem_refund", args=[obj.pk])
        return format_html('<a class="button" href="{}">退款</a>', url)

    @admin.action(description="退款（选择一笔支付）")
    def refund_selected(self, request, queryset):
        items = list(queryset[:2])
        if len(items) != 1:
            self.message_user(request, "请只选择一笔支付进行退款。", level=messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:payments_transactionitem_refund", args=[items[0].pk]))

    def refund_view(self, request, token):
        item = get_object_or_404(TransactionItem.objects.select_related("order"), pk=token)
        change_url = reverse("admin:payments_transactionitem_change", args=[item.pk])
        if item.order is None:
            self.message_user(request, "这笔支付还没有订单，不能退款。", level=messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            form = RefundForm(request.POST)
            if form.is_valid():
                try:
                    granted = services.refund(
                        item.order,
                        amount=form.cleaned_data["amount"],
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                        transaction_item=item,
                        idempotency_key=f"admin:{form.cleaned_data['request_token']}",
                    )
                except PermissionDenied:
                    form.add_error(None, "需要「管理订单」权限才能退款。")
                except DomainError as error:
                    form.add_error("amount" if error.field == "amount" else None, error.message)
                else:
                    level = messages.SUCCESS if granted.status != "FAILURE" else messages.ERROR
                    self.message_user(
                        request,
                        f"订单 {item.order.number} 退款 ¥{granted.amount}：{granted.get_status_display()}",
                        level,
                    )
                    return HttpResponseRedirect(change_url)
        else:
            form = RefundForm(initial={"amount": refundable_amount(item), "request_token": uuid.uuid4().hex})
        return TemplateResponse(
            request,
            "admin/payments/transactionitem/refund.html",
            {
                **self.admin_site.each_context(request),
                "title": f"订单 {item.order.number} 退款",
                "opts": self.model._meta,
                "item": item,
                "refundable": refundable_amount(item),
                "form": form,
                "change_url": change_url,
            },
        )


@admin.register(StripeWebhookEvent)
class StripeWebhookEventAdmin(PaymentStaffMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("event_id", "type", "received_at")
    list_filter = ("type",)
    search_fields = ("event_id",)
