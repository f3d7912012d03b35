"""Tokens in account confirmation e-mails.

Separate from password reset tokens (Django's default_token_generator), so a confirmation link
can never set a password; and bound to `is_confirmed`, so a link works once.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class AccountConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.confirmation.AccountConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.is_confirmed}{timestamp}"


account_confirmation_token_generator = AccountConfirmationTokenGenerator()
