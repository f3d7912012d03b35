"""Reconciliation of the relief ledger with the orders: a clean day, injected mismatches, the command,
the beat task and the operators' admin."""

import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from mall.permissions import PERMISSION_APP_LABEL, PermissionEnum
from orders import charge
from orders.services import cancel_order
from payments import services as payments
from relief_sourcing.models import ReconciliationMismatch, ReliefLedgerEntry
from relief_sourcing.reconciliation import reconcile_day
from relief_sourcing.tasks import reconcile_yesterday
from tests.orders.conftest import issue_allowance, make_voucher
from tests.relief_sourcing.conftest import buy, pay

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def busy_day(shop, member, plum, rice, certification, order_manager):
    """A day of everything: a paid order with a voucher, one refunded by line and by amount, one canceled
    after payment, an unpaid one, an uncertified one."""
    issue_allowance(member, "1000.00", issued_by=order_manager)
    voucher = make_voucher(shop, value="7.77", usage_limit=10)
    pay(buy(shop, member, [(plum, 3), (rice, 1)], voucher=voucher))
    refunded = buy(shop, member, [(plum, 4)], allowance="100")
    payments.refund(refunded, by=order_manager, lines=[{"line": refunded.lines.get(), "quantity": 1}])
    payments.refund(refunded, by=order_manager, amount="3.33")
    canceled = buy(shop, member, [(plum, 5)], allowance="125")
    payments.refund(canceled, by=order_manager, amount="20.00")
    cancel_order(canceled, by=order_manager)
    buy(shop, member, [(plum, 1)])
    pay(buy(shop, member, [(rice, 2)]))
    return timezone.localdate()


def test_a_clean_day_has_no_mismatch(busy_day):
    assert ReliefLedgerEntry.objects.values("event").distinct().count() == 3

    assert reconcile_day(busy_day) is None
    assert not ReconciliationMismatch.objects.exists()


def insert_entry_for(line, order, *, amount="25.00"):
    """A ledger row for a line that was never paid, written behind the ledger's back with raw SQL."""
    paid = ReliefLedgerEntry.objects.filter(event="PAID").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO relief_sourcing_reliefledgerentry (branch_id, branch_path, channel, event, event_key,"
            " amount, currency, quantity, region_id, supplier_id, certification_id, product_id, order_id,"
            " order_line_id, buyer_id, occurred_at, created_at)"
            " VALUES (%s, %s, 'MEMBER', 'PAID', 'paid', %s, 'CNY', 1, %s, %s, %s, %s, %s, %s, %s, now(), now())",
            [
                paid.branch_id,
                paid.branch_path,
                D(amount),
                paid.region_id,
                paid.supplier_id,
                paid.certification_id,
                paid.product_id,
                order.pk,
                line.pk,
                paid.buyer_id,
            ],
        )


def test_an_injected_row_for_a_line_never_paid_is_caught(busy_day, shop, member, plum):
    unpaid = buy(shop, member, [(plum, 1)])
    insert_entry_for(unpaid.lines.get(), unpaid)

    mismatch = reconcile_day(busy_day)

    assert mismatch is not None
    assert mismatch.ledger_amount - mismatch.expected_amount == D("25.00")
    [detail] = mismatch.details["lines"]
    assert detail["order_number"] == unpaid.number
    assert (detail["event"], detail["expected_amount"], detail["ledger_amount"]) == ("PAID", "0.00", "25.00")
    assert detail["problem"] == "台账多出记录"


def test_a_missing_entry_is_caught(busy_day, shop, member, plum, monkeypatch):
    monkeypatch.setattr(charge, "record_paid_order", lambda order: [])  # the hook "forgot" this one
    missed = pay(buy(shop, member, [(plum, 2)]))

    mismatch = reconcile_day(busy_day)

    [detail] = mismatch.details["lines"]
    assert (detail["order_number"], detail["expected_amount"], detail["ledger_amount"]) == (
        missed.number,
        "50.00",
        "0.00",
    )
    assert (detail["expected_quantity"], detail["problem"]) == (2, "台账缺少记录")


