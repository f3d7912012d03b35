"""Refunds of orders paid by bank transfer: never sent to Stripe; the operator records the bank's refund
(REFUND_SUCCESS with the bank reference), as a granted refund or as an overpayment given back."""

import datetime
from decimal import Decimal

import pytest

from bulk_orders import services as bulk_services
from bulk_orders.payments import record_transfer
from mall.errors import DomainError, PermissionDenied
from mall.graphql.ids import to_global_id
from orders.models import GrantedRefundStatus, OrderChargeStatus, OrderGrantedRefund
from payments.models import STRIPE_GATEWAY, TransactionEvent, TransactionItem
from payments.refunds import record_transfer_refund, refund, refund_transaction
from tests.bulk_orders.delivery.conftest import api_for, lines_of


def transfer_of(order):
    return TransactionItem.objects.get(order=order, app_identifier="union-mall.bank-transfer")


def test_a_transfer_paid_order_is_never_refunded_at_stripe(paid, shipper):
    order = paid.bulk_order.order
    with pytest.raises(DomainError) as caught:
        refund(order, amount="10.00", by=shipper)
    assert caught.value.code == "OFFLINE_REFUND_REQUIRED"
    with pytest.raises(DomainError) as caught:
        refund_transaction(transfer_of(order), amount="10.00", by=shipper)
    assert caught.value.code == "OFFLINE_REFUND_REQUIRED"
    assert not OrderGrantedRefund.objects.exists()
    assert not TransactionEvent.objects.filter(type__startswith="REFUND").exists()


def test_stripe_refunds_count_only_the_stripe_payments_of_an_order(paid, shipper):
    order = paid.bulk_order.order
    TransactionItem.objects.create(order=order, app_identifier=STRIPE_GATEWAY, psp_reference="pi_x",
                                   currency=order.currency, amount_charged=Decimal("50.00"))  # fmt: skip
    with pytest.raises(DomainError) as caught:
        refund(order, amount="60.00", by=shipper)
    assert caught.value.code == "AMOUNT_GREATER_THAN_AVAILABLE"
    assert "¥50.00" in caught.value.message


def test_the_operator_records_a_granted_refund_the_bank_made(paid, shop, shipper):
    order = paid.bulk_order.order
    paid_before = order.total_charged_amount
    oil_line = lines_of(paid.bulk_order)[shop.oil.sku]
    granted = record_transfer_refund(
        order, bank_reference="RF-2026-001", lines=[{"line": oil_line.pk, "quantity": 1}], reason="破损", by=shipper
    )
    assert (granted.status, granted.amount) == (GrantedRefundStatus.SUCCESS, Decimal("80.00"))
    event = TransactionEvent.objects.get(type="REFUND_SUCCESS")
    assert (event.psp_reference, event.amount_value, event.granted_refund) == ("RF-2026-001", Decimal("80.00"), granted)
    item = transfer_of(order)
    assert item.amount_refunded == Decimal("80.00")
    order.refresh_from_db()
    # A granted refund lowers what the order owes: it stays paid.
    assert order.total_charged_amount == paid_before - Decimal("80.00")
    assert order.charge_status == OrderChargeStatus.FULL
    assert order.events.filter(type="PAYMENT_REFUNDED", parameters__bank_reference="RF-2026-001").exists()
    paid.bulk_order.refresh_from_db()
    assert paid.bulk_order.status == "PAID"


def test_a_bank_reference_is_recorded_once_and_amounts_stay_within_what_was_paid(paid, shipper):
    order = paid.bulk_order.order
    record_transfer_refund(order, bank_reference="RF-1", amount="10.00", by=shipper)
    with pytest.raises(DomainError) as caught:
        record_transfer_refund(order, bank_reference="RF-1", amount="10.00", by=shipper)
    assert caught.value.code == "UNIQUE"
    with pytest.raises(DomainError) as caught:
        record_transfer_refund(order, bank_reference="RF-2", amount="999999.00", by=shipper)
    assert caught.value.code == "AMOUNT_GREATER_THAN_AVAILABLE"
    with pytest.raises(DomainError) as caught:
        record_transfer_refund(order, bank_reference="", amount="1.00", by=shipper)
    assert caught.value.code == "REQUIRED"
    assert TransactionEvent.objects.filter(type="REFUND_SUCCESS").count() == 1


def test_an_overpayment_is_given_back_without_a_grant(draft, people, shop, shipper):
    bulk_services.add_lines(draft, [(shop.apple.sku, 1)], by=people.clerk)
    bulk_services.submit(draft, by=people.clerk)
    bulk_services.approve(draft, by=people.approver)
    bulk_services.place(draft, by=people.clerk)
    draft.refresh_from_db()
    record_transfer(draft, amount="130.00", received_on=datetime.date(2026, 9, 1), payer_name="工会",
                    bank_reference="IN-1", by=shipper)  # fmt: skip
    order = draft.order
    order.refresh_from_db()
    assert order.charge_status == OrderChargeStatus.OVERCHARGED
    with pytest.raises(DomainError) as caught:
        record_transfer_refund(order, bank_reference="RF-9", amount="31.00", overpayment=True, by=shipper)
    assert caught.value.code == "AMOUNT_GREATER_THAN_AVAILABLE"
    assert record_transfer_refund(order, bank_reference="RF-9", overpayment=True, by=shipper) is None
    order.refresh_from_db()
    assert (order.total_charged_amount, order.charge_status) == (Decimal("100.00"), OrderChargeStatus.FULL)
    assert not OrderGrantedRefund.objects.exists()
    with pytest.raises(DomainError) as caught:
        record_transfer_refund(order, bank_reference="RF-10", overpayment=True, by=shipper)
    assert caught.value.code == "INVALID"


def test_only_staff_who_manage_orders_record_refunds(paid, people):
    with pytest.raises(PermissionDenied):
        record_transfer_refund(paid.bulk_order.order, bank_reference="RF-1", amount="1.00", by=people.clerk)


RECORD = """
mutation Record($id: ID!, $input: OrderTransferRefundRecordInput!) {
  orderTransferRefundRecord(id: $id, input: $input) {
    order { chargeStatus }
    grantedRefund { amount { amount } status }
    errors { field code message }
  }
}
"""


def test_the_refund_is_recorded_through_the_api(paid, shipper, people):
    variables = {"id": to_global_id("Order", paid.bulk_order.order_id),
                 "input": {"bankReference": "RF-API", "amount": "25.50", "reason": "少发一件"}}  # fmt: skip
    payload = api_for(shipper).data(RECORD, variables)["orderTransferRefundRecord"]
    assert payload["errors"] == []
    assert payload["grantedRefund"] == {"amount": {"amount": 25.5}, "status": "SUCCESS"}
    assert payload["order"]["chargeStatus"] == "FULL"
    again = api_for(shipper).data(RECORD, variables)["orderTransferRefundRecord"]
    assert again["errors"][0]["code"] == "UNIQUE"
    status, body = api_for(people.clerk).post(RECORD, variables)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
