from django.contrib import admin

from search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """同义词 for operators: saving or deleting one takes effect on the next search (the cached table is
    forgotten by search.synonyms)."""

    list_display = ("__str__", "kind", "term", "is_active", "updated_at")
    list_filter = ("kind", "is_active")
    search_fields = ("term",)
    list_editable = ("is_active",)
    list_display_links = ("__str__",)
    fields = ("kind", "term", "words", "is_active")
    ordering = ("kind", "term", "pk")

    def get_search_results(self, request, queryset, search_term):
        """By the 上位词, or by one of the words exactly (the words are an array)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            found = found | queryset.filter(words__contains=[term])
        return found, may_have_duplicates

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["words"].help_text = "用英文逗号分隔，例如：土豆,马铃薯,洋芋"
        return form
