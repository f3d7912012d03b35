"""Celery tasks of accounts: the account e-mails. Tokens are made when the e-mail is written, so no
token ever sits in the broker; running a task again sends a fresh, equally valid link."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator

from accounts import emails
from accounts.confirmation import account_confirmation_token_generator
from accounts.links import storefront_url, with_email_and_token


@shared_task(name="accounts.send_account_confirmation_email")
def send_account_confirmation_email(user_id: int, redirect_url: str | None = None) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_confirmed=False).first()
    if user is None:  # confirmed meanwhile, or gone
        return False
    token = account_confirmation_token_generator.make_token(user)
    base = redirect_url or storefront_url("storefront:confirm_account")
    emails.send_account_confirmation(user, with_email_and_token(base, email=user.email, token=token))
    return True


@shared_task(name="accounts.send_password_reset_email")
def send_password_reset_email(user_id: int, redirect_url: str | None = None) -> bool:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    token = default_token_generator.make_token(user)
    base = redirect_url or storefront_url("storefront:password_reset_confirm")
    emails.send_password_reset(user, with_email_and_token(base, email=user.email, token=token))
    return True


@shared_task(name="accounts.send_password_changed_email")
def send_password_changed_email(user_id: int) -> bool:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    emails.send_password_changed(user)
    return True
