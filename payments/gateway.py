"""The payment gateway the mall offers, as Saleor's payment app: Stripe, identified as Saleor's
Stripe app is, so that a storefront written for Saleor's Stripe drop-in finds it unchanged."""

from django.conf import settings

from payments.models import STRIPE_GATEWAY

GATEWAY_NAME = "Stripe"


def stripe_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def available_gateways(currency: str) -> list[dict]:
    """Saleor's PaymentGateway shape: id, name, currencies and config (the publishable key)."""
    if not stripe_enabled():
        return []
    return [
        {
            "id": STRIPE_GATEWAY,
            "name": GATEWAY_NAME,
            "currencies": [currency],
            "config": [{"field": "api_key", "value": settings.STRIPE_PUBLISHABLE_KEY}],
        }
    ]


def gateway_configs(requested: list[str] | None = None) -> list[dict]:
    """Saleor's PaymentGatewayConfig list for paymentGatewayInitialize: Stripe's publishable key, as
    Saleor's Stripe app gives it; a NOT_FOUND error for any other gateway asked for."""
    ids = requested if requested is not None else ([STRIPE_GATEWAY] if stripe_enabled() else [])
    configs = []
    for gateway_id in ids:
        if gateway_id == STRIPE_GATEWAY and stripe_enabled():
            configs.append(
                {"id": gateway_id, "data": {"stripePublishableKey": settings.STRIPE_PUBLISHABLE_KEY}, "errors": []}
            )
        else:
            configs.append(
                {
                    "id": gateway_id,
                    "data": None,
                    "errors": [
                        {
                            "field": "id",
                            "message": f"Active app with `{gateway_id}` identifier not found.",
                            "code": "NOT_FOUND",
                        }
                    ],
                }
            )
    return configs
