"""The API of paying bulk orders: the federation's account and what is owed (bulkOrderPayment), operators
recording bank transfers, invoice requests and their status. Union Mall extensions in Saleor's style;
each mutation is a few lines calling bulk_orders.payments or bulk_orders.invoices."""

from dataclasses import dataclass

import graphene
from graphql import GraphQLError

from branches.selectors import can_see_branch
from bulk_orders import invoices, payments
from bulk_orders.models import BulkOrder as BulkOrderModel
from bulk_orders.models import InvoiceRequest as InvoiceRequestModel
from mall.errors import DomainError
from mall.graphql.mutations import BaseMutation, error_type
from mall.graphql.types import Money
from mall.money import Money as MoneyValue
from mall.permissions import PermissionEnum, has_permissions
from orders.graphql.types import uuid_from_global_id

MANAGE_ORDERS = (PermissionEnum.MANAGE_ORDERS,)
TAXPAYER_NUMBER = "纳税人识别号: an 18-character unified social credit code (统一社会信用代码)."


class BulkOrderPaymentErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    INVALID_STATUS = "INVALID_STATUS"
    INVALID_TAXPAYER_NUMBER = "INVALID_TAXPAYER_NUMBER"

    class Meta:
        description = "An enumeration."


BulkOrderPaymentError = error_type(
    "BulkOrderPaymentError",
    BulkOrderPaymentErrorCode,
    description="Represents errors in paying bulk orders and in their invoice requests.",
)


class BulkOrderInvoiceStatusEnum(graphene.Enum):
    REQUESTED = "REQUESTED"
    ISSUED = "ISSUED"
    SENT = "SENT"
    CANCELED = "CANCELED"

    class Meta:
        description = "Where an invoice request stands: 已申请, 已开具, 已发送, 已作废."


# --- Reading --------------------------------------------------------------------------------
def may_read(user, bulk_order: BulkOrderModel) -> bool:
    """Operators, and whoever holds a role in the bulk order's branch or above it."""
    return has_permissions(user, MANAGE_ORDERS) or can_see_branch(user, bulk_order.branch)


def visible_bulk_order(user, global_id: str, *, field: str = "id") -> BulkOrderModel:
    """The bulk order `global_id` names if `user` may read it; NOT_FOUND otherwise (IDs tell nothing)."""
    try:
        pk = uuid_from_global_id(global_id, "BulkOrder")
    except GraphQLError as error:
        raise DomainError(error.message, field=field, code="GRAPHQL_ERROR") from error
    bulk_order = BulkOrderModel.objects.select_related("branch", "order").filter(pk=pk).first()
    if bulk_order is None or not may_read(user, bulk_order):
        raise DomainError(f"Couldn't resolve to a node: {global_id}", field=field, code="NOT_FOUND")
    return bulk_order


@dataclass
class PaymentView:
    bulk_order: BulkOrderModel
    summary: payments.PaymentSummary

    @classmethod
    def of(cls, bulk_order: BulkOrderModel) -> "PaymentView":
        return cls(bulk_order, payments.payment_summary(bulk_order))

    def money(self, amount) -> MoneyValue:
        return MoneyValue(amount, self.summary.currency)


class BulkOrderBankTransfer(graphene.ObjectType):
    amount = graphene.Field(Money, required=True, description="What arrived.")
    received_on = graphene.Date(required=True, description="The day it arrived (到账日期).")
    payer_name = graphene.String(required=True, description="Who paid (付款单位).")
    bank_reference = graphene.String(required=True, description="The bank's reference (银行流水号).")
    recorded_at = graphene.DateTime(required=True, description="When an operator recorded it.")

    class Meta:
        description = "Union Mall extension: a bank transfer (对公转账) recorded for a bulk order."

    @staticmethod
    def resolve_amount(root, _info):
        return MoneyValue(root.amount, root.currency)


