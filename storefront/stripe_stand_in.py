"""The half of Stripe.js's confirmPayment that localstripe's Stripe.js stand-in lacks.

Real Stripe.js confirms a PaymentIntent in the browser with the publishable key. localstripe's stand-in
(`<localstripe>/js.stripe.com/v3/`) has no Payment Element and no confirmPayment, and localstripe lets only
the secret key give a PaymentIntent its card and confirm it. So with the stand-in, pay.js turns the typed
card into a token (which the stand-in can do), and this view does what confirmPayment would have done at
Stripe: attach the card to the order's PaymentIntent and confirm it. The outcome is then learned exactly as
with real Stripe: process_transaction and the webhook.

It answers only while settings.STRIPE_API_BASE points the SDK at an emulator; against real Stripe it is a
404 (and real Stripe.js never calls it: it has confirmPayment).
"""

import logging

import stripe
from django.conf import settings
from django.http import Http404, JsonResponse

from payments import stripe_client
from payments.models import TransactionItem

logger = logging.getLogger(__name__)
CARD_ID_PREFIXES = ("card_", "pm_")


def confirm_card(request, order, transaction_token) -> JsonResponse:
    if not settings.STRIPE_API_BASE:
        raise Http404("Only for a Stripe emulator.")
    transaction = TransactionItem.objects.filter(order=order, pk=transaction_token).exclude(psp_reference="").first()
    card = request.POST.get("payment_method", "")
    if transaction is None or not card.startswith(CARD_ID_PREFIXES):
        return JsonResponse({"status": "failed", "message": "支付信息不完整，请刷新页面后重试。"}, status=400)
    payment_intents = stripe_client.client().v1.payment_intents
    try:
        payment_intents.update(transaction.psp_reference, params={"payment_method": card})
        intent = payment_intents.confirm(transaction.psp_reference)
    except stripe.CardError as error:
        return JsonResponse({"status": "failed", "message": error.user_message or "银行卡被拒绝，请换一张卡。"})
    except stripe.StripeError as error:
        logger.warning("The emulator refused to confirm %s: %s", transaction.psp_reference, error)
        return JsonResponse({"status": "failed", "message": "支付网关暂时不可用，请稍后再试。"}, status=502)
    return JsonResponse(
        {
            "status": intent.status,
            "transaction": str(transaction.pk),
            "next_action": intent.status == "requires_action",
            "client_secret": intent.client_secret,
        }
    )
