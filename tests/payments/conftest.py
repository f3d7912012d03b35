"""Fixtures of the payment tests. The localstripe server itself (`localstripe`, `stripe_client`) is a
fixture of tests/conftest.py, defined in tests/localstripe.py, so the storefront's browser tests share it."""

import pytest
import stripe

from tests.localstripe import LOCALSTRIPE_SECRET_KEY

# --- The mall's payments against localstripe --------------------------------------------------
WEBHOOK_SECRET = "whsec_union_mall_localstripe"
PUBLISHABLE_KEY = "pk_test_union_mall_localstripe"


@pytest.fixture
def stripe_settings(settings, localstripe):
    """The mall's Stripe settings pointed at this session's localstripe."""
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_SECRET_KEY = LOCALSTRIPE_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_PAYMENT_METHOD_TYPES = ["card", "alipay"]
    settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
    return settings


@pytest.fixture
def shopper_stripe(localstripe):
    """What the shopper's browser does with Stripe.js, done from the test: attach a card and confirm."""

    class Shopper:
        def __init__(self):
            self.client = stripe.StripeClient(LOCALSTRIPE_SECRET_KEY, base_addresses={"api": localstripe})

        def pay(self, payment_intent_id: str, card: str = "pm_card_visa"):
            intents = self.client.v1.payment_intents
            intents.update(payment_intent_id, params={"payment_method": card})
            try:
                return intents.confirm(payment_intent_id)
            except stripe.CardError:
                return intents.retrieve(payment_intent_id)  # declined: the intent carries the error

        def intent(self, payment_intent_id: str):
            return self.client.v1.payment_intents.retrieve(payment_intent_id)

    return Shopper()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