def test_reconciling_again_does_not_record_the_same_mismatch_twice(busy_day, shop, member, plum):
    unpaid = buy(shop, member, [(plum, 1)])
    insert_entry_for(unpaid.lines.get(), unpaid)

    first, second = reconcile_day(busy_day), reconcile_day(busy_day)

    assert first.pk == second.pk
    assert ReconciliationMismatch.objects.count() == 1


def test_the_command_prints_a_mismatch(busy_day, shop, member, plum, capsys):
    unpaid = buy(shop, member, [(plum, 1)])
    insert_entry_for(unpaid.lines.get(), unpaid)

    call_command("reconcile_relief", "--date", busy_day.isoformat())

    out = capsys.readouterr().out
    assert f"{busy_day} 对账不一致" in out
    assert f"订单 {unpaid.number} 巫山脆李 PAID paid：应计 ¥0.00 × 0，台账 ¥25.00 × 1（台账多出记录）" in out


def test_the_command_says_a_clean_day_is_clean(busy_day, capsys):
    call_command("reconcile_relief", "--date", busy_day.isoformat())

    assert f"{busy_day} 对账一致。" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["2025-13-01", "yesterday", "2025/09/30"])
def test_the_command_refuses_a_bad_date(db, value):
    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("reconcile_relief", "--date", value)

    assert not ReconciliationMismatch.objects.exists()


def test_the_nightly_task_is_scheduled_at_half_past_two_and_reconciles_yesterday(db):
    schedule = settings.CELERY_BEAT_SCHEDULE["reconcile-relief-ledger"]

    assert schedule["task"] == "relief_sourcing.reconcile_yesterday"
    assert (schedule["schedule"].hour, schedule["schedule"].minute) == ({2}, {30})
    assert reconcile_yesterday.delay().get() is None


# --- Admin -----------------------------------------------------------------------------------------
@pytest.fixture
def operator(django_user_model):
    user = django_user_model.objects.create_user("relief@example.com", "pass-1234-word", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label=PERMISSION_APP_LABEL, codename=PermissionEnum.MANAGE_RELIEF.codename
        )
    )
    client = Client()
    client.force_login(user)
    return client


def test_operators_see_mismatches_and_mark_them_resolved(operator, busy_day, shop, member, plum):
    unpaid = buy(shop, member, [(plum, 1)])
    insert_entry_for(unpaid.lines.get(), unpaid)
    mismatch = reconcile_day(busy_day)

    listing = operator.get("/admin/relief_sourcing/reconciliationmismatch/")
    response = operator.post(
        "/admin/relief_sourcing/reconciliationmismatch/",
        {"action": "mark_resolved", "_selected_action": [mismatch.pk]},
    )

    assert listing.status_code == 200 and "对账差异" in listing.content.decode()
    assert response.status_code == 302
    mismatch.refresh_from_db()
    assert mismatch.resolved_at is not None and mismatch.resolved_by.email == "relief@example.com"


def test_ledger_entries_are_read_only_in_the_admin(operator, busy_day):
    entry = ReliefLedgerEntry.objects.first()
    base = "/admin/relief_sourcing/reliefledgerentry/"

    assert operator.get(base).status_code == 200
    page = operator.get(f"{base}{entry.pk}/change/")
    assert page.status_code == 200 and "删除" not in page.content.decode()
    assert operator.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert operator.post(f"{base}{entry.pk}/change/", {"amount": "1.00"}).status_code == 403
    assert operator.get(f"{base}add/").status_code == 403
    assert ReliefLedgerEntry.objects.get(pk=entry.pk).amount == entry.amount


def test_an_unknown_ledger_entry_id_is_not_a_server_error(operator):
    assert operator.get(f"/admin/relief_sourcing/reliefledgerentry/{uuid.uuid4()}/change/").status_code in (302, 404)
