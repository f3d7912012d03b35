"""/webhooks/stripe/: signed, fresh events only, each acted on once; localstripe's own deliveries too."""

import hashlib
import hmac
import json
import time
import uuid
from decimal import Decimal

import pytest

from orders.models import OrderChargeStatus, OrderEventType
from payments import services
from payments.models import StripeWebhookEvent, TransactionEvent, TransactionEventType
from tests.payments import factories
from tests.payments.conftest import WEBHOOK_SECRET
from tests.payments.test_localstripe import register_webhook

URL = "/webhooks/stripe/"


def sign(body: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A Stripe-Signature header as Stripe computes it: HMAC-SHA256 of "<timestamp>.<body>"."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(obj: dict, event_type: str = "payment_intent.succeeded", event_id: str | None = None) -> bytes:
    return json.dumps(
        {
            "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    ).encode()


def post(client, body: bytes, signature: str | None):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(URL, body, content_type="application/json", **headers)


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("buyer@example.com", factories.PASSWORD)


@pytest.fixture
def payment(stripe_settings, channel, member):
    """An order of ¥99.00 with a PaymentIntent started for it."""
    order = factories.order(channel=channel, user=member)
    item, _, _ = services.initialize_transaction(order=order, user=member)
    return order, item


@pytest.fixture
def paid_intent(payment, shopper_stripe):
    """The order, its transaction and its PaymentIntent as Stripe reports it after the shopper paid."""
    order, item = payment
    shopper_stripe.pay(item.psp_reference)
    return order, item, shopper_stripe.intent(item.psp_reference).to_dict()


def test_a_signed_succeeded_event_marks_the_order_paid(client, paid_intent):
    order, item, intent = paid_intent
    body = event(intent)

    response = post(client, body, sign(body))

    order.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["outcome"] == "processed"
    assert order.charge_status == OrderChargeStatus.FULL
    assert item.events.filter(type=TransactionEventType.CHARGE_SUCCESS).count() == 1


def test_a_replayed_event_is_processed_once(client, paid_intent):
    order, item, intent = paid_intent
    body = event(intent, event_id="evt_replayed_once")

    first = post(client, body, sign(body))
    second = post(client, body, sign(body))

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["outcome"] == "duplicate"
    assert StripeWebhookEvent.objects.filter(event_id="evt_replayed_once").count() == 1
    assert item.events.filter(type=TransactionEventType.CHARGE_SUCCESS).count() == 1
    assert order.events.filter(type=OrderEventType.ORDER_FULLY_PAID).count() == 1


def test_the_webhook_after_transaction_process_adds_nothing(client, paid_intent, member):
    order, item, intent = paid_intent
    services.process_transaction(item, user=member)
    body = event(intent)

    post(client, body, sign(body))

    item.refresh_from_db()
    assert item.amount_charged == Decimal("99.00")
    assert item.events.filter(type=TransactionEventType.CHARGE_SUCCESS).count() == 1


def test_a_forged_signature_is_refused_and_changes_nothing(client, paid_intent):
    order, item, intent = paid_intent
    body = event(intent)
    events_before = TransactionEvent.objects.count()

    response = post(client, body, sign(body, secret="whsec_someone_else"))

    order.refresh_from_db()
    assert response.status_code == 400
    assert order.charge_status == OrderChargeStatus.NONE
    assert TransactionEvent.objects.count() == events_before
    assert not StripeWebhookEvent.objects.exists()


def test_a_tampered_payload_is_refused(client, paid_intent):
    order, _, intent = paid_intent
    body = event(intent)
    signature = sign(body)

    response = post(client, body.replace(b'"cny"', b'"usd"'), signature)

    assert response.status_code == 400
    assert not StripeWebhookEvent.objects.exists()


def test_a_stale_timestamp_is_refused(client, paid_intent, settings):
    order, _, intent = paid_intent
    body = event(intent)
    too_old = int(time.time()) - settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS - 5

    response = post(client, body, sign(body, timestamp=too_old))

    order.refresh_from_db()
    assert response.status_code == 400
    assert order.charge_status == OrderChargeStatus.NONE
    assert not StripeWebhookEvent.objects.exists()


def test_a_request_without_a_signature_is_refused(client, paid_intent):
    _, _, intent = paid_intent

    response = post(client, event(intent), None)

    assert response.status_code == 400
    assert not StripeWebhookEvent.objects.exists()


def test_without_a_webhook_secret_no_event_is_believed(client, paid_intent, settings):
    _, _, intent = paid_intent
    body = event(intent)
    signature = sign(body)
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = post(client, body, signature)

    assert response.status_code == 400
    assert not StripeWebhookEvent.objects.exists()


def test_a_signed_body_that_is_not_json_is_refused(client, db, stripe_settings):
    body = b"{not json"

    response = post(client, body, sign(body))

    assert response.status_code == 400


def test_an_event_type_the_mall_does_not_use_is_acknowledged_and_ignored(client, db, stripe_settings):
    body = event({"id": "cus_123", "object": "customer"}, event_type="customer.created")

    response = post(client, body, sign(body))

    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    assert not StripeWebhookEvent.objects.exists()


def test_only_post_is_allowed(client, stripe_settings):
    assert client.get(URL).status_code == 405


def test_a_body_larger_than_any_stripe_event_is_refused(client, stripe_settings):
    body = b'{"pad": "' + b"x" * (300 * 1024) + b'"}'

    response = post(client, body, sign(body))

    assert response.status_code == 413


def test_an_amount_other_than_the_transactions_is_recorded_and_does_not_pay(client, paid_intent):
    order, item, intent = paid_intent
    intent["amount_received"] = 100  # ¥1.00 where ¥99.00 was asked
    body = event(intent)

    response = post(client, body, sign(body))

    order.refresh_from_db()
    item.refresh_from_db()
    assert response.status_code == 200
    info = item.events.get(type=TransactionEventType.INFO)
    assert "金额不符" in info.message
    assert item.message == info.message
    assert item.amount_charged == Decimal("0.00")
    assert order.charge_status == OrderChargeStatus.NONE


def test_a_currency_other_than_the_transactions_is_recorded_and_does_not_pay(client, paid_intent):
    order, item, intent = paid_intent
    intent["currency"] = "usd"
    body = event(intent)

    post(client, body, sign(body))

    order.refresh_from_db()
    assert "币种不符" in item.events.get(type=TransactionEventType.INFO).message
    assert order.charge_status == OrderChargeStatus.NONE


def test_a_failed_payment_event_leaves_the_order_unpaid_with_the_reason(client, payment, shopper_stripe):
    order, item = payment
    shopper_stripe.pay(item.psp_reference, card="pm_card_chargeCustomerFail")
    intent = shopper_stripe.intent(item.psp_reference).to_dict()
    body = event(intent, event_type="payment_intent.payment_failed")

    response = post(client, body, sign(body))

    order.refresh_from_db()
    item.refresh_from_db()
    reason = intent["last_payment_error"]["message"]
    assert response.status_code == 200
    assert order.charge_status == OrderChargeStatus.NONE
    assert item.message == reason
    assert order.events.get(type=OrderEventType.PAYMENT_FAILED).parameters["message"] == reason


def test_a_refund_made_in_stripes_dashboard_reaches_the_order(client, paid_intent, shopper_stripe, member):
    order, item, _ = paid_intent
    services.process_transaction(item, user=member)
    shopper_stripe.client.v1.refunds.create(params={"payment_intent": item.psp_reference, "amount": 3000})
    charge = shopper_stripe.intent(item.psp_reference).to_dict()["latest_charge"]
    body = event(charge, event_type="charge.refunded")

    post(client, body, sign(body))

    order.refresh_from_db()
    item.refresh_from_db()
    assert item.amount_refunded == Decimal("30.00")
    # Not a refund staff granted: the order owes the ¥30.00 again, as in Saleor.
    assert (order.total_charged_amount, order.charge_status) == (Decimal("69.00"), OrderChargeStatus.PARTIAL)


def test_an_event_about_someone_elses_payment_intent_is_acknowledged(client, db, stripe_settings):
    body = event({"id": "pi_not_ours", "object": "payment_intent", "status": "succeeded", "currency": "cny"})

    response = post(client, body, sign(body))

    assert response.status_code == 200
    assert not TransactionEvent.objects.filter(psp_reference="pi_not_ours").exists()


@pytest.mark.django_db(transaction=True)
def test_localstripes_signed_webhook_pays_the_order(live_server, stripe_settings, localstripe, shopper_stripe, channel):
    register_webhook(localstripe, url=f"{live_server.url}{URL}", events=["payment_intent.succeeded"])
    order = factories.order(channel=channel, user=None)
    item, _, _ = services.initialize_transaction(order=order)

    shopper_stripe.pay(item.psp_reference)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        order.refresh_from_db()
        if order.charge_status == OrderChargeStatus.FULL:
            break
        time.sleep(0.2)
    assert order.charge_status == OrderChargeStatus.FULL
    assert item.events.filter(type=TransactionEventType.CHARGE_SUCCESS).count() == 1
