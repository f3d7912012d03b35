"""The branch tree in the admin: an indented list in tree order with levels, members and roles inline.

Adding a branch and moving one go through branches.services (level rules, the tree lock); the form
checks the same rules first, so a refused placement is a form error rather than a failed save.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from branches import services
from branches.models import BranchLevel, BranchRole, UnionBranch
from mall.errors import DomainError
from mall.permissions import PermissionEnum, has_permissions

MANAGE_BRANCHES = PermissionEnum.MANAGE_BRANCHES

INDENT = "\u3000\u3000"  # two ideographic spaces per level: the tree reads as an outline


class BranchRoleInline(admin.TabularInline):
    model = BranchRole
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class LevelFilter(admin.SimpleListFilter):
    title = "级别"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [(str(level.value), f"{level.value} · {level.label}") for level in BranchLevel]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            return queryset.filter(depth=int(self.value()) + 1)
        except ValueError:
            return queryset.none()


class UnionBranchForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        queryset=UnionBranch.objects.filter(depth__lte=BranchLevel.GRASSROOTS),
        required=False,
        label="上级组织",
        help_text="留空为市总工会（第0级）；下级比上级低一级，最多四级。移动时级别不变。",
    )

    class Meta:
        model = UnionBranch
        fields = ["code", "name", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.depth > 1:
            self.initial["parent"] = UnionBranch.objects.get_parent(self.instance)

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        try:
            if not self.instance.pk:
                level = services.check_parent(parent)
                services.check_kind(cleaned.get("kind") or "", level)
            else:
                services.check_kind(cleaned.get("kind") or "", self.instance.level)
                services.check_move(self.instance, parent)
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned


@admin.register(UnionBranch)
class UnionBranchAdmin(admin.ModelAdmin):
    form = UnionBranchForm
    list_display = ["indented_name", "code", "level_display", "kind", "member_count"]
    list_filter = [LevelFilter, "kind"]
    search_fields = ["code", "name"]
    ordering = ["path"]
    list_per_page = 200
    fields = ["code", "name", "kind", "parent"]
    inlines = [BranchRoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    # The tree changes through services, which want MANAGE_BRANCHES; the admin asks the same.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and has_permissions(request.user, [MANAGE_BRANCHES])

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and has_permissions(request.user, [MANAGE_BRANCHES])

    @admin.display(description="名称", ordering="path")
    def indented_name(self, branch):
        return format_html("{}{}", INDENT * branch.level, branch.name)

    @admin.display(description="级别", ordering="depth")
    def level_display(self, branch):
        return f"{branch.level} · {BranchLevel(branch.level).label}" if branch.level <= 3 else branch.level

    @admin.display(description="本级会员数", ordering="member_count")
    def member_count(self, branch):
        return branch.member_count

    def save_model(self, request, obj, form, change):
        parent = form.cleaned_data.get("parent")
        if not change:
            created = services.create_union_branch(
                code=obj.code, name=obj.name, parent=parent, kind=obj.kind, by=request.user
            )
            obj.pk, obj.path, obj.depth, obj.numchild = created.pk, created.path, created.depth, created.numchild
            return
        services.update_union_branch(branch=obj, by=request.user, code=obj.code, name=obj.name, kind=obj.kind)
        moved = services.move_branch(branch=obj, parent=parent, by=request.user)
        obj.path, obj.depth = moved.path, moved.depth


@admin.register(BranchRole)
class BranchRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "branch", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "branch__code", "branch__name"]
    autocomplete_fields = ["user", "branch"]
    list_select_related = ["user", "branch"]
