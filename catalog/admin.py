"""Operators' back office for the catalogue. Saves go through catalog.services' invariants."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from catalog import models, services
from mall.errors import DomainError


class ProductVariantForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # The one price rule (catalog.services.clean_prices), shown on the row instead of failing the save.
        if cleaned.get("price_amount") is not None:
            try:
                services.clean_prices(cleaned["price_amount"], cleaned.get("member_price_amount"))
            except DomainError as error:
                field = "member_price_amount" if error.field == "memberPrice" else "price_amount"
                self.add_error(field, ValidationError(error.message, code=error.code.lower()))
        return cleaned


class ProductVariantInline(admin.TabularInline):
    model = models.ProductVariant
    form = ProductVariantForm
    extra = 0
    fields = ["sku", "name", "price_amount", "member_price_amount", "track_inventory", "quantity_limit_per_customer"]


class ProductMediaInline(admin.TabularInline):
    model = models.ProductMedia
    extra = 0
    fields = ["image", "alt", "sort_order"]


class ProductChannelListingInline(admin.TabularInline):
    model = models.ProductChannelListing
    extra = 0


@admin.register(models.Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "merchant", "category", "min_price", "max_price", "updated_at"]
    list_filter = ["merchant", "product_type"]
    search_fields = ["name", "slug", "variants__sku"]
    list_select_related = ["merchant", "category"]
    autocomplete_fields = ["category", "merchant"]
    readonly_fields = ["min_price", "max_price", "created_at", "updated_at"]
    inlines = [ProductVariantInline, ProductMediaInline, ProductChannelListingInline]

    def get_readonly_fields(self, request, obj=None):
        # The seller and the type of an existing product are not edits update_product makes.
        return [*self.readonly_fields, "product_type", "merchant"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            services.save_new_product(obj)
            return
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        if changes:
            services.update_product(obj, **changes)

    def save_formset(self, request, form, formset, change):
        if formset.model is not models.ProductVariant:
            super().save_formset(request, form, formset, change)
            return
        variants = formset.save(commit=False)
        for variant in formset.deleted_objects:
            services.delete_variant(variant)
        for variant in variants:
            services.save_variant(variant)


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "level", "parent"]
    search_fields = ["name", "slug"]
    readonly_fields = ["level", "tree_path"]
    exclude = ["tree_path"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a category rewrites the paths of its whole branch: not a form edit.
        return [*self.readonly_fields, "parent"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.save_new_category(obj)


@admin.register(models.Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "region"]


@admin.register(models.Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]


@admin.register(models.Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "city"]
    filter_horizontal = ["channels"]


@admin.register(models.Stock)
class StockAdmin(admin.ModelAdmin):
    list_display = ["product_variant", "warehouse", "quantity", "quantity_allocated"]
    list_select_related = ["product_variant__product", "warehouse"]
    search_fields = ["product_variant__sku", "product_variant__product__name"]
    readonly_fields = ["quantity_allocated"]


admin.site.register(models.Channel)
admin.site.register(models.ProductType)
admin.site.register(models.Attribute)
