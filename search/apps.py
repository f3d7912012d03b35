from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "搜索"

    def ready(self):
        from search import synonyms  # noqa: F401  (forgets the cached synonym table when operators edit it)
