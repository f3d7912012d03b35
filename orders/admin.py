"""Operators' view of orders. Orders are read-only here: canceling goes through orders.services, as in the API."""

from django.contrib import admin, messages

from mall.errors import DomainError, PermissionDenied
from mall.permissions import PermissionEnum, has_permissions
from orders import services
from orders.models import Fulfillment, Order, OrderEvent, OrderLine


def holds_manage_orders(request) -> bool:
    return has_permissions(request.user, [PermissionEnum.MANAGE_ORDERS])


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Order staff hold MANAGE_ORDERS, not Django's per-model view permission of each inline.
        return super().has_view_permission(request, obj) or holds_manage_orders(request)


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = [
        "product_name",
        "variant_name",
        "product_sku",
        "merchant_name",
        "quantity",
        "quantity_fulfilled",
        "undiscounted_unit_price_amount",
        "member_price_amount",
        "unit_price_amount",
        "total_price_amount",
        "allowance_amount",
    ]
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["date", "type", "user", "parameters"]
    readonly_fields = fields
    ordering = ["date", "pk"]


class FulfillmentInline(ReadOnlyInline):
    model = Fulfillment
    fields = ["fulfillment_order", "status", "tracking_number", "created_at"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "status", "charge_status", "total_amount", "allowance_amount", "user_email"]
    list_filter = ["status", "charge_status", "channel"]
    list_select_related = ["user"]
    search_fields = ["=number", "user_email", "user__phone", "lines__product_sku"]
    ordering = ["-number"]
    date_hierarchy = "created_at"
    actions = ["cancel_orders"]
    readonly_fields = [
        "number",
        "status",
        "charge_status",
        "origin",
        "channel",
        "user",
        "user_email",
        "priced_as_member",
        "shipping_address",
        "billing_address",
        "shipping_method_name",
        "voucher_code",
        "undiscounted_subtotal_amount",
        "subtotal_amount",
        "discount_amount",
        "shipping_price_amount",
        "allowance_amount",
        "total_amount",
        "total_charged_amount",
        "customer_note",
        "payment_due_at",
        "paid_at",
        "canceled_at",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields
    inlines = [OrderLineInline, FulfillmentInline, OrderEventInline]

    def get_search_fields(self, request):
        # "=number" compares the bigint column: a term that is not such a number must not reach it.
        terms = request.GET.get("q", "").split()
        if any(not term.isdigit() or len(term) > 18 for term in terms):
            return [field for field in self.search_fields if field != "=number"]
        return self.search_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or holds_manage_orders(request)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or holds_manage_orders(request)

    def has_manage_orders_permission(self, request):
        return holds_manage_orders(request)

    @admin.action(description="取消所选订单（退回库存、优惠券和福利额度）", permissions=["manage_orders"])
    def cancel_orders(self, request, queryset):
        canceled = 0
        for order in queryset.order_by("number"):
            try:
                services.cancel_order(order, by=request.user, reason="运营后台取消")
            except (DomainError, PermissionDenied) as error:
                self.message_user(request, f"订单 {order.number}：{error.message}", messages.ERROR)
            else:
                canceled += 1
        if canceled:
            self.message_user(request, f"已取消 {canceled} 个订单。", messages.SUCCESS)
