from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payments through Saleor's transaction API, with Stripe as the gateway."""

    name = "payments"
    verbose_name = "支付"
