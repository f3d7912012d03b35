"""Forms of the account pages. They only collect input: every rule lives in accounts.services, whose
field errors come back onto these forms through `add_service_errors`."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from mall.errors import DomainError

PASSWORD_HELP = "至少 8 位，不能全是数字，不能过于常见或与邮箱相似。"


def add_service_errors(form: forms.Form, error: Exception, *, field_names: dict | None = None) -> None:
    """Show what a service refused next to the field it concerns (or above the form)."""
    field_names = field_names or {}

    def target(field):
        field = field_names.get(field, field)
        return field if field in form.fields else None

    if isinstance(error, DomainError):
        form.add_error(target(error.field), error.message)
        return
    by_field = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    for field, errors in by_field.items():
        for item in errors:
            message = item.message % item.params if item.params else item.message
            form.add_error(target(field) if field != NON_FIELD_ERRORS else None, ValidationError(message))


def text_input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs=attrs)


class LoginForm(forms.Form):
    username = forms.CharField(
        label="邮箱或手机号",
        max_length=254,
        widget=text_input(autocomplete="username", autocapitalize="none", inputmode="email", autofocus=True),
        error_messages={"required": "请填写邮箱或手机号。"},
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请填写密码。"},
    )


class RegisterForm(forms.Form):
    email = forms.CharField(
        label="电子邮箱",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
        error_messages={"required": "请填写电子邮箱。"},
    )
    phone = forms.CharField(
        label="手机号（选填，可用于登录）",
        max_length=32,
        required=False,
        widget=forms.TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    last_name = forms.CharField(
        label="姓", max_length=150, required=False, widget=text_input(autocomplete="family-name")
    )
    first_name = forms.CharField(
        label="名", max_length=150, required=False, widget=text_input(autocomplete="given-name")
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请填写密码。"},
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.CharField(
        label="注册时使用的电子邮箱",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
        error_messages={"required": "请填写电子邮箱。"},
    )


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label="新密码",
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请填写新密码。"},
    )
    password_again = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再次输入新密码。"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password_again") not in (None, cleaned["password"]):
            self.add_error("password_again", "两次输入的密码不一致。")
        return cleaned


class PasswordChangeForm(SetPasswordForm):
    old_password = forms.CharField(
        label="原密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请填写原密码。"},
    )
    field_order = ["old_password", "password", "password_again"]


class ProfileForm(forms.Form):
    last_name = forms.CharField(
        label="姓", max_length=150, required=False, widget=text_input(autocomplete="family-name")
    )
    first_name = forms.CharField(
        label="名", max_length=150, required=False, widget=text_input(autocomplete="given-name")
    )
    phone = forms.CharField(
        label="手机号（可用于登录）",
        max_length=32,
        required=False,
        widget=forms.TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class AddressForm(forms.Form):
    """收货地址. Field names are the Address model's, so service errors land on the right field."""

    last_name = forms.CharField(
        label="收货人姓", max_length=256, required=False, widget=text_input(autocomplete="family-name")
    )
    first_name = forms.CharField(
        label="收货人名", max_length=256, required=False, widget=text_input(autocomplete="given-name")
    )
    phone = forms.CharField(
        label="手机号码",
        max_length=32,
        required=False,
        widget=forms.TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    country_area = forms.CharField(
        label="省份", max_length=128, required=False, widget=text_input(list="provinces", placeholder="如：广东省")
    )
    city = forms.CharField(label="城市", max_length=256, required=False, widget=text_input(placeholder="如：深圳市"))
    city_area = forms.CharField(
        label="区县", max_length=128, required=False, widget=text_input(placeholder="如：南山区")
    )
    street_address_1 = forms.CharField(
        label="详细地址",
        max_length=256,
        required=False,
        widget=text_input(placeholder="街道、楼栋、门牌号", autocomplete="street-address"),
    )
    postal_code = forms.CharField(
        label="邮政编码",
        max_length=20,
        required=False,
        widget=text_input(inputmode="numeric", autocomplete="postal-code", placeholder="6 位数字"),
    )
