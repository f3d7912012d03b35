"""ID card numbers (居民身份证号码): validation, the keyed hash that stands in for one, and its masked form.

A clear number never leaves this module's callers: it is not stored, logged or put into an error
message. Errors say what is wrong with the number, never what the number is.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumValidationError

from mall.errors import DomainError

FIELD = "id_number"
LENGTH = 18
# Digits shown at each end of the masked form (4403**********1234).
SHOWN_AT_START = 4
SHOWN_AT_END = 4


class InvalidIdNumber(DomainError):
    code = "INVALID_ID_NUMBER"
    field = FIELD


def normalize(raw: str | None) -> str:
    """The number in its canonical form (18 characters, a final X upper-case), or InvalidIdNumber."""
    number = ric.compact(raw or "")
    if not number:
        raise InvalidIdNumber("请填写身份证号码。", code="REQUIRED")
    if len(number) != LENGTH:
        raise InvalidIdNumber(f"身份证号码应为 {LENGTH} 位，您填写的是 {len(number)} 位，请核对。")
    if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
        raise InvalidIdNumber("身份证号码的前 17 位应为数字，最后一位为数字或字母 X。")
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidIdNumber("身份证号码的校验位不正确，请逐位核对后重新填写。")
    _check_birth_date(number)
    _check_region(number)
    return number


def _check_birth_date(number: str) -> None:
    try:
        born = ric.get_birth_date(number)
    except StdnumValidationError:
        born = None
    if born is None or born < datetime.date(1900, 1, 1) or born > timezone.localdate():
        raise InvalidIdNumber("身份证号码中的出生日期（第 7–14 位）无效，请核对后重新填写。")


def _check_region(number: str) -> None:
    try:
        ric.get_birth_place(number)
    except StdnumValidationError:
        raise InvalidIdNumber("身份证号码中的地区代码（前 6 位）无效，请核对后重新填写。") from None


def hash_key() -> bytes:
    """The HMAC key: ID_NUMBER_HASH_KEY, or (in development) one derived from SECRET_KEY."""
    if settings.ID_NUMBER_HASH_KEY:
        return settings.ID_NUMBER_HASH_KEY.encode()
    return hashlib.sha256(f"union-mall.members.id-number:{settings.SECRET_KEY}".encode()).digest()


def keyed_hash(number: str, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of a normalized number, hex: equal for the same person, useless without the key.

    Keyed rather than plain: there are only about 10^11 valid numbers, so a plain hash is
    reversed by trying them all.
    """
    return hmac.new(key if key is not None else hash_key(), number.encode(), hashlib.sha256).hexdigest()


def masked(number: str) -> str:
    """What people see to recognise a number: 4403**********1234."""
    hidden = len(number) - SHOWN_AT_START - SHOWN_AT_END
    return f"{number[:SHOWN_AT_START]}{'*' * hidden}{number[-SHOWN_AT_END:]}"
