from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from accounts import login_limits


class RateLimitedAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login form, saying plainly when too many failures have locked the login."""

    def clean(self):
        if login_limits.is_locked(self.request, self.cleaned_data.get("username")):
            raise ValidationError(login_limits.lockout_message(), code="too_many_attempts")
        return super().clean()
