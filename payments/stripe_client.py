"""The one door to Stripe: the official SDK, configured from settings on every call.

A StripeClient is built per call instead of setting `stripe.api_key` / `stripe.api_base`, so
tests, threads and requests that point at different servers (localstripe, Stripe) never race
over the module's globals. Amounts cross this door in the currency's smallest unit (fen).
"""

from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings

from mall.money import quantize

# Stripe's minor units: CNY and most currencies have two decimals; these have none.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
# Stripe's payment method types the mall knows how to offer; which are on is a setting.
KNOWN_PAYMENT_METHOD_TYPES = ("card", "alipay", "wechat_pay")
# Payment method types that need extra options on the PaymentIntent.
PAYMENT_METHOD_OPTIONS = {"wechat_pay": {"client": "web"}}
NETWORK_RETRIES = 2


def client() -> stripe.StripeClient:
    """A client for the configured account and server (settings.STRIPE_API_BASE: localstripe in tests)."""
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base_addresses, max_network_retries=NETWORK_RETRIES
    )


def decimals_of(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def to_minor_units(amount: Decimal, currency: str) -> int:
    """¥12.34 → 1234: what Stripe's `amount` fields take."""
    places = decimals_of(currency)
    return int((quantize(amount) * (10**places)).to_integral_value(rounding=ROUND_HALF_UP))


def from_minor_units(value: int, currency: str) -> Decimal:
    """1234 → Decimal("12.34") for CNY."""
    return quantize(Decimal(int(value)).scaleb(-decimals_of(currency)))


def enabled_payment_method_types() -> list[str]:
    """The payment method types settings turn on, in a stable order ("card" first)."""
    enabled = [kind.strip() for kind in settings.STRIPE_PAYMENT_METHOD_TYPES if kind.strip()]
    return [kind for kind in KNOWN_PAYMENT_METHOD_TYPES if kind in enabled]


def create_payment_intent(
    *, amount: Decimal, currency: str, payment_method_types: list[str], metadata: dict, idempotency_key: str
):
    """A PaymentIntent for `amount`; the same idempotency key never creates a second one at Stripe."""
    options = {kind: PAYMENT_METHOD_OPTIONS[kind] for kind in payment_method_types if kind in PAYMENT_METHOD_OPTIONS}
    params = {
        "amount": to_minor_units(amount, currency),
        "currency": currency.lower(),
        "payment_method_types": payment_method_types,
        "metadata": {key: str(value) for key, value in metadata.items()},
    }
    if options:
        params["payment_method_options"] = options
    return client().v1.payment_intents.create(params=params, options={"idempotency_key": idempotency_key})


def retrieve_payment_intent(payment_intent_id: str):
    return client().v1.payment_intents.retrieve(payment_intent_id)


def cancel_payment_intent(payment_intent_id: str, *, idempotency_key: str):
    return client().v1.payment_intents.cancel(payment_intent_id, options={"idempotency_key": idempotency_key})


def create_refund(*, payment_intent_id: str, amount: Decimal, currency: str, metadata: dict, idempotency_key: str):
    """A Refund of `amount` of the PaymentIntent's charge."""
    params = {
        "payment_intent": payment_intent_id,
        "amount": to_minor_units(amount, currency),
        "metadata": {key: str(value) for key, value in metadata.items()},
    }
    return client().v1.refunds.create(params=params, options={"idempotency_key": idempotency_key})


def refunds_of_charge(charge_id: str) -> list:
    return list(client().v1.refunds.list(params={"charge": charge_id, "limit": 100}).data)


def construct_event(payload: bytes, signature_header: str | None) -> stripe.Event:
    """The event `payload` carries, once its signature and timestamp are verified.

    Raises stripe.SignatureVerificationError for a forged, tampered or stale payload (older than
    settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS) and ValueError for a body that is not JSON.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        # Without a secret nothing can be verified, so nothing is believed.
        raise stripe.SignatureVerificationError("STRIPE_WEBHOOK_SECRET is not configured", signature_header, payload)
    return stripe.Webhook.construct_event(
        payload, signature_header, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
    )
