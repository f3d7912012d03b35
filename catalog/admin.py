"""Operators' back office for the catalogue. Saves go through catalog.services' invariants."""

from django.contrib import admin

from catalog import models, services


class ProductVariantInline(admin.TabularInline):
    model = models.ProductVariant
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Inline variant edits change prices: keep the denormalised range and search text right.
        services.refresh_product_price_range(form.instance)
        services.schedule_search_refresh(form.instance)


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
