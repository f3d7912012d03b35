"""Stripe's webhook endpoint: only signed, fresh events get through, and each is acted on once."""

import logging

import stripe
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import stripe_client
from payments.services import handle_stripe_event

logger = logging.getLogger(__name__)
# Stripe's events are a few kilobytes; anything far larger is not from Stripe.
MAX_BODY_BYTES = 256 * 1024


def _body(request) -> bytes | None:
    """The request body, or None when it is larger than MAX_BODY_BYTES (declared or actual)."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
        return None
    body = request.read(MAX_BODY_BYTES + 1)
    return None if len(body) > MAX_BODY_BYTES else body


@csrf_exempt  # Stripe signs its requests; it has no CSRF cookie.
@require_POST
def stripe_webhook(request):
    payload = _body(request)
    if payload is None:
        return HttpResponse("Payload too large", status=413)
    try:
        event = stripe_client.construct_event(payload, request.headers.get("Stripe-Signature"))
    except stripe.SignatureVerificationError:
        # Forged, tampered, or replayed after the tolerance window: believed in no part.
        logger.warning("Refused a Stripe webhook with a bad or stale signature")
        return HttpResponseBadRequest("Invalid signature")
    except ValueError:
        return HttpResponseBadRequest("Invalid payload")
    outcome = handle_stripe_event(event)
    return JsonResponse({"received": True, "outcome": outcome})
