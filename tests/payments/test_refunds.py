"""Refunds by staff against localstripe: card money through Stripe Refunds, allowance back to the ledger."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from allowances.selectors import allowance_balance
from mall.errors import DomainError, PermissionDenied
from mall.permissions import PermissionEnum
from orders.models import GrantedRefundStatus, OrderChargeStatus, OrderEventType, OrderGrantedRefund
from payments import services
from payments.models import TransactionEventType, TransactionItem
from tests.payments import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("buyer@example.com", factories.PASSWORD)


@pytest.fixture
def clerk(django_user_model):
    user = django_user_model.objects.create_user("clerk@example.com", factories.PASSWORD, is_staff=True)
    return factories.grant(user, PermissionEnum.MANAGE_ORDERS)


@pytest.fixture
def pay(stripe_settings, shopper_stripe):
    """Pay `amount` (all that is due by default) of an order by card, through Stripe and transactionProcess."""

    def paying(order, amount=None):
        item, _, _ = services.initialize_transaction(order=order, amount=amount)
        shopper_stripe.pay(item.psp_reference)
        item, _, _ = services.process_transaction(item)
        order.refresh_from_db()
        return item

    return paying


def charge_of(shopper_stripe, item):
    return shopper_stripe.intent(item.psp_reference).to_dict()["latest_charge"]


def stripe_refunded(shopper_stripe, item) -> int:
    refunds = shopper_stripe.client.v1.refunds.list(params={"charge": charge_of(shopper_stripe, item)["id"]})
    return sum(refund.amount for refund in refunds.data)


def test_a_partial_refund_gives_card_money_back_and_the_order_stays_paid(channel, member, clerk, pay, shopper_stripe):
    order = factories.order(channel=channel, user=member)
    item = pay(order)

    granted = services.refund(order, amount=Decimal("30.00"), by=clerk, reason="少发一件")

    order.refresh_from_db()
    item.refresh_from_db()
    assert granted.status == GrantedRefundStatus.SUCCESS
    assert stripe_refunded(shopper_stripe, item) == 3000
    assert (item.amount_refunded, item.amount_refund_pending) == (Decimal("30.00"), Decimal("0.00"))
    assert [event.type for event in item.events.filter(granted_refund=granted)] == [
        TransactionEventType.REFUND_REQUEST,
        TransactionEventType.REFUND_SUCCESS,
    ]
    assert (order.total_charged_amount, order.charge_status) == (Decimal("69.00"), OrderChargeStatus.FULL)
    assert order.events.filter(type=OrderEventType.ORDER_GRANTED_REFUND).count() == 1
    assert order.events.get(type=OrderEventType.PAYMENT_REFUNDED).parameters["amount"] == "30.00"


def test_a_full_refund_gives_everything_back(channel, member, clerk, pay, shopper_stripe):
    order = factories.order(channel=channel, user=member)
    item = pay(order)

    services.refund(order, amount=Decimal("99.00"), by=clerk)

    order.refresh_from_db()
    assert stripe_refunded(shopper_stripe, item) == 9900
    assert charge_of(shopper_stripe, item)["refunded"] is True
    assert order.total_charged_amount == Decimal("0.00")
    assert order.charge_status == OrderChargeStatus.FULL  # it owes nothing: everything was given back by grant


def test_more_than_was_paid_is_refused_and_nothing_changes(channel, member, clerk, pay, shopper_stripe):
    order = factories.order(channel=channel, user=member)
    item = pay(order)

    with pytest.raises(DomainError) as refused:
        services.refund(order, amount=Decimal("99.01"), by=clerk)

    assert (refused.value.field, refused.value.code) == ("amount", "AMOUNT_GREATER_THAN_AVAILABLE")
    assert not OrderGrantedRefund.objects.exists()
    assert stripe_refunded(shopper_stripe, item) == 0


def test_someone_without_manage_orders_cannot_refund(channel, member, pay, shopper_stripe):
    order = factories.order(channel=channel, user=member)
    item = pay(order)

    with pytest.raises(PermissionDenied):
        services.refund(order, amount=Decimal("10.00"), by=member)

    assert stripe_refunded(shopper_stripe, item) == 0


def test_goods_paid_with_allowance_give_the_allowance_back_not_cash(channel, member, clerk, pay, shopper_stripe):
    # 礼盒 ¥120 paid wholly by allowance, 大米 ¥50 by card.
    order = factories.order_paid_partly_by_allowance(
        channel=channel,
        user=member,
        issued_by=clerk,
        lines=[("礼盒", 1, "120.00", "120.00"), ("大米", 1, "50.00", "0.00")],
    )
    item = pay(order)
    balance_before = allowance_balance(member)
    gift_box = order.lines.get(product_name="礼盒")

    granted = services.refund(order, by=clerk, lines=[{"line": gift_box.pk, "quantity": 1}])

    assert granted.amount == Decimal("120.00")
    assert allowance_balance(member) == balance_before + Decimal("120.00")
    assert stripe_refunded(shopper_stripe, item) == 0
    assert granted.lines.get().quantity == 1


def test_a_bare_amount_is_split_as_the_order_was_paid(channel, member, clerk, pay, shopper_stripe):
    # ¥200 of goods: ¥100 by allowance, ¥100 by card.
    order = factories.order_paid_partly_by_allowance(
        channel=channel, user=member, issued_by=clerk, lines=[("礼盒", 1, "200.00", "100.00")]
    )
    item = pay(order)
    balance_before = allowance_balance(member)

    services.refund(order, amount=Decimal("50.00"), by=clerk)

    assert stripe_refunded(shopper_stripe, item) == 2500
    assert allowance_balance(member) == balance_before + Decimal("25.00")


def test_refunding_everything_never_gives_more_cash_than_the_card_paid(channel, member, clerk, pay, shopper_stripe):
    order = factories.order_paid_partly_by_allowance(
        channel=channel, user=member, issued_by=clerk, lines=[("礼盒", 1, "200.00", "100.00")]
    )
    item = pay(order)
    balance_before = allowance_balance(member)

    services.refund(order, amount=Decimal("200.00"), by=clerk)

    assert stripe_refunded(shopper_stripe, item) == 10000
    assert allowance_balance(member) == balance_before + Decimal("100.00")
    with pytest.raises(DomainError) as refused:
        services.refund(order, amount=Decimal("0.01"), by=clerk)
    assert refused.value.code == "AMOUNT_GREATER_THAN_AVAILABLE"


def test_the_same_refund_request_twice_refunds_once(channel, member, clerk, pay, shopper_stripe):
    order = factories.order(channel=channel, user=member)
    item = pay(order)

    first = services.refund(order, amount=Decimal("20.00"), by=clerk, idempotency_key="admin-form-1")
    again = services.refund(order, amount=Decimal("20.00"), by=clerk, idempotency_key="admin-form-1")

    assert again.pk == first.pk
    assert stripe_refunded(shopper_stripe, item) == 2000


def test_more_of_a_line_than_is_left_to_refund_is_a_line_error(channel, member, clerk, pay):
    order = factories.order(channel=channel, user=member, lines=[("苹果", 2, "20.00", "0.00")])
    pay(order)
    line = order.lines.get()
    services.refund(order, by=clerk, lines=[{"line": line.pk, "quantity": 1}])

    with pytest.raises(DomainError) as refused:
        services.refund(order, by=clerk, lines=[{"line": line.pk, "quantity": 2}])

    assert refused.value.extra["lines"][0]["code"] == "QUANTITY_GREATER_THAN_AVAILABLE"
    assert OrderGrantedRefund.objects.count() == 1


def test_shipping_is_refunded_once(channel, member, clerk, pay):
    order = factories.order(channel=channel, user=member, shipping="12.00")
    pay(order)
    services.refund(order, by=clerk, grant_shipping=True)

    with pytest.raises(DomainError) as refused:
        services.refund(order, by=clerk, grant_shipping=True)

    assert refused.value.code == "SHIPPING_COSTS_ALREADY_GRANTED"
    assert OrderGrantedRefund.objects.get().amount == Decimal("12.00")


def test_a_refund_stripe_cannot_be_reached_for_fails_and_is_retried(
    channel, member, clerk, pay, shopper_stripe, settings
):
    order = factories.order_paid_partly_by_allowance(
        channel=channel, user=member, issued_by=clerk, lines=[("礼盒", 1, "200.00", "100.00")]
    )
    item = pay(order)
    balance_before = allowance_balance(member)
    reachable = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port

    granted = services.refund(order, amount=Decimal("40.00"), by=clerk)

    assert granted.status == GrantedRefundStatus.FAILURE
    assert item.events.filter(type=TransactionEventType.REFUND_FAILURE, granted_refund=granted).exists()
    assert allowance_balance(member) == balance_before + Decimal("20.00")  # the ledger part never waits on Stripe

    settings.STRIPE_API_BASE = reachable
    granted = services.execute_granted_refund(granted, by=clerk)

    assert granted.status == GrantedRefundStatus.SUCCESS
    assert stripe_refunded(shopper_stripe, item) == 2000
    assert allowance_balance(member) == balance_before + Decimal("20.00")


def test_a_duplicate_payment_is_given_back_without_lowering_what_the_order_owes(
    channel, member, clerk, stripe_settings, shopper_stripe
):
    order = factories.order(channel=channel, user=member)
    first, _, _ = services.initialize_transaction(order=order)
    second, _, _ = services.initialize_transaction(order=order)  # started before the first was paid
    for item in (first, second):
        shopper_stripe.pay(item.psp_reference)
        services.process_transaction(item)
    order.refresh_from_db()
    assert order.charge_status == OrderChargeStatus.OVERCHARGED

    services.refund_transaction(second, by=clerk)

    order.refresh_from_db()
    assert (order.charge_status, order.total_charged_amount) == (OrderChargeStatus.FULL, Decimal("99.00"))
    assert stripe_refunded(shopper_stripe, second) == 9900


@pytest.mark.django_db(transaction=True)
def test_two_refunds_at_once_never_give_back_more_than_was_paid(channel, member, clerk, pay, shopper_stripe):
    order = factories.order(channel=channel, user=member)
    item = pay(order)
    outcomes = []
    start = threading.Barrier(2)

    def refund_sixty():
        try:
            start.wait()
            services.refund(order, amount=Decimal("60.00"), by=clerk)
            outcomes.append("refunded")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=refund_sixty) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["AMOUNT_GREATER_THAN_AVAILABLE", "refunded"]
    assert stripe_refunded(shopper_stripe, item) == 6000
    assert TransactionItem.objects.get(pk=item.pk).amount_refunded == Decimal("60.00")
