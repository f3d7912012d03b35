from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    """Carts, orders and payments: arrives with the members' buying issue."""

    name = "checkout"
    verbose_name = "结算与订单"
