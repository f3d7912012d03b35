"""The payment test harness talks to a real localstripe server and receives real signed webhooks."""

import json
import queue
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe

WEBHOOK_SECRET = "whsec_union_mall_localstripe"
# localstripe waits one second before it sends each event.
WEBHOOK_WAIT_SECONDS = 10


def delivery_about(receiver, payment_intent_id):
    """The (payload, signature) of the first event about this PaymentIntent.

    localstripe sends each event to the endpoints registered when it fires, a second after the request, so an
    earlier test's payment may still arrive here; those deliveries are skipped.
    """
    deadline = time.monotonic() + WEBHOOK_WAIT_SECONDS
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"no webhook about {payment_intent_id} within {WEBHOOK_WAIT_SECONDS} s")
        try:
            payload, signature = receiver.deliveries.get(timeout=remaining)
        except queue.Empty:
            continue
        if json.loads(payload)["data"]["object"]["id"] == payment_intent_id:
            return payload, signature


def paid_payment_intent(stripe_client, amount=9990):
    intent = stripe_client.PaymentIntent.create(
        amount=amount, currency="cny", payment_method="pm_card_visa", payment_method_types=["card"]
    )
    return stripe_client.PaymentIntent.confirm(intent.id)


@pytest.fixture
def webhook_receiver():
    """A loopback HTTP server that records each POST (body bytes, Stripe-Signature header) in a queue."""
    deliveries = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            deliveries.put((body, self.headers.get("Stripe-Signature")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format, *args):
            pass  # keep pytest's output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server.deliveries = deliveries
    server.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/stripe/"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def register_webhook(localstripe, *, url, events):
    # One fixed name, so each test's registration replaces the previous test's (localstripe cannot delete one).
    request = urllib.request.Request(
        f"{localstripe}/_config/webhooks/union-mall-tests",
        data=json.dumps({"url": url, "secret": WEBHOOK_SECRET, "events": events}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def test_a_cny_payment_intent_confirmed_with_a_test_visa_card_succeeds(stripe_client):
    intent = paid_payment_intent(stripe_client)

    assert (intent.status, intent.amount, intent.currency) == ("succeeded", 9990, "cny")
    assert intent.id.startswith("pi_")


def test_a_partial_refund_refunds_only_its_amount_of_the_charge(stripe_client):
    intent = paid_payment_intent(stripe_client)

    refund = stripe_client.Refund.create(payment_intent=intent.id, amount=3000)

    assert (refund.status, refund.amount, refund.currency) == ("succeeded", 3000, "cny")
    charge = stripe_client.Charge.retrieve(refund.charge)
    assert (charge.amount, charge.amount_refunded, charge.refunded) == (9990, 3000, False)


def test_an_unknown_payment_intent_is_a_stripe_error_from_the_server(stripe_client):
    # Proves requests really hit the emulator: an unknown id is a Stripe error, not a mocked success.
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.PaymentIntent.retrieve("pi_doesnotexist")


def test_a_succeeded_payment_sends_a_webhook_whose_signature_verifies(stripe_client, localstripe, webhook_receiver):
    register_webhook(localstripe, url=webhook_receiver.url, events=["payment_intent.succeeded"])

    intent = paid_payment_intent(stripe_client)
    payload, signature = delivery_about(webhook_receiver, intent.id)

    event = stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET)
    assert event.type == "payment_intent.succeeded"
    assert (event.data.object.id, event.data.object.amount, event.data.object.currency) == (intent.id, 9990, "cny")


def test_a_tampered_webhook_payload_fails_signature_verification(stripe_client, localstripe, webhook_receiver):
    register_webhook(localstripe, url=webhook_receiver.url, events=["payment_intent.succeeded"])
    intent = paid_payment_intent(stripe_client)
    payload, signature = delivery_about(webhook_receiver, intent.id)

    tampered = payload.replace(b'"amount": 9990', b'"amount": 1')

    assert tampered != payload
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(tampered, signature, WEBHOOK_SECRET)


def test_a_webhook_signed_with_another_secret_fails_verification(stripe_client, localstripe, webhook_receiver):
    register_webhook(localstripe, url=webhook_receiver.url, events=["payment_intent.succeeded"])
    intent = paid_payment_intent(stripe_client)
    payload, signature = delivery_about(webhook_receiver, intent.id)

    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, signature, "whsec_someone_else")