class BulkOrderInvoice(graphene.ObjectType):
    title = graphene.String(required=True, description="发票抬头.")
    taxpayer_number = graphene.String(required=True, description=TAXPAYER_NUMBER)
    address = graphene.String(required=True)
    phone = graphene.String(required=True)
    bank_name = graphene.String(required=True)
    bank_account = graphene.String(required=True)
    email = graphene.String(required=True, description="Where the invoice is sent.")
    status = graphene.Field(BulkOrderInvoiceStatusEnum, required=True)
    invoice_number = graphene.String(description="发票号码, once issued.")
    issued_at = graphene.DateTime()
    requested_at = graphene.DateTime(required=True)

    class Meta:
        description = "Union Mall extension: the invoice request (发票申请) of a bulk order."

    @staticmethod
    def resolve_status(root, _info):
        return BulkOrderInvoiceStatusEnum.get(root.status)

    @staticmethod
    def resolve_invoice_number(root, _info):
        return root.invoice_number or None


class BulkOrderPayment(graphene.ObjectType):
    reference = graphene.String(
        required=True, description="The payment reference (付款识别码) the transfer's remark must carry."
    )
    account_name = graphene.String(required=True, description="The federation's account name (收款单位).")
    bank_name = graphene.String(required=True, description="The federation's bank (开户行).")
    account_number = graphene.String(required=True, description="The federation's account number (账号).")
    total = graphene.Field(Money, required=True, description="What the bulk order costs.")
    amount_paid = graphene.Field(Money, required=True, description="What has arrived, by transfer or card.")
    amount_due = graphene.Field(Money, required=True, description="What is still owed; zero when paid.")
    overpaid = graphene.Boolean(required=True, description="More arrived than is owed (the order is OVERCHARGED).")
    overpaid_amount = graphene.Field(Money, required=True, description="How much more; to be given back.")
    transfers = graphene.NonNull(graphene.List(graphene.NonNull(BulkOrderBankTransfer)))
    invoice = graphene.Field(BulkOrderInvoice, description="The invoice request, if one was made.")

    class Meta:
        description = "Union Mall extension: how to pay a bulk order and where its payment stands."

    @staticmethod
    def resolve_reference(root: PaymentView, _info):
        return root.summary.reference

    @staticmethod
    def resolve_account_name(root: PaymentView, _info):
        return root.summary.account_name

    @staticmethod
    def resolve_bank_name(root: PaymentView, _info):
        return root.summary.bank_name

    @staticmethod
    def resolve_account_number(root: PaymentView, _info):
        return root.summary.account_number

    @staticmethod
    def resolve_total(root: PaymentView, _info):
        return root.money(root.summary.total)

    @staticmethod
    def resolve_amount_paid(root: PaymentView, _info):
        return root.money(root.summary.paid)

    @staticmethod
    def resolve_amount_due(root: PaymentView, _info):
        return root.money(root.summary.due)

    @staticmethod
    def resolve_overpaid(root: PaymentView, _info):
        return root.summary.overpaid

    @staticmethod
    def resolve_overpaid_amount(root: PaymentView, _info):
        return root.money(root.summary.overpaid_amount)

    @staticmethod
    def resolve_transfers(root: PaymentView, _info):
        return list(root.bulk_order.transfers.all())

    @staticmethod
    def resolve_invoice(root: PaymentView, _info):
        return InvoiceRequestModel.objects.filter(bulk_order=root.bulk_order).first()


class BulkPaymentQueries(graphene.ObjectType):
    bulk_order_payment = graphene.Field(
        BulkOrderPayment,
        id=graphene.Argument(graphene.ID, required=True, description="ID of the bulk order."),
        description="Union Mall extension: how to pay a bulk order and where its payment stands. Operators "
        "(MANAGE_ORDERS) and people with a role in its branch; null otherwise.",
    )

    @staticmethod
    def resolve_bulk_order_payment(_root, info, id):
        try:
            bulk_order = visible_bulk_order(info.context.user, id)
        except DomainError as error:
            if error.code == "GRAPHQL_ERROR":
                raise GraphQLError(error.message) from error
            return None
        return PaymentView.of(bulk_order)


# --- Changing -------------------------------------------------------------------------------
class BulkOrderPaymentRecordInput(graphene.InputObjectType):
    amount = graphene.Decimal(required=True, description="What arrived, in yuan.")
    received_on = graphene.Date(required=True, description="The day it arrived (到账日期).")
    payer_name = graphene.String(required=True, description="Who paid (付款单位).")
    bank_reference = graphene.String(required=True, description="The bank's reference (银行流水号); recorded once.")


