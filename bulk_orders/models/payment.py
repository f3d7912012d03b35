from django.conf import settings
from django.db import models
from django.db.models import Q

from mall.money import default_currency


class BankTransfer(models.Model):
    """对公转账 (bank transfer) an operator saw arrive for a bulk order. Transfers add up; never edited."""

    bulk_order = models.ForeignKey("bulk_orders.BulkOrder", on_delete=models.PROTECT, related_name="transfers")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default=default_currency)
    received_on = models.DateField("到账日期")
    payer_name = models.CharField("付款单位", max_length=200)
    bank_reference = models.CharField("银行流水号", max_length=64, unique=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = "对公转账"
        verbose_name_plural = "对公转账"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="bank_transfer_amount_positive")]


class InvoiceRequest(models.Model):
    """发票申请 (invoice request) for a bulk order: the VAT invoice's 抬头 and 税号, and where it stands."""

    class Status(models.TextChoices):
        REQUESTED = "REQUESTED", "已申请"
        ISSUED = "ISSUED", "已开具"
        SENT = "SENT", "已发送"
        CANCELED = "CANCELED", "已作废"

    bulk_order = models.OneToOneField("bulk_orders.BulkOrder", on_delete=models.CASCADE, related_name="invoice_request")
    title = models.CharField("发票抬头", max_length=200)
    taxpayer_number = models.CharField("纳税人识别号", max_length=20)
    address = models.CharField("地址", max_length=256, blank=True)
    phone = models.CharField("电话", max_length=32, blank=True)
    bank_name = models.CharField("开户行", max_length=200, blank=True)
    bank_account = models.CharField("账号", max_length=64, blank=True)
    email = models.EmailField("接收邮箱")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REQUESTED)
    invoice_number = models.CharField("发票号码", max_length=64, blank=True)
    issued_at = models.DateTimeField("开具时间", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "发票申请"
        verbose_name_plural = "发票申请"
