"""The ledger: spends, refunds and expiry, append-only at the model and in PostgreSQL."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError
from django.utils import timezone

from allowances import services, tasks
from allowances.errors import InsufficientAllowance
from allowances.models import AllowanceEntry, AllowanceGrant
from allowances.selectors import allowance_balance, member_grants, spendable_allowances, spent_on_order
from tests.allowances.conftest import issue, make_members, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(operator, member):
    return issue(operator, [member], "300.00")


def test_a_spend_takes_from_the_grant_and_the_balance(grant, member, channel):
    order = make_order(member, channel, allowance="120.00")

    services.spend_for_order(order, {grant.pk: Decimal("120.00")})

    assert allowance_balance(member) == Decimal("180.00")
    assert spent_on_order(order) == {grant.pk: Decimal("120.00")}


def test_a_spend_above_the_balance_writes_nothing(grant, member, channel):
    order = make_order(member, channel)
    with pytest.raises(InsufficientAllowance):
        services.spend_for_order(order, {grant.pk: Decimal("300.01")})
    assert AllowanceEntry.objects.filter(type="SPEND").count() == 0
    assert allowance_balance(member) == Decimal("300.00")


def test_a_member_cannot_spend_someone_elses_grant(operator, grant, channel, branch):
    other = make_members(1, branch=branch)[0]
    with pytest.raises(InsufficientAllowance):
        services.spend_for_order(make_order(other, channel), {grant.pk: Decimal("1.00")})


def test_an_order_spends_once_however_often_completion_is_retried(grant, member, channel):
    order = make_order(member, channel)
    first = services.spend_for_order(order, {grant.pk: Decimal("100.00")})
    again = services.spend_for_order(order, {grant.pk: Decimal("100.00")})

    assert [entry.pk for entry in again] == [entry.pk for entry in first]
    assert allowance_balance(member) == Decimal("200.00")


def test_a_guest_order_cannot_spend(grant, channel):
    with pytest.raises(InsufficientAllowance):
        services.spend_for_order(make_order(None, channel), {grant.pk: Decimal("1.00")})


def test_refunds_never_give_back_more_than_the_order_spent(grant, member, channel):
    order = make_order(member, channel)
    services.spend_for_order(order, {grant.pk: Decimal("100.00")})

    assert services.refund_for_order(order, Decimal("60.00")) == Decimal("60.00")
    assert services.refund_for_order(order, Decimal("60.00")) == Decimal("40.00")
    assert services.refund_for_order(order) == Decimal("0.00")
    assert services.refund_for_order(order, Decimal("5.00")) == Decimal("0.00")

    assert allowance_balance(member) == Decimal("300.00")
    assert spent_on_order(order) == {}


def test_a_refund_goes_back_to_the_grant_that_expires_last(operator, member, channel):
    soon = issue(operator, [member], "50.00", days=5)
    later = issue(operator, [member], "50.00", days=50)
    order = make_order(member, channel)
    services.spend_for_order(order, {soon.pk: Decimal("50.00"), later.pk: Decimal("30.00")})

    services.refund_for_order(order, Decimal("40.00"))

    balances = {allowance.grant_id: allowance.balance for allowance in spendable_allowances(member)}
    assert balances == {later.pk: Decimal("50.00"), soon.pk: Decimal("10.00")}


def test_a_refund_of_another_order_takes_nothing_from_this_one(grant, member, channel):
    spent, untouched = make_order(member, channel), make_order(member, channel)
    services.spend_for_order(spent, {grant.pk: Decimal("100.00")})
    assert services.refund_for_order(untouched) == Decimal("0.00")
    assert allowance_balance(member) == Decimal("200.00")


def test_expiry_writes_off_only_what_is_left(operator, member, channel):
    grant = issue(operator, [member], "300.00", days=1)
    services.spend_for_order(make_order(member, channel), {grant.pk: Decimal("120.00")})
    after_expiry = timezone.now() + timedelta(days=2)

    assert services.expire_allowances(now=after_expiry) == 1
    assert services.expire_allowances(now=after_expiry) == 0

    expiry = AllowanceEntry.objects.get(type="EXPIRE")
    assert (expiry.grant, expiry.user, expiry.amount) == (grant, member, Decimal("-180.00"))
    assert sum(entry.amount for entry in AllowanceEntry.objects.filter(grant=grant)) == Decimal("0.00")


def test_an_expired_grant_is_neither_spendable_nor_counted_before_the_task_runs(operator, member, channel):
    grant = issue(operator, [member], "300.00", days=1)
    later = timezone.now() + timedelta(days=2)

    assert allowance_balance(member, now=later) == Decimal("0.00")
    with pytest.raises(InsufficientAllowance):
        services.spend_for_order(make_order(member, channel), {grant.pk: Decimal("1.00")}, now=later)
    [held] = member_grants(member, now=later)
    assert (held.balance, held.is_expired) == (Decimal("0.00"), True)


def test_expiry_handles_every_member_and_grant_in_one_run(operator, branch):
    members = make_members(3, branch=branch)
    first = issue(operator, members, "100.00", days=1)
    second = issue(operator, members[:2], "50.00", days=1)
    running = issue(operator, members, "10.00", days=10)
    later = timezone.now() + timedelta(days=2)

    assert services.expire_allowances(now=later) == 5

    expired = AllowanceEntry.objects.filter(type="EXPIRE").values_list("grant_id", "user_id", "amount")
    assert sorted(expired) == sorted(
        [(first.pk, member.pk, Decimal("-100.00")) for member in members]
        + [(second.pk, member.pk, Decimal("-50.00")) for member in members[:2]]
    )
    assert all(allowance_balance(member, now=later) == Decimal("10.00") for member in members)
    assert not AllowanceEntry.objects.filter(grant=running, type="EXPIRE").exists()


def test_expiry_leaves_grants_still_running_alone(operator, member):
    issue(operator, [member], "300.00", days=10)
    assert services.expire_allowances() == 0
    assert allowance_balance(member) == Decimal("300.00")


def test_the_celery_task_is_registered_by_its_beat_name_and_expires(operator, member, settings):
    from mall.celery import app

    assert settings.CELERY_BEAT_SCHEDULE["expire-allowances"]["task"] == "allowances.expire_allowances"
    task = app.tasks["allowances.expire_allowances"]
    assert task.run is tasks.expire_allowances.run
    grant = issue(operator, [member], "300.00", days=1)
    assert task.delay().get() == 0
    # A grant's expiry is not part of the append-only ledger; moving it stands in for waiting a day.
    AllowanceGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert task.delay().get() == 1
    assert allowance_balance(member) == Decimal("0.00")


def test_the_model_refuses_to_change_or_delete_an_entry(grant):
    entry = AllowanceEntry.objects.get()
    entry.amount = Decimal("3000.00")
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AllowanceEntry.objects.get().amount == Decimal("300.00")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE allowances_allowanceentry SET amount = 3000",
        "DELETE FROM allowances_allowanceentry",
    ],
)
def test_postgresql_refuses_to_change_or_delete_an_entry(grant, statement):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AllowanceEntry.objects.get().amount == Decimal("300.00")


def test_queryset_updates_and_deletes_are_refused_too(grant):
    with pytest.raises(IntegrityError), transaction.atomic():
        AllowanceEntry.objects.update(amount=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        AllowanceEntry.objects.all().delete()
    assert AllowanceEntry.objects.count() == 1
