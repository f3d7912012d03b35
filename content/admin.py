"""Operators edit pages and menus here; every save goes through content.services.

A page's content is edited as text (paragraphs, "## " headings, "- " lists; see content.editorjs)
and stored as EditorJS JSON, so nobody types JSON. Access follows Saleor's permissions:
MANAGE_PAGES for pages, MANAGE_MENUS for menus.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from content import models, services
from content.editorjs import editorjs_from_text, text_from_editorjs
from mall.permissions import PermissionEnum, has_permissions

CONTENT_HELP = "空一行分段；以“## ”开头的一行是小标题；以“- ”或“1. ”开头的连续几行是列表。"


class SaleorPermissionMixin:
    """Every action on the model needs the one Saleor permission that guards it in the API."""

    permission: PermissionEnum

    def _allowed(self, request) -> bool:
        return has_permissions(request.user, [self.permission])

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class SaleorPermissionAdmin(SaleorPermissionMixin, admin.ModelAdmin):
    pass


class PageForm(forms.ModelForm):
    content_text = forms.CharField(
        label="内容", widget=forms.Textarea(attrs={"rows": 20}), required=False, help_text=CONTENT_HELP
    )

    class Meta:
        model = models.Page
        fields = ["page_type", "title", "slug", "is_published", "published_at", "seo_title", "seo_description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["content_text"].initial = text_from_editorjs(self.instance.content)


@admin.register(models.Page)
class PageAdmin(SaleorPermissionAdmin):
    permission = PermissionEnum.MANAGE_PAGES
    form = PageForm
    list_display = ["title", "slug", "page_type", "is_published", "published_at", "created_at"]
    list_filter = ["is_published", "page_type"]
    search_fields = ["title", "slug"]
    fieldsets = [
        (None, {"fields": ["page_type", "title", "slug", "content_text"]}),
        ("发布", {"fields": ["is_published", "published_at"]}),
        ("SEO", {"fields": ["seo_title", "seo_description"]}),
    ]

    def save_model(self, request, obj, form, change):
        obj.content = editorjs_from_text(form.cleaned_data["content_text"])
        services.save_page(obj, requestor=request.user)


@admin.register(models.PageType)
class PageTypeAdmin(SaleorPermissionAdmin):
    permission = PermissionEnum.MANAGE_PAGE_TYPES_AND_ATTRIBUTES
    list_display = ["name", "slug"]


class MenuItemForm(forms.ModelForm):
    def _post_clean(self):
        super()._post_clean()
        # The tree rules the service applies on save, shown on the form instead of failing the save.
        try:
            services.check_menu_item_place(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class MenuItemInline(SaleorPermissionMixin, admin.TabularInline):
    permission = PermissionEnum.MANAGE_MENUS
    model = models.MenuItem
    form = MenuItemForm
    fk_name = "menu"
    extra = 1
    fields = ["name", "parent", "sort_order", "category", "collection", "page", "url", "level"]
    readonly_fields = ["level"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Only items of the menu being edited can be parents.
            menu_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = (
                models.MenuItem.objects.filter(menu_id=menu_id) if menu_id else models.MenuItem.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.Menu)
class MenuAdmin(SaleorPermissionAdmin):
    permission = PermissionEnum.MANAGE_MENUS
    list_display = ["name", "slug"]
    inlines = [MenuItemInline]

    def save_model(self, request, obj, form, change):
        services.save_menu(obj, requestor=request.user)

    def save_formset(self, request, form, formset, change):
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            item.delete()
        # Parents first, so that a moved branch is re-levelled from its top.
        for item in sorted(items, key=lambda item: item.parent.level if item.parent else -1):
            services.save_menu_item(item, requestor=request.user)
        formset.save_m2m()
