"""The bulk order payment API over HTTP: reading how to pay, operators recording transfers, invoices."""

import pytest
from django.test import Client

from bulk_orders.models import BankTransfer, BulkOrderStatus, InvoiceRequest
from mall.graphql.ids import to_global_id
from tests.graphql.conftest import GraphQLClient
from tests.orders.conftest import make_user

pytestmark = pytest.mark.django_db

PAYMENT = """
query ($id: ID!) {
  bulkOrderPayment(id: $id) {
    reference accountName bankName accountNumber
    total { amount currency } amountPaid { amount } amountDue { amount }
    overpaid overpaidAmount { amount }
    transfers { amount { amount } receivedOn payerName bankReference }
    invoice { title status invoiceNumber }
  }
}
"""

RECORD = """
mutation ($id: ID!, $input: BulkOrderPaymentRecordInput!) {
  bulkOrderPaymentRecord(id: $id, input: $input) {
    bulkOrderPayment { amountPaid { amount } amountDue { amount } overpaid }
    transfer { bankReference }
    errors { field message code }
  }
}
"""

INVOICE_REQUEST = """
mutation ($id: ID!, $input: BulkOrderInvoiceRequestInput!) {
  bulkOrderInvoiceRequest(id: $id, input: $input) {
    invoice { title taxpayerNumber status }
    errors { field message code }
  }
}
"""

INVOICE_UPDATE = """
mutation ($id: ID!, $input: BulkOrderInvoiceUpdateInput!) {
  bulkOrderInvoiceUpdate(id: $id, input: $input) {
    invoice { status invoiceNumber }
    errors { field message code }
  }
}
"""


def api_as(user) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


def gid(bulk_order) -> str:
    return to_global_id("BulkOrder", str(bulk_order.pk))


def transfer_input(amount, reference):
    return {"amount": amount, "receivedOn": "2026-09-01", "payerName": "科技园一号工会", "bankReference": reference}


def test_the_branch_reads_the_federation_account_and_what_is_due(bulk_order, clerk, settings):
    settings.FEDERATION_ACCOUNT_NAME = "深圳市总工会"
    settings.FEDERATION_BANK_ACCOUNT = "4000 0210 0900 0000 000"

    payment = api_as(clerk).data(PAYMENT, {"id": gid(bulk_order)})["bulkOrderPayment"]

    assert payment["reference"] == "BK7Q3M9X"
    assert (payment["accountName"], payment["accountNumber"]) == ("深圳市总工会", "4000 0210 0900 0000 000")
    assert payment["total"] == {"amount": 1100.0, "currency": "CNY"}
    assert (payment["amountPaid"], payment["amountDue"]) == ({"amount": 0.0}, {"amount": 1100.0})
    assert payment["overpaid"] is False
    assert payment["transfers"] == [] and payment["invoice"] is None


def test_someone_outside_the_branch_reads_null(bulk_order, django_user_model):
    stranger = make_user(django_user_model, "stranger@example.com")
    assert api_as(stranger).data(PAYMENT, {"id": gid(bulk_order)})["bulkOrderPayment"] is None


def test_an_operator_records_transfers_until_the_order_is_paid(bulk_order, operator):
    api = api_as(operator)
    first = api.data(RECORD, {"id": gid(bulk_order), "input": transfer_input("600.00", "ICBC001")})
    assert first["bulkOrderPaymentRecord"]["errors"] == []
    assert first["bulkOrderPaymentRecord"]["bulkOrderPayment"]["amountDue"] == {"amount": 500.0}

    second = api.data(RECORD, {"id": gid(bulk_order), "input": transfer_input("550.00", "ICBC002")})

    payload = second["bulkOrderPaymentRecord"]
    assert payload["bulkOrderPayment"] == {
        "amountPaid": {"amount": 1150.0},
        "amountDue": {"amount": 0.0},
        "overpaid": True,
    }
    bulk_order.refresh_from_db()
    assert bulk_order.status == BulkOrderStatus.PAID
    transfers = api.data(PAYMENT, {"id": gid(bulk_order)})["bulkOrderPayment"]["transfers"]
    assert [row["bankReference"] for row in transfers] == ["ICBC001", "ICBC002"]


def test_a_duplicate_bank_reference_comes_back_as_an_error(bulk_order, operator):
    api = api_as(operator)
    api.data(RECORD, {"id": gid(bulk_order), "input": transfer_input("100.00", "ICBC001")})

    payload = api.data(RECORD, {"id": gid(bulk_order), "input": transfer_input("100.00", "ICBC001")})

    [error] = payload["bulkOrderPaymentRecord"]["errors"]
    assert (error["field"], error["code"]) == ("bankReference", "UNIQUE")
    assert BankTransfer.objects.count() == 1


def test_a_clerk_cannot_record_a_transfer(bulk_order, clerk):
    message = api_as(clerk).error(RECORD, {"id": gid(bulk_order), "input": transfer_input("100.00", "ICBC001")})

    assert "MANAGE_ORDERS" in message
    assert not BankTransfer.objects.exists()


def test_the_clerk_requests_an_invoice_and_the_operator_issues_it(bulk_order, clerk, operator):
    invoice_input = {"title": "科技园一号工会", "taxpayerNumber": "91110000600037341l", "email": "cw@example.com"}
    requested = api_as(clerk).data(INVOICE_REQUEST, {"id": gid(bulk_order), "input": invoice_input})
    assert requested["bulkOrderInvoiceRequest"]["invoice"] == {
        "title": "科技园一号工会",
        "taxpayerNumber": "91110000600037341L",
        "status": "REQUESTED",
    }

    issued = api_as(operator).data(
        INVOICE_UPDATE, {"id": gid(bulk_order), "input": {"status": "ISSUED", "invoiceNumber": "44031234"}}
    )

    assert issued["bulkOrderInvoiceUpdate"] == {
        "invoice": {"status": "ISSUED", "invoiceNumber": "44031234"},
        "errors": [],
    }


def test_a_bad_taxpayer_number_comes_back_as_an_error(bulk_order, clerk):
    invoice_input = {"title": "科技园一号工会", "taxpayerNumber": "91110000600037341X", "email": "cw@example.com"}

    payload = api_as(clerk).data(INVOICE_REQUEST, {"id": gid(bulk_order), "input": invoice_input})

    [error] = payload["bulkOrderInvoiceRequest"]["errors"]
    assert (error["field"], error["code"]) == ("taxpayerNumber", "INVALID_TAXPAYER_NUMBER")
    assert "校验位" in error["message"]
    assert not InvoiceRequest.objects.exists()
