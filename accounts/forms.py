"""Login forms that say why a sign-in was refused (wait N seconds, inactive, not confirmed)."""

from django.contrib.admin.forms import AdminAuthenticationForm
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
