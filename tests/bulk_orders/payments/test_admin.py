"""The admin: operators add bank transfers through record_transfer and move invoice requests along."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from bulk_orders.invoices import request_invoice
from bulk_orders.models import BankTransfer, BulkOrderStatus, InvoiceRequest

pytestmark = pytest.mark.django_db

ADD_TRANSFER = reverse("admin:bulk_orders_banktransfer_add")
TRANSFERS = reverse("admin:bulk_orders_banktransfer_changelist")
INVOICES = reverse("admin:bulk_orders_invoicerequest_changelist")


@pytest.fixture
def admin(operator):
    client = Client()
    client.force_login(operator)
    return client


def transfer_form(bulk_order, amount="1100.00", reference="ICBC001"):
    return {
        "bulk_order": str(bulk_order.pk),
        "amount": amount,
        "received_on": "2026-09-01",
        "payer_name": "科技园一号工会",
        "bank_reference": reference,
    }


def test_an_operator_adds_a_transfer_that_pays_the_bulk_order(admin, operator, bulk_order):
    response = admin.post(ADD_TRANSFER, transfer_form(bulk_order))

    assert response.status_code == 302, response.context["adminform"].form.errors
    transfer = BankTransfer.objects.get()
    assert (transfer.amount, transfer.recorded_by) == (Decimal("1100.00"), operator)
    bulk_order.refresh_from_db()
    assert bulk_order.status == BulkOrderStatus.PAID
    assert "ICBC001" in admin.get(TRANSFERS).content.decode()


def test_a_duplicate_reference_is_shown_on_the_form(admin, bulk_order):
    admin.post(ADD_TRANSFER, transfer_form(bulk_order, amount="100.00"))

    response = admin.post(ADD_TRANSFER, transfer_form(bulk_order, amount="100.00"))

    assert response.status_code == 200
    assert "已登记过" in str(response.context["adminform"].form.errors)
    assert BankTransfer.objects.count() == 1


def test_transfers_are_not_edited_or_deleted(admin, operator, bulk_order):
    admin.post(ADD_TRANSFER, transfer_form(bulk_order))
    transfer = BankTransfer.objects.get()

    page = admin.get(reverse("admin:bulk_orders_banktransfer_change", args=[transfer.pk])).content.decode()
    assert 'name="amount"' not in page
    assert admin.post(reverse("admin:bulk_orders_banktransfer_delete", args=[transfer.pk])).status_code == 403


def test_an_operator_issues_then_sends_an_invoice(admin, bulk_order, clerk):
    invoice = request_invoice(
        bulk_order, title="科技园一号工会", taxpayer_number="91110000600037341L", email="cw@example.com", by=clerk
    )
    change = reverse("admin:bulk_orders_invoicerequest_change", args=[invoice.pk])

    response = admin.post(change, {"invoice_number": "44031234"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.invoice_number) == (InvoiceRequest.Status.ISSUED, "44031234")

    admin.post(INVOICES, {"action": "mark_sent", "_selected_action": [invoice.pk]})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceRequest.Status.SENT
