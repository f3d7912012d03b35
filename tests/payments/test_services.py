"""Payment services against a real localstripe: starting, processing and recording payments."""

from decimal import Decimal

import pytest

from mall.errors import DomainError
from orders.models import OrderChargeStatus, OrderEvent, OrderEventType, OrderStatus
from payments import services, stripe_client
from payments.models import TransactionEventType, TransactionItem
from tests.payments import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("buyer@example.com", factories.PASSWORD)


@pytest.fixture
def unpaid_order(channel, member):
    return factories.order(channel=channel, user=member, lines=[("五常大米", 2, "45.50", "0.00")], shipping="8.00")


def test_amounts_cross_to_stripe_in_fen_and_back():
    assert stripe_client.to_minor_units(Decimal("12.34"), "CNY") == 1234
    assert stripe_client.to_minor_units(Decimal("0.01"), "cny") == 1
    assert stripe_client.from_minor_units(9908, "CNY") == Decimal("99.08")
    assert stripe_client.to_minor_units(Decimal("500"), "JPY") == 500


def test_only_payment_method_types_settings_enable_are_offered(settings):
    settings.STRIPE_PAYMENT_METHOD_TYPES = ["wechat_pay", "card", "bitcoin"]

    assert stripe_client.enabled_payment_method_types() == ["card", "wechat_pay"]


def test_initializing_an_order_payment_creates_a_payment_intent_for_what_is_due(
    stripe_settings, shopper_stripe, unpaid_order, member
):
    item, event, data = services.initialize_transaction(order=unpaid_order, user=member)

    intent = shopper_stripe.intent(item.psp_reference)
    assert (intent.amount, intent.currency, intent.status) == (9900, "cny", "requires_payment_method")
    assert intent.metadata["transaction_token"] == str(item.token)
    assert intent.metadata["order_id"] == str(unpaid_order.pk)
    assert data == {"paymentIntent": {"stripeClientSecret": intent.client_secret}}
    assert event.type == TransactionEventType.CHARGE_ACTION_REQUIRED
    request = item.events.get(type=TransactionEventType.CHARGE_REQUEST)
    assert request.amount_value == Decimal("99.00")


def test_a_checkout_payment_defaults_to_the_checkout_total(stripe_settings, shopper_stripe, channel, member):
    checkout = factories.checkout(channel=channel, user=member, price="30.00", quantity=2)

    item, _event, _data = services.initialize_transaction(checkout=checkout, user=member)

    assert shopper_stripe.intent(item.psp_reference).amount == 6000
    assert item.checkout_id == checkout.pk and item.order_id is None


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "支付金额必须大于 0。"),
        (Decimal("-5"), "支付金额必须大于 0。"),
        (Decimal("99.01"), "支付金额不能超过应付金额 ¥99.00。"),
        (Decimal("1.005"), "支付金额最多两位小数（分）。"),
    ],
)
def test_a_bad_amount_is_refused_and_nothing_is_created(stripe_settings, unpaid_order, member, amount, message):
    with pytest.raises(DomainError) as refused:
        services.initialize_transaction(order=unpaid_order, user=member, amount=amount)

    assert (refused.value.field, refused.value.code, refused.value.message) == ("amount", "INVALID", message)
    assert not TransactionItem.objects.exists()


def test_an_empty_checkout_cannot_be_paid(stripe_settings, channel, member):
    checkout = factories.checkout(channel=channel, user=member)
    checkout.lines.all().delete()

    with pytest.raises(DomainError, match="购物车是空的"):
        services.initialize_transaction(checkout=checkout, user=member)
    assert not TransactionItem.objects.exists()


def test_a_canceled_order_cannot_be_paid(stripe_settings, unpaid_order, member):
    unpaid_order.status = OrderStatus.CANCELED
    unpaid_order.save()

    with pytest.raises(DomainError, match="订单已取消"):
        services.initialize_transaction(order=unpaid_order, user=member)


def test_a_paid_order_cannot_be_paid_again(stripe_settings, shopper_stripe, unpaid_order, member):
    item, _, _ = services.initialize_transaction(order=unpaid_order, user=member)
    shopper_stripe.pay(item.psp_reference)
    services.process_transaction(item, user=member)

    with pytest.raises(DomainError, match="订单已支付"):
        services.initialize_transaction(order=unpaid_order, user=member)


def test_a_currency_other_than_the_orders_is_refused(stripe_settings, unpaid_order, member):
    with pytest.raises(DomainError) as refused:
        services.initialize_transaction(order=unpaid_order, user=member, currency="USD")

    assert refused.value.field == "currency"
    assert not TransactionItem.objects.exists()


def test_someone_elses_order_reads_as_not_found(stripe_settings, unpaid_order, django_user_model):
    stranger = django_user_model.objects.create_user("stranger@example.com", factories.PASSWORD)

    with pytest.raises(DomainError) as refused:
        services.initialize_transaction(order=unpaid_order, user=stranger)

    assert refused.value.code == "NOT_FOUND"


def test_an_unsupported_payment_method_is_reported_in_data_as_the_stripe_app_does(
    stripe_settings, unpaid_order, member
):
    item, event, data = services.initialize_transaction(
        order=unpaid_order, user=member, data={"paymentIntent": {"paymentMethod": "klarna"}}
    )

    assert data["paymentIntent"]["errors"][0]["code"] == "UnsupportedPaymentMethodError"
    assert event.type == TransactionEventType.CHARGE_FAILURE
    assert item.psp_reference == ""


