"""Operators' back office for delivery and discounts: shipping zones and their methods, priced per
channel, and vouchers. Carts themselves are the shoppers' and are not edited here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from accounts.addresses import validation_rules
from checkout.models import ShippingMethod, ShippingMethodChannelListing, ShippingZone, Voucher


def official_provinces() -> set[str]:
    """Province names as addresses store them (accounts.addresses keeps the Chinese ones)."""
    return {raw for raw, _ in validation_rules().country_area_choices}


class ShippingZoneForm(forms.ModelForm):
    class Meta:
        model = ShippingZone
        fields = ["name", "provinces", "is_default", "channels"]
        help_texts = {"provinces": "用英文逗号分隔省份全称，如：新疆维吾尔自治区,西藏自治区,青海省"}

    def clean_provinces(self):
        provinces = [province.strip() for province in self.cleaned_data["provinces"] if province.strip()]
        # A misspelt province would silently fall back to the default zone: refuse it here.
        unknown = sorted(set(provinces) - official_provinces())
        if unknown:
            raise ValidationError("以下省份不在官方行政区划中：%(names)s", params={"names": "、".join(unknown)})
        return provinces

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_default") and not cleaned.get("provinces"):
            self.add_error("provinces", "非默认区域至少要列出一个省份。")
        return cleaned


class ShippingMethodInline(admin.TabularInline):
    model = ShippingMethod
    extra = 0
    fields = ["name", "description", "minimum_delivery_days", "maximum_delivery_days"]
    show_change_link = True


@admin.register(ShippingZone)
class ShippingZoneAdmin(admin.ModelAdmin):
    form = ShippingZoneForm
    list_display = ["name", "province_list", "is_default"]
    filter_horizontal = ["channels"]
    inlines = [ShippingMethodInline]

    @admin.display(description="省份")
    def province_list(self, zone):
        return "、".join(zone.provinces) if zone.provinces else "（其他未列出的省份）"


class ShippingMethodChannelListingInline(admin.TabularInline):
    model = ShippingMethodChannelListing
    extra = 1
    fields = [
        "channel",
        "price_amount",
        "free_above_amount",
        "minimum_order_price_amount",
        "maximum_order_price_amount",
    ]
    verbose_name = "渠道定价"
    verbose_name_plural = "渠道定价"


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "delivery_days"]
    list_filter = ["zone"]
    list_select_related = ["zone"]
    search_fields = ["name", "zone__name"]
    inlines = [ShippingMethodChannelListingInline]

    @admin.display(description="送达天数")
    def delivery_days(self, method):
        low, high = method.minimum_delivery_days, method.maximum_delivery_days
        if low is None and high is None:
            return "—"
        return f"{low or '?'}–{high or '?'} 天"


class VoucherForm(forms.ModelForm):
    class Meta:
        model = Voucher
        fields = [
            "code",
            "name",
            "discount_value_type",
            "discount_value",
            "min_spent_amount",
            "start_date",
            "end_date",
            "usage_limit",
            "channels",
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "结束时间必须晚于开始时间。")
        if (
            cleaned.get("discount_value_type") == Voucher.DiscountValueType.PERCENTAGE
            and (cleaned.get("discount_value") or 0) > 100
        ):
            self.add_error("discount_value", "折扣比例不能超过 100%。")
        if self.instance.pk and cleaned.get("usage_limit") is not None and cleaned["usage_limit"] < self.instance.used:
            self.add_error("usage_limit", f"已用 {self.instance.used} 次，可用次数不能小于已用次数。")
        return cleaned


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    form = VoucherForm
    list_display = ["code", "name", "discount", "min_spent_amount", "start_date", "end_date", "usage"]
    list_filter = ["discount_value_type", "channels"]
    search_fields = ["code", "name"]
    readonly_fields = ["used"]
    filter_horizontal = ["channels"]

    @admin.display(description="优惠")
    def discount(self, voucher):
        if voucher.discount_value_type == Voucher.DiscountValueType.PERCENTAGE:
            return f"{voucher.discount_value.normalize():f}% 折扣"
        return f"减 ¥{voucher.discount_value}"

    @admin.display(description="已用 / 可用次数")
    def usage(self, voucher):
        return f"{voucher.used} / {voucher.usage_limit if voucher.usage_limit is not None else '不限'}"
