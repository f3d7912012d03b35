import pytest
from django.core.exceptions import ValidationError

from mall.errors import PermissionDenied
from relief_sourcing import services
from relief_sourcing.models import PartnerRegion
from tests.relief_sourcing.conftest import LUSHUI, make_region


def test_a_partner_region_takes_its_names_from_the_official_list(operator):
    region = make_region(operator, LUSHUI, pairing_type=PartnerRegion.PairingType.EAST_WEST)
    assert (region.code, region.province, region.prefecture, region.county) == (
        "533301",
        "云南省",
        "怒江傈僳族自治州",
        "泸水市",
    )


def test_a_renamed_division_is_known_by_its_current_names(operator):
    region = make_region(operator, "422801")
    assert (region.prefecture, region.county) == ("恩施土家族苗族自治州", "恩施市")


@pytest.mark.parametrize(
    ("code", "error_code", "message"),
    [
        ("50023", "invalid_division_code", "行政区划代码应为 6 位数字"),
        ("50023a", "invalid_division_code", "行政区划代码应为 6 位数字"),
        ("500000", "not_a_county", "是省或地级的代码"),
        ("533300", "not_a_county", "是省或地级的代码"),
        ("540101", "not_a_county", "不是县级行政区划"),
        ("999991", "unknown_division_code", "不在国家行政区划代码（GB/T 2260）中"),
        ("533321", "abolished_division_code", "533321（泸水县）已撤销"),
    ],
)
def test_a_bad_division_code_is_refused_with_a_clear_message_and_nothing_is_saved(operator, code, error_code, message):
    with pytest.raises(ValidationError) as refused:
        make_region(operator, code)
    [error] = refused.value.error_dict["code"]
    assert error.code == error_code
    assert message in error.message
    assert not PartnerRegion.objects.exists()


def test_a_county_is_a_partner_region_once(operator, region):
    with pytest.raises(ValidationError) as refused:
        make_region(operator, region.code)
    assert refused.value.error_dict["code"][0].code == "unique"
    assert PartnerRegion.objects.count() == 1


def test_updating_the_code_refills_the_names_and_a_bad_code_changes_nothing(operator, region):
    services.update_partner_region(region, user=operator, code=LUSHUI, active_to_year=2030)
    region.refresh_from_db()
    assert (region.county, region.active_to_year) == ("泸水市", 2030)
    with pytest.raises(ValidationError):
        services.update_partner_region(region, user=operator, code="533321", active_to_year=2031)
    region.refresh_from_db()
    assert (region.code, region.active_to_year) == (LUSHUI, 2030)


def test_years_must_be_in_order(operator):
    with pytest.raises(ValidationError) as refused:
        make_region(operator, active_from_year=2025, active_to_year=2024)
    assert "截止年度不能早于起始年度" in str(refused.value)


def test_only_relief_operators_create_regions(clerk, db):
    with pytest.raises(PermissionDenied):
        make_region(clerk)
    assert not PartnerRegion.objects.exists()
