"""Forms of the buying pages (商品, 购物车, 结算). They only read input: stock, limits, addresses, vouchers
and allowances are checked by checkout.services, whose refusals land on these forms (add_service_errors)."""

from django import forms
from django.conf import settings

from storefront.account_forms import AddressForm

__all__ = [
    "AddressForm",
    "AddToCartForm",
    "AllowanceForm",
    "EmailForm",
    "LineQuantityForm",
    "SavedAddressForm",
    "ShippingMethodForm",
    "VoucherForm",
]

ACTION_ADD = "add"
ACTION_BUY = "buy"


def quantity_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label="数量",
        min_value=1,
        max_value=settings.MAX_CHECKOUT_LINE_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "class": "quantity__input"}),
        error_messages={
            "required": "请填写数量。",
            "invalid": "数量须为整数。",
            "min_value": "数量至少为 1。",
            "max_value": f"每件商品最多购买 {settings.MAX_CHECKOUT_LINE_QUANTITY} 件。",
        },
        **kwargs,
    )


class AddToCartForm(forms.Form):
    """加入购物车 / 立即购买 on the product page: which variant (规格) and how many."""

    variant = forms.TypedChoiceField(
        label="规格", coerce=int, widget=forms.RadioSelect, error_messages={"required": "请选择规格。"}
    )
    quantity = quantity_field(initial=1)
    action = forms.ChoiceField(choices=[(ACTION_ADD, "加入购物车"), (ACTION_BUY, "立即购买")], required=False)

    def __init__(self, *args, variants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = [(row.id, row.name) for row in variants]
        self.fields["variant"].error_messages["invalid_choice"] = "请选择在售的规格。"
        if len(variants) == 1:
            self.fields["variant"].initial = variants[0].id

    @property
    def buys_now(self) -> bool:
        return self.cleaned_data.get("action") == ACTION_BUY


class LineQuantityForm(forms.Form):
    quantity = forms.IntegerField(
        label="数量",
        min_value=0,
        max_value=settings.MAX_CHECKOUT_LINE_QUANTITY,
        error_messages={
            "required": "请填写数量。",
            "invalid": "数量须为整数。",
            "min_value": "数量不能为负数。",
            "max_value": f"每件商品最多购买 {settings.MAX_CHECKOUT_LINE_QUANTITY} 件。",
        },
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="电子邮箱（接收订单通知）",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
        error_messages={"required": "请填写电子邮箱。", "invalid": "请填写有效的电子邮箱。"},
    )


class SavedAddressForm(forms.Form):
    """Choose one of the person's saved addresses (地址簿)."""

    address = forms.TypedChoiceField(
        label="收货地址",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择收货地址。", "invalid_choice": "请选择您地址簿中的地址。"},
    )

    def __init__(self, *args, addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [(address.pk, str(address)) for address in addresses]


class ShippingMethodForm(forms.Form):
    shipping_method = forms.TypedChoiceField(
        label="配送方式",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择配送方式。", "invalid_choice": "该配送方式不适用于您的收货地址。"},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_method"].choices = list(choices)


class VoucherForm(forms.Form):
    code = forms.CharField(
        label="优惠码",
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": "请填写优惠码。"},
    )


class AllowanceForm(forms.Form):
    use = forms.BooleanField(label="使用福利额度", required=False)
