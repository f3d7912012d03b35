"""The ledger under real concurrency: threads with their own database connections, started together."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from allowances import services
from allowances.errors import InsufficientAllowance, YearlyLimitExceeded
from allowances.models import AllowanceEntry, AllowanceGrant
from allowances.selectors import allowance_balance
from tests.allowances.conftest import in_days, issue, make_order

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls) -> list:
    """Start every call at once on its own thread; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the test inspects what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_orders_spending_the_same_balance_at_once_never_take_it_below_zero(operator, member, channel):
    grant = issue(operator, [member], "300.00")
    first, second = make_order(member, channel), make_order(member, channel)

    results = run_together(
        lambda: services.spend_for_order(first, {grant.pk: Decimal("200.00")}),
        lambda: services.spend_for_order(second, {grant.pk: Decimal("200.00")}),
    )

    assert sorted(type(result).__name__ for result in results) == ["InsufficientAllowance", "list"]
    assert allowance_balance(member) == Decimal("100.00")
    assert AllowanceEntry.objects.filter(type="SPEND").count() == 1


def test_eight_orders_at_once_spend_exactly_what_there_is(operator, member, channel):
    grant = issue(operator, [member], "300.00")
    orders = [make_order(member, channel) for _ in range(8)]

    results = run_together(
        *[lambda order=order: services.spend_for_order(order, {grant.pk: Decimal("100")}) for order in orders]
    )

    assert sum(isinstance(result, list) for result in results) == 3
    assert sum(isinstance(result, InsufficientAllowance) for result in results) == 5
    assert allowance_balance(member) == Decimal("0.00")


def test_expiry_run_twice_at_once_writes_each_remainder_off_once(operator, member, channel):
    grant = issue(operator, [member], "300.00", days=1)
    services.spend_for_order(make_order(member, channel), {grant.pk: Decimal("50.00")})
    later = timezone.now() + timedelta(days=2)

    results = run_together(lambda: services.expire_allowances(now=later), lambda: services.expire_allowances(now=later))

    assert sorted(results) == [0, 1]
    assert list(AllowanceEntry.objects.filter(type="EXPIRE").values_list("amount", flat=True)) == [Decimal("-250.00")]


def test_a_spend_racing_the_expiry_never_leaves_a_negative_remainder(operator, member, channel):
    grant = issue(operator, [member], "300.00", days=1)
    AllowanceGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + timedelta(seconds=2))
    order = make_order(member, channel)
    spend_time = timezone.now()  # the checkout was priced before the expiry
    expiry_time = timezone.now() + timedelta(seconds=3)

    run_together(
        lambda: services.spend_for_order(order, {grant.pk: Decimal("300.00")}, now=spend_time),
        lambda: services.expire_allowances(now=expiry_time),
    )

    entries = AllowanceEntry.objects.filter(grant=grant)
    assert sum(entry.amount for entry in entries) == Decimal("0.00")
    assert sorted(entry.type for entry in entries) in (["ISSUE", "SPEND"], ["EXPIRE", "ISSUE"])


def test_the_same_submission_twice_at_once_makes_one_grant(operator, member):
    expires_at = in_days(30)

    def submit():
        return services.issue_allowance(
            reason="中秋慰问",
            amount="300",
            expires_at=expires_at,
            members=[member],
            issued_by=operator,
            idempotency_key="double-click",
        )

    results = run_together(submit, submit)

    assert results[0].pk == results[1].pk
    assert AllowanceGrant.objects.count() == 1
    assert allowance_balance(member) == Decimal("300.00")


def test_two_grants_at_once_cannot_both_fit_under_the_yearly_cap(operator, member, settings):
    settings.ALLOWANCE_MAX_PER_MEMBER_YEAR = Decimal("2500")
    results = run_together(
        lambda: issue(operator, [member], "1500.00", reason="春节慰问"),
        lambda: issue(operator, [member], "1500.00", reason="端午慰问"),
    )

    assert sorted(type(result).__name__ for result in results) == ["AllowanceGrant", "YearlyLimitExceeded"]
    assert isinstance(next(result for result in results if not isinstance(result, AllowanceGrant)), YearlyLimitExceeded)
    assert allowance_balance(member) == Decimal("1500.00")
