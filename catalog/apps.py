from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "商品目录"

    def ready(self):
        from catalog import signals  # noqa: F401  (connects the receivers)
