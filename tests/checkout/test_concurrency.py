"""Two requests changing one cart at the same moment queue on its row instead of colliding."""

import threading

import pytest
from django.db import connection

from checkout import services
from checkout.models import CheckoutLine
from tests.checkout.conftest import cart


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_adds_of_one_variant_make_one_line_with_both_quantities(channel, honey_variant):
    checkout = cart(channel)
    barrier = threading.Barrier(2)
    failures = []

    def add():
        try:
            barrier.wait(timeout=10)
            services.add_lines(checkout.__class__.objects.get(pk=checkout.pk), [(honey_variant.pk, 3)])
        except Exception as error:  # recorded for the assertion below, which shows it
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert list(CheckoutLine.objects.values_list("variant_id", "quantity")) == [(honey_variant.pk, 6)]
