"""Account services: registration and confirmation, passwords, the profile and the address book.

The GraphQL mutations and the storefront pages call these and nothing else, so both apply the
same rules. Refusals are Django ValidationErrors keyed by field, with Saleor's AccountErrorCode
values as codes; e-mails go out through Celery once the transaction has committed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts import tasks
from accounts.addresses import TEXT_FIELDS, clean_address
from accounts.confirmation import account_confirmation_token_generator
from accounts.links import validate_redirect_url
from accounts.models import Address, new_jwt_token_key
from accounts.phone_numbers import normalize_mainland_mobile
from mall.errors import DomainError
from mall.permissions import require_authenticated

User = get_user_model()

ADDRESS_TYPES = {"shipping": "default_shipping_address", "billing": "default_billing_address"}
INVALID_LINK_MESSAGE = "链接无效或已过期，请重新申请。"
# Django's validators in Chinese: its zh_Hans catalogue lacks some of their current wording.
PASSWORD_MESSAGES = {
    "password_too_short": "密码太短，至少需要 %(min_length)d 个字符。",
    "password_too_common": "这个密码太常见了，请换一个。",
    "password_entirely_numeric": "密码不能全是数字。",
    "password_too_similar": "密码与%(verbose_name)s太相似。",
}


@dataclass(frozen=True)
class Registration:
    user: User
    requires_confirmation: bool


# --- Checks shared by several services ---------------------------------------------------------
def normalize_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": ValidationError("请填写电子邮箱。", code="required")})
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": ValidationError("请输入有效的电子邮箱地址。", code="invalid")}) from error
    return email


def validate_password(password: str, user, *, field: str) -> None:
    """Django's password validators; their codes (password_too_short, ...) are Saleor's too."""
    if not password:
        raise ValidationError({field: ValidationError("请填写密码。", code="required")})
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        messages = [
            ValidationError(PASSWORD_MESSAGES.get(item.code, item.message), code=item.code, params=item.params)
            for item in error.error_list
        ]
        raise ValidationError({field: messages}) from error


def clean_mobile(phone: str, *, user=None) -> str | None:
    """A mobile number in E.164, unique among users, or None when left empty."""
    if not (phone or "").strip():
        return None
    try:
        normalized = normalize_mainland_mobile(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error}) from error
    taken = User.objects.filter(phone=normalized).exclude(pk=getattr(user, "pk", None)).exists()
    if taken:
        raise ValidationError({"phone": ValidationError("该手机号已被其他账户使用。", code="unique")})
    return normalized


def clean_redirect_url(redirect_url: str | None, *, field: str = "redirect_url") -> str | None:
    if not redirect_url:
        return None
    try:
        validate_redirect_url(redirect_url)
    except ValidationError as error:
        raise ValidationError({field: error}) from error
    return redirect_url


# --- Registration and confirmation ---------------------------------------------------------------
def register(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    redirect_url: str | None = None,
) -> Registration:
    """A new customer account; when the shop asks for it (ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL) it stays
    inactive until the link in the confirmation e-mail is followed."""
    email = normalize_email(email)
    redirect_url = clean_redirect_url(redirect_url)
    requires_confirmation = settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL
    user = User(
        email=email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        is_active=not requires_confirmation,
        is_confirmed=not requires_confirmation,
    )
    validate_password(password, user, field="password")
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ValidationError("该邮箱已注册，请直接登录或找回密码。", code="unique")})
    with transaction.atomic():
        user.phone = clean_mobile(phone)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        if requires_confirmation:
            transaction.on_commit(
                lambda: tasks.send_account_confirmation_email.delay(user.pk, redirect_url), robust=True
            )
    return Registration(user=user, requires_confirmation=requires_confirmation)


def confirm_account(*, email: str, token: str) -> User:
    """Activate the account whose confirmation link carried `email` and `token`."""
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None or user.is_confirmed or not account_confirmation_token_generator.check_token(user, token or ""):
        raise ValidationError({"token": ValidationError(INVALID_LINK_MESSAGE, code="invalid")})
    with transaction.atomic():
        user.is_confirmed = True
        user.is_active = True
        user.save(update_fields=["is_confirmed", "is_active", "updated_at"])
    return user


# --- Passwords -------------------------------------------------------------------------------------
def request_password_reset(*, email: str, redirect_url: str | None = None) -> None:
    """E-mail a link to set a new password, if an account has this address.

    The answer is the same whether or not it has one, so nobody learns who has an account here;
    at most one e-mail per address goes out per PASSWORD_RESET_EMAIL_INTERVAL_SECONDS.
    """
    redirect_url = clean_redirect_url(redirect_url)
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": ValidationError("请填写电子邮箱。", code="required")})
    user = User.objects.filter(email__iexact=email).first()
    # An account awaiting confirmation may reset (the link proves the mailbox); a disabled one may not.
    if user is None or (not user.is_active and user.is_confirmed):
        return
    if not cache.add(f"password-reset-sent:{user.pk}", True, timeout=settings.PASSWORD_RESET_EMAIL_INTERVAL_SECONDS):
        return
    transaction.on_commit(lambda: tasks.send_password_reset_email.delay(user.pk, redirect_url), robust=True)


def set_password(*, email: str, token: str, password: str) -> User:
    """Set the password from the link in the reset e-mail; the link stops working once used."""
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None or (not user.is_active and user.is_confirmed):
        raise ValidationError({"token": ValidationError(INVALID_LINK_MESSAGE, code="invalid")})
    if not default_token_generator.check_token(user, token or ""):
        raise ValidationError({"token": ValidationError(INVALID_LINK_MESSAGE, code="invalid")})
    validate_password(password, user, field="password")
    with transaction.atomic():
        _store_new_password(user, password)
        if not user.is_confirmed:  # following the e-mailed link proves the mailbox, as confirmation does
            user.is_confirmed = True
            user.is_active = True
        user.save()
    return user


def change_password(*, user, old_password: str | None, new_password: str) -> User:
    require_authenticated(user)
    if user.has_usable_password() and not user.check_password(old_password or ""):
        raise ValidationError({"old_password": ValidationError("原密码不正确。", code="invalid_credentials")})
    validate_password(new_password, user, field="new_password")
    with transaction.atomic():
        _store_new_password(user, new_password)
        user.save()
    return user


def _store_new_password(user, password: str) -> None:
    """Set the password, sign out every API token issued before, and tell the owner by e-mail."""
    user.set_password(password)
    user.jwt_token_key = new_jwt_token_key()
    user_id = user.pk
    transaction.on_commit(lambda: tasks.send_password_changed_email.delay(user_id), robust=True)


# --- Profile ----------------------------------------------------------------------------------------
def update_account(
    *,
    user,
    first_name: str | None = None,
    last_name: str | None = None,
    phone: str | None = None,
    default_shipping_address: dict | None = None,
    default_billing_address: dict | None = None,
) -> User:
    """Change the names and mobile number (None leaves a field as it is, "" empties it); a default
    address given here is added to the address book as Saleor's accountUpdate does."""
    require_authenticated(user)
    with transaction.atomic():
        if first_name is not None:
            user.first_name = first_name.strip()
        if last_name is not None:
            user.last_name = last_name.strip()
        if phone is not None:
            user.phone = clean_mobile(phone, user=user)
        # Only the fields changed here are checked: the e-mail and the defaults are as they were, and
        # checking them would ask the database once for each.
        user.full_clean(exclude=["password", "email", *ADDRESS_TYPES.values()])
        user.save()
        for address_type, data in (("shipping", default_shipping_address), ("billing", default_billing_address)):
            if data is not None:
                create_address(user=user, data=data, address_type=address_type, field=f"default_{address_type}_address")
    return user


