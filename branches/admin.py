from django.contrib import admin
from django.db.models import Count

from branches.models import UnionBranch


@admin.register(UnionBranch)
class UnionBranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "member_count"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description="会员数", ordering="member_count")
    def member_count(self, branch):
        return branch.member_count
