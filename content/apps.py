from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Pages and navigation menus the storefront reads (Saleor's Page and Menu)."""

    name = "content"
    verbose_name = "页面与导航"
