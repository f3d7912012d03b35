"""Invoice requests of bulk orders: who may ask, the taxpayer number's checks, and the status flow."""

import pytest

from bulk_orders.invoices import cancel, clean_taxpayer_number, mark_issued, mark_sent, request_invoice
from bulk_orders.models import BulkOrder, BulkOrderStatus, InvoiceRequest
from mall.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

VALID_USCC = "91110000600037341L"


def ask(bulk_order, by, **fields):
    values = {
        "title": "深圳市南山区科技园一号工会委员会",
        "taxpayer_number": VALID_USCC,
        "email": "finance@union.example.com",
        "address": "深圳市南山区科技园",
        "phone": "0755-86000000",
        "bank_name": "中国工商银行深圳科技园支行",
        "bank_account": "4000 0000 0000 0000",
        **fields,
    }
    return request_invoice(bulk_order, by=by, **values)


def test_a_clerk_requests_an_invoice(bulk_order, clerk):
    invoice = ask(bulk_order, clerk)

    invoice.refresh_from_db()
    assert (invoice.status, invoice.taxpayer_number, invoice.requested_by) == (
        InvoiceRequest.Status.REQUESTED,
        VALID_USCC,
        clerk,
    )


def test_the_taxpayer_number_is_compacted_and_upper_cased(bulk_order, approver):
    invoice = ask(bulk_order, approver, taxpayer_number=" 91110000-600037341l ")

    assert invoice.taxpayer_number == VALID_USCC


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "请填写纳税人识别号"),
        ("91110000600037341X", "校验位不正确"),
        ("9111000060003734", "应为18位统一社会信用代码，您填写了16位"),
        ("91110000600037341I", "含有无效字符"),
        ("440301123456789", "旧版15位税号"),
        ("44030119800101123401", "旧版20位税号"),
    ],
)
def test_a_bad_taxpayer_number_is_refused_in_chinese(number, message):
    with pytest.raises(DomainError) as error:
        clean_taxpayer_number(number)
    assert error.value.field == "taxpayer_number"
    assert message in error.value.message


def test_a_bad_taxpayer_number_writes_nothing(bulk_order, clerk):
    with pytest.raises(DomainError) as error:
        ask(bulk_order, clerk, taxpayer_number="91110000600037341X")
    assert error.value.code == "INVALID_TAXPAYER_NUMBER"
    assert not InvoiceRequest.objects.exists()


def test_one_request_per_bulk_order_updated_while_requested(bulk_order, clerk, approver):
    first = ask(bulk_order, clerk)
    second = ask(bulk_order, approver, title="科技园一号工会")

    assert second.pk == first.pk
    assert InvoiceRequest.objects.get().title == "科技园一号工会"


def test_an_auditor_or_an_operator_without_a_branch_role_cannot_request(bulk_order, auditor, operator):
    for user in (auditor, operator):
        with pytest.raises(PermissionDenied):
            ask(bulk_order, user)
    assert not InvoiceRequest.objects.exists()


def test_a_draft_bulk_order_cannot_have_an_invoice(bulk_order, clerk):
    BulkOrder.objects.filter(pk=bulk_order.pk).update(status=BulkOrderStatus.DRAFT)

    with pytest.raises(DomainError) as error:
        ask(bulk_order, clerk)
    assert error.value.code == "INVALID_STATUS"


def test_the_status_flow_issued_then_sent(bulk_order, clerk, operator):
    invoice = ask(bulk_order, clerk)

    invoice = mark_issued(invoice, invoice_number="44031234", by=operator)
    assert (invoice.status, invoice.invoice_number) == (InvoiceRequest.Status.ISSUED, "44031234")
    assert invoice.issued_at is not None
    with pytest.raises(DomainError):
        ask(bulk_order, clerk, title="改抬头")
    invoice = mark_sent(invoice, by=operator)
    assert InvoiceRequest.objects.get().status == InvoiceRequest.Status.SENT
    with pytest.raises(DomainError) as error:
        mark_issued(invoice, invoice_number="44039999", by=operator)
    assert error.value.code == "INVALID_STATUS"


def test_sending_needs_an_issued_invoice_and_issuing_needs_a_number(bulk_order, clerk, operator):
    invoice = ask(bulk_order, clerk)

    with pytest.raises(DomainError):
        mark_sent(invoice, by=operator)
    with pytest.raises(DomainError) as error:
        mark_issued(invoice, invoice_number="  ", by=operator)
    assert error.value.field == "invoice_number"
    assert InvoiceRequest.objects.get().status == InvoiceRequest.Status.REQUESTED


def test_a_canceled_invoice_can_be_requested_again(bulk_order, clerk, operator):
    invoice = mark_issued(ask(bulk_order, clerk), invoice_number="44031234", by=operator)
    cancel(invoice, by=operator)

    again = ask(bulk_order, clerk, title="更正后的抬头")
    assert (again.status, again.invoice_number, again.title) == (InvoiceRequest.Status.REQUESTED, "", "更正后的抬头")


def test_only_operators_move_the_status(bulk_order, clerk):
    invoice = ask(bulk_order, clerk)

    with pytest.raises(PermissionDenied):
        mark_issued(invoice, invoice_number="44031234", by=clerk)
    with pytest.raises(PermissionDenied):
        cancel(invoice, by=clerk)
