from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from checkout.models import Checkout
from checkout.tasks import delete_stale_checkouts_task
from payments.models import TransactionItem


def checkout_last_changed(channel, days_ago: int) -> Checkout:
    checkout = Checkout.objects.create(channel=channel)
    Checkout.objects.filter(pk=checkout.pk).update(last_change=timezone.now() - timedelta(days=days_ago))
    return checkout


def test_checkouts_untouched_longer_than_the_ttl_are_deleted_and_recent_ones_kept(channel, settings):
    settings.CHECKOUT_TTL_DAYS = 30
    stale, recent = checkout_last_changed(channel, 31), checkout_last_changed(channel, 29)

    assert delete_stale_checkouts_task.delay().get() == 1

    assert list(Checkout.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Checkout.objects.filter(pk=stale.pk).exists()


def test_a_stale_checkout_holding_a_charged_payment_is_kept(channel, settings):
    settings.CHECKOUT_TTL_DAYS = 30
    paid = checkout_last_changed(channel, 90)
    TransactionItem.objects.create(checkout=paid, amount_charged=Decimal("12.50"))
    abandoned_attempt = checkout_last_changed(channel, 90)
    TransactionItem.objects.create(checkout=abandoned_attempt)

    assert delete_stale_checkouts_task.delay().get() == 1

    assert list(Checkout.objects.values_list("pk", flat=True)) == [paid.pk]