def test_the_storefronts_payment_method_choice_is_kept_on_the_transaction(stripe_settings, unpaid_order, member):
    # localstripe does not store payment_method_types, so the choice is read back from our side.
    item, _, data = services.initialize_transaction(
        order=unpaid_order, user=member, data={"paymentIntent": {"paymentMethod": "alipay"}}
    )

    assert item.payment_method_type == "alipay"
    assert data["paymentIntent"]["stripeClientSecret"]


def test_the_same_idempotency_key_returns_the_first_payment(stripe_settings, unpaid_order, member):
    first, _, first_data = services.initialize_transaction(order=unpaid_order, user=member, idempotency_key="k-1")
    again, _, again_data = services.initialize_transaction(order=unpaid_order, user=member, idempotency_key="k-1")

    assert again.pk == first.pk
    assert again_data == first_data
    assert TransactionItem.objects.count() == 1


def test_the_same_idempotency_key_with_another_amount_is_refused(stripe_settings, unpaid_order, member):
    services.initialize_transaction(order=unpaid_order, user=member, idempotency_key="k-2", amount=Decimal("10"))

    with pytest.raises(DomainError) as refused:
        services.initialize_transaction(order=unpaid_order, user=member, idempotency_key="k-2", amount=Decimal("20"))

    assert refused.value.code == "UNIQUE"


def test_processing_a_paid_payment_marks_the_order_paid_once(stripe_settings, shopper_stripe, unpaid_order, member):
    item, _, _ = services.initialize_transaction(order=unpaid_order, user=member)
    shopper_stripe.pay(item.psp_reference)

    services.process_transaction(item, user=member)
    item, event, _ = services.process_transaction(item, user=member)

    unpaid_order.refresh_from_db()
    assert event.type == TransactionEventType.CHARGE_SUCCESS
    assert item.events.filter(type=TransactionEventType.CHARGE_SUCCESS).count() == 1
    assert (item.amount_charged, item.amount_charge_pending) == (Decimal("99.00"), Decimal("0.00"))
    assert (unpaid_order.charge_status, unpaid_order.total_charged_amount) == (OrderChargeStatus.FULL, Decimal("99.00"))
    assert unpaid_order.events.filter(type=OrderEventType.ORDER_FULLY_PAID).count() == 1


def test_a_partial_payment_leaves_the_order_partly_paid(stripe_settings, shopper_stripe, unpaid_order, member):
    item, _, _ = services.initialize_transaction(order=unpaid_order, user=member, amount=Decimal("40.00"))
    shopper_stripe.pay(item.psp_reference)

    services.process_transaction(item, user=member)

    unpaid_order.refresh_from_db()
    assert unpaid_order.charge_status == OrderChargeStatus.PARTIAL
    assert not unpaid_order.is_paid
    rest, _, _ = services.initialize_transaction(order=unpaid_order, user=member)
    assert shopper_stripe.intent(rest.psp_reference).amount == 5900


def test_a_declined_card_leaves_the_order_unpaid_with_the_reason(stripe_settings, shopper_stripe, unpaid_order, member):
    item, _, _ = services.initialize_transaction(order=unpaid_order, user=member)
    declined = shopper_stripe.pay(item.psp_reference, card="pm_card_chargeCustomerFail")

    item, event, _ = services.process_transaction(item, user=member)

    unpaid_order.refresh_from_db()
    reason = declined.last_payment_error.message
    assert reason
    assert event.type == TransactionEventType.CHARGE_FAILURE
    assert (event.message, item.message) == (reason, reason)
    assert unpaid_order.charge_status == OrderChargeStatus.NONE
    failed = unpaid_order.events.get(type=OrderEventType.PAYMENT_FAILED)
    assert failed.parameters["message"] == reason


def test_a_checkouts_payments_move_to_its_order_which_they_pay(stripe_settings, shopper_stripe, channel, member):
    checkout = factories.checkout(channel=channel, user=member, price="30.00", quantity=2)
    item, _, _ = services.initialize_transaction(checkout=checkout, user=member)
    shopper_stripe.pay(item.psp_reference)
    services.process_transaction(item, user=member)
    order = factories.order(channel=channel, user=member, lines=[("商品", 2, "30.00", "0.00")])

    moved = services.move_checkout_transactions(checkout, order)

    order.refresh_from_db()
    item.refresh_from_db()
    assert moved == 1
    assert (item.order_id, item.checkout_id) == (order.pk, None)
    assert order.charge_status == OrderChargeStatus.FULL


def test_a_guest_order_is_paid_by_whoever_holds_its_id(stripe_settings, channel):
    guest_order = factories.order(channel=channel, user=None)
    from django.contrib.auth.models import AnonymousUser

    item, _, data = services.initialize_transaction(order=guest_order, user=AnonymousUser())

    assert item.user is None
    assert data["paymentIntent"]["stripeClientSecret"]


def test_no_payment_can_start_without_stripe_keys(settings, unpaid_order, member):
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(DomainError) as refused:
        services.initialize_transaction(order=unpaid_order, user=member)

    assert (refused.value.field, refused.value.code) == ("paymentGateway", "NOT_FOUND")
    assert not OrderEvent.objects.exists()
