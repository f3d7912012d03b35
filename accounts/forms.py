"""Login forms that say why a sign-in was refused (wait N seconds, inactive, not confirmed)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.backends import login_refusal


class ExplainsLoginRefusalMixin:
    """Replaces Django's "wrong e-mail or password" with the backend's reason when it gave one."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            refusal = login_refusal(self.request)
            if refusal is None:
                raise
            raise ValidationError(refusal.message, code=refusal.code.lower()) from None


class RateLimitedAdminAuthenticationForm(ExplainsLoginRefusalMixin, AdminAuthenticationForm):
    pass


class LoginForm(ExplainsLoginRefusalMixin, AuthenticationForm):
    """The storefront's login form: e-mail or mainland mobile number and password."""

    username = forms.CharField(label="邮箱或手机号", max_length=254, widget=forms.TextInput(attrs={"autofocus": True}))
