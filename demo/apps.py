from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the mall: `manage.py seed_demo`."""

    name = "demo"
    verbose_name = "演示数据"