# --- Address book ------------------------------------------------------------------------------------
def create_address(*, user, data: dict, address_type: str | None = None, field: str | None = None) -> Address:
    """Add an address to the user's book; the first one becomes the default for shipping and billing."""
    require_authenticated(user)
    if user.addresses.count() >= settings.MAX_ADDRESSES_PER_USER:
        raise DomainError(
            f"最多可保存 {settings.MAX_ADDRESSES_PER_USER} 个地址，请先删除不用的地址。", field=field, code="INVALID"
        )
    cleaned = _clean_address_for(field, data)
    with transaction.atomic():
        address = Address(**cleaned)
        address.full_clean()
        address.save()
        user.addresses.add(address)
        for kind, attribute in ADDRESS_TYPES.items():
            if kind == address_type or getattr(user, f"{attribute}_id") is None:
                setattr(user, attribute, address)
        user.save(update_fields=[*ADDRESS_TYPES.values(), "updated_at"])
    return address


def update_address(*, user, address: Address, data: dict) -> Address:
    """Change the given fields of one of the user's addresses; the others keep their values."""
    _require_own_address(user, address)
    current = {name: getattr(address, name) for name in (*TEXT_FIELDS, "country")}
    given = {name: value for name, value in data.items() if value is not None}
    cleaned = _clean_address_for(None, {**current, **given})
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(address, name, value)
        address.full_clean()
        address.save()
    return address


def delete_address(*, user, address: Address) -> None:
    _require_own_address(user, address)
    with transaction.atomic():
        for attribute in ADDRESS_TYPES.values():
            if getattr(user, f"{attribute}_id") == address.pk:
                setattr(user, attribute, None)
        user.save(update_fields=[*ADDRESS_TYPES.values(), "updated_at"])
        address.delete()


def set_default_address(*, user, address: Address, address_type: str) -> User:
    _require_own_address(user, address)
    attribute = ADDRESS_TYPES[address_type]
    with transaction.atomic():
        setattr(user, attribute, address)
        user.save(update_fields=[attribute, "updated_at"])
    return user


def _clean_address_for(field: str | None, data: dict) -> dict:
    """clean_address, with errors reported under `field` (an accountUpdate input) when given."""
    try:
        return clean_address(data)
    except ValidationError as error:
        if field is None:
            raise
        first = next(iter(error.error_dict.values()))[0]
        raise ValidationError({field: first}) from error


def _require_own_address(user, address: Address) -> None:
    require_authenticated(user)
    if not user.addresses.filter(pk=address.pk).exists():
        raise DomainError("找不到该地址。", field="id", code="NOT_FOUND")
