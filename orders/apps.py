from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """Orders: what was bought, at which price, how it is paid, allocated and delivered."""

    name = "orders"
    verbose_name = "订单"
