"""Mainland China mobile numbers: what a member types, checked with `phonenumbers`, kept in E.164."""

import phonenumbers
from django.core.exceptions import ValidationError

MAINLAND_REGION = "CN"
MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
INVALID_MOBILE_MESSAGE = "请输入有效的中国大陆手机号码，例如 13800138000。"


def normalize_mainland_mobile(raw: str) -> str:
    """`raw` as +86… in E.164, or ValidationError(code="invalid") when it is not a mainland mobile number.

    Accepts "13800138000", "138 0013 8000", "+86 138-0013-8000" and "0086…".
    """
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, MAINLAND_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(INVALID_MOBILE_MESSAGE, code="invalid") from error
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number_for_region(number, MAINLAND_REGION)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise ValidationError(INVALID_MOBILE_MESSAGE, code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
