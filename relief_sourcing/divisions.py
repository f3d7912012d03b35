"""China's administrative divisions (GB/T 2260): six-digit codes checked against the official list.

The list is the one python-stdnum keeps for ID card birthplaces (stdnum/cn/loc.dat, from the official
GB/T 2260 tables): each county-level name carries the years it existed, "[-2016]泸水县" having been
replaced by "[2016-]泸水市". Only divisions that exist today are accepted for new partner regions.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from stdnum import numdb

CODE = re.compile(r"^\d{6}$")
# Second-level entries that are groupings, not prefectures (北京市 市辖区, 重庆市 县, 省直辖县级行政区划).
NOT_PREFECTURES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
YEARS = re.compile(r"^\[(?P<start>\d{4})?-(?P<end>\d{4})?\]")


@dataclass(frozen=True)
class Division:
    code: str
    province: str
    prefecture: str
    county: str


def _name_and_current(raw: str) -> tuple[str, bool]:
    """The latest name of an entry and whether it still exists. An entry renamed over time lists every name
    with its years, "[-1991]东郊区,[1992-]东丽区": the last one is today's, if its years are open."""
    latest = raw.split(",")[-1]
    match = YEARS.match(latest)
    if not match:
        return latest, True
    return latest[match.end() :], match.group("end") is None


@lru_cache(maxsize=4096)
def lookup(code: str) -> tuple[str, str, bool] | None:
    """(province, county-level name, exists today) of a code in the list, or None."""
    parts = numdb.get("cn/loc").info(code)
    if len(parts) != 2 or "province" not in parts[0][1] or "county" not in parts[1][1]:
        return None
    name, current = _name_and_current(parts[1][1]["county"])
    return parts[0][1]["province"], name, current


def county_division(code: str) -> Division:
    """The county-level division of `code`, or a ValidationError saying what is wrong with it."""
    code = (code or "").strip()
    if not CODE.match(code):
        raise ValidationError("行政区划代码应为 6 位数字，如 500237（重庆市巫山县）。", code="invalid_division_code")
    if code.endswith("00"):
        raise ValidationError(
            f"{code} 是省或地级的代码，请填写县级（县、县级市、区）的 6 位代码。", code="not_a_county"
        )
    found = lookup(code)
    if found is None:
        raise ValidationError(f"{code} 不在国家行政区划代码（GB/T 2260）中，请核对。", code="unknown_division_code")
    province, county, current = found
    if county in NOT_PREFECTURES:
        raise ValidationError(
            f"{code}（{county}）是地级市的汇总代码，不是县级行政区划，请填写具体的区、县代码。", code="not_a_county"
        )
    if not current:
        raise ValidationError(f"{code}（{county}）已撤销，请填写现行的行政区划代码。", code="abolished_division_code")
    prefecture = lookup(code[:4] + "00")
    prefecture_name = prefecture[1] if prefecture and prefecture[1] not in NOT_PREFECTURES else ""
    return Division(code=code, province=province, prefecture=prefecture_name, county=county)