class BulkOrderPaymentRecord(BaseMutation):
    """Union Mall extension: record a bank transfer that arrived for a placed bulk order. Transfers add up;
    once they cover the order it is paid."""

    bulk_order_payment = graphene.Field(BulkOrderPayment)
    transfer = graphene.Field(BulkOrderBankTransfer)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the bulk order.")
        input = BulkOrderPaymentRecordInput(required=True)

    class Meta:
        permissions = MANAGE_ORDERS
        error_type_class = BulkOrderPaymentError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        user = info.context.user
        bulk_order = visible_bulk_order(user, id)
        transfer = payments.record_transfer(
            bulk_order,
            amount=input["amount"],
            received_on=input["received_on"],
            payer_name=input["payer_name"],
            bank_reference=input["bank_reference"],
            by=user,
        )
        bulk_order = BulkOrderModel.objects.select_related("order").get(pk=bulk_order.pk)
        return cls(bulk_order_payment=PaymentView.of(bulk_order), transfer=transfer)


class BulkOrderInvoiceRequestInput(graphene.InputObjectType):
    title = graphene.String(required=True, description="发票抬头.")
    taxpayer_number = graphene.String(required=True, description=TAXPAYER_NUMBER)
    email = graphene.String(required=True, description="Where the invoice is sent.")
    address = graphene.String()
    phone = graphene.String()
    bank_name = graphene.String()
    bank_account = graphene.String()


class BulkOrderInvoiceRequest(BaseMutation):
    """Union Mall extension: ask for the invoice of a placed bulk order (its branch's clerk or approver);
    asking again while it is REQUESTED corrects it."""

    invoice = graphene.Field(BulkOrderInvoice)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the bulk order.")
        input = BulkOrderInvoiceRequestInput(required=True)

    class Meta:
        error_type_class = BulkOrderPaymentError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        user = info.context.user
        bulk_order = visible_bulk_order(user, id)
        invoice = invoices.request_invoice(bulk_order, by=user, **dict(input))
        return cls(invoice=invoice)


class BulkOrderInvoiceUpdateInput(graphene.InputObjectType):
    status = BulkOrderInvoiceStatusEnum(required=True, description="ISSUED, SENT or CANCELED.")
    invoice_number = graphene.String(description="发票号码; required to mark it ISSUED.")


class BulkOrderInvoiceUpdate(BaseMutation):
    """Union Mall extension: an operator issues (with its number), sends or voids a bulk order's invoice."""

    invoice = graphene.Field(BulkOrderInvoice)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the bulk order.")
        input = BulkOrderInvoiceUpdateInput(required=True)

    class Meta:
        permissions = MANAGE_ORDERS
        error_type_class = BulkOrderPaymentError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        user = info.context.user
        bulk_order = visible_bulk_order(user, id)
        invoice = InvoiceRequestModel.objects.filter(bulk_order=bulk_order).first()
        if invoice is None:
            raise DomainError("这张采购单还没有发票申请。", field="id", code="NOT_FOUND")
        status = getattr(input["status"], "value", input["status"])
        if status == InvoiceRequestModel.Status.ISSUED:
            invoice = invoices.mark_issued(invoice, invoice_number=input.get("invoice_number") or "", by=user)
        elif status == InvoiceRequestModel.Status.SENT:
            invoice = invoices.mark_sent(invoice, by=user)
        elif status == InvoiceRequestModel.Status.CANCELED:
            invoice = invoices.cancel(invoice, by=user)
        else:
            raise DomainError("只能改为已开具、已发送或已作废。", field="status", code="INVALID")
        return cls(invoice=invoice)


class BulkPaymentMutations(graphene.ObjectType):
    bulk_order_payment_record = BulkOrderPaymentRecord.Field()
    bulk_order_invoice_request = BulkOrderInvoiceRequest.Field()
    bulk_order_invoice_update = BulkOrderInvoiceUpdate.Field()
