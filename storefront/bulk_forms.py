"""Forms of the branch portal's bulk order pages (采购单): they read and check what was typed; every rule
about bulk orders stays in bulk_orders' services, whose refusals the views put back on these forms."""

import re

from django import forms

from bulk_orders.models import BulkOrderStatus
from bulk_orders.services.workflow import MAX_LINE_QUANTITY

# "SKU 数量", "SKU,数量", "SKU，数量" or "SKU<tab>数量": what people paste from a spreadsheet or type.
QUICK_ORDER_SEPARATORS = re.compile(r"[\s,，;；]+")
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
MAX_QUICK_ORDER_LINES = 500
UPLOAD_EXTENSIONS = (".csv", ".xlsx")
QUICK_ORDER_PLACEHOLDER = "每行一个商品：SKU 数量\n例如：\nGIFT-200 30\nAPPLE-5KG,10"
STATUS_CHOICES = [("", "全部状态"), *BulkOrderStatus.choices]


class BulkOrderCreateForm(forms.Form):
    name = forms.CharField(
        label="采购单名称",
        max_length=200,
        error_messages={"required": "请填写采购单名称。", "max_length": "采购单名称不能超过 200 个字。"},
        widget=forms.TextInput(attrs={"placeholder": "例如：2026 年中秋慰问品", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label="备注",
        required=False,
        max_length=2000,
        error_messages={"max_length": "备注不能超过 2000 个字。"},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=STATUS_CHOICES, required=False)


class QuickOrderForm(forms.Form):
    """Pasted lines, one item a line: SKU and quantity. `cleaned_data["lines"]` is [(line number, SKU, qty)]."""

    lines = forms.CharField(
        label="快速下单",
        error_messages={"required": "请至少填写一行 SKU 和数量。"},
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": QUICK_ORDER_PLACEHOLDER}),
    )

    def clean_lines(self):
        parsed, errors = parse_quick_order(self.cleaned_data["lines"])
        if errors:
            raise forms.ValidationError(errors)
        if not parsed:
            raise forms.ValidationError("请至少填写一行 SKU 和数量。")
        return parsed


def parse_quick_order(text: str) -> tuple[list[tuple[int, str, int]], list[str]]:
    """Each non-blank line as (line number, SKU, quantity), and a Chinese error for each line that is not
    “SKU 数量” with a whole number of 1 or more."""
    parsed, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if len(parsed) + len(errors) >= MAX_QUICK_ORDER_LINES:
            errors.append(f"一次最多填写 {MAX_QUICK_ORDER_LINES} 行，请分批添加。")
            break
        parts = [part for part in QUICK_ORDER_SEPARATORS.split(line) if part]
        if len(parts) != 2:
            errors.append(f"第 {number} 行“{line[:40]}”：格式应为“SKU 数量”，例如 GIFT-200 30。")
            continue
        sku, quantity_text = parts
        quantity_text = quantity_text.translate(FULL_WIDTH_DIGITS)
        if not quantity_text.isdigit() or not 0 < int(quantity_text) <= MAX_LINE_QUANTITY:
            errors.append(f"第 {number} 行（{sku}）：数量“{parts[1][:12]}”应为 1 至 {MAX_LINE_QUANTITY} 的整数。")
            continue
        parsed.append((number, sku, int(quantity_text)))
    return parsed, errors


class RecipientUploadForm(forms.Form):
    file = forms.FileField(
        label="收件人名单（XLSX 或 CSV）",
        error_messages={"required": "请选择要上传的收件人名单文件。", "empty": "上传的文件是空的。"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    drop_bad_rows = forms.BooleanField(label="忽略错误行，只导入正确的行", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_EXTENSIONS):
            raise forms.ValidationError("只支持 XLSX 或 CSV 文件，请使用下载的模板填写后上传。")
        return upload


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="说明", required=False, max_length=500, error_messages={"max_length": "说明不能超过 500 个字。"}
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="驳回原因",
        max_length=500,
        error_messages={"required": "请填写驳回原因。", "max_length": "驳回原因不能超过 500 个字。"},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvoiceRequestForm(forms.Form):
    title = forms.CharField(label="发票抬头", max_length=200, error_messages={"required": "请填写发票抬头。"})
    taxpayer_number = forms.CharField(
        label="纳税人识别号",
        max_length=40,
        error_messages={"required": "请填写纳税人识别号（统一社会信用代码）。"},
        help_text="18 位统一社会信用代码，见营业执照或登记证书。",
    )
    address = forms.CharField(label="地址", max_length=256, required=False)
    phone = forms.CharField(label="电话", max_length=32, required=False)
    bank_name = forms.CharField(label="开户行", max_length=200, required=False)
    bank_account = forms.CharField(label="账号", max_length=64, required=False)
    email = forms.EmailField(
        label="接收邮箱",
        error_messages={"required": "请填写接收发票的邮箱。", "invalid": "请填写有效的邮箱地址。"},
    )


class CancelForm(forms.Form):
    """Canceling asks to be confirmed: a required checkbox, and an optional reason for the timeline."""

    confirm = forms.BooleanField(
        label="我确认取消这张采购单（取消后不能恢复，已锁定的库存将释放）",
        error_messages={"required": "请勾选确认后再取消采购单。"},
    )
    reason = forms.CharField(
        label="取消原因（可选）",
        required=False,
        max_length=500,
        error_messages={"max_length": "取消原因不能超过 500 个字。"},
    )


class DeleteLineForm(forms.Form):
    line = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "required": "请选择要删除的商品。",
            "invalid": "请选择要删除的商品。",
            "min_value": "请选择要删除的商品。",
            "max_value": "请选择要删除的商品。",
        },
    )
