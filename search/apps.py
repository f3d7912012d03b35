from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "搜索"

    def ready(self):
        # Connects the receivers: products marked for indexing when they change, the cached synonym table
        # forgotten when operators edit it.
        from search import signals, synonyms  # noqa: F401
