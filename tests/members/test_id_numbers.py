import pytest

from demo.people import with_check_digit
from members import id_numbers
from members.id_numbers import InvalidIdNumber
from tests.members.conftest import ID_NUMBER, ID_NUMBER_ENDING_IN_X


def refusal(raw: str) -> InvalidIdNumber:
    with pytest.raises(InvalidIdNumber) as caught:
        id_numbers.normalize(raw)
    return caught.value


def test_a_valid_number_is_returned_as_is():
    assert id_numbers.normalize(ID_NUMBER) == ID_NUMBER


def test_a_final_lower_case_x_and_spaces_around_are_accepted_in_canonical_form():
    assert id_numbers.normalize(f"  {ID_NUMBER_ENDING_IN_X.lower()} ") == ID_NUMBER_ENDING_IN_X


def test_an_empty_number_is_required():
    error = refusal("  ")
    assert (error.code, error.field, error.message) == ("REQUIRED", "id_number", "请填写身份证号码。")


def test_a_number_of_the_wrong_length_says_how_many_digits_it_has():
    error = refusal(ID_NUMBER[:15])
    assert (error.code, error.message) == ("INVALID_ID_NUMBER", "身份证号码应为 18 位，您填写的是 15 位，请核对。")


def test_letters_inside_the_number_are_refused():
    error = refusal("4403051988O6121221")
    assert error.message == "身份证号码的前 17 位应为数字，最后一位为数字或字母 X。"


def test_a_wrong_check_digit_is_refused():
    error = refusal(WRONG_CHECK_DIGIT)
    assert (error.code, error.message) == ("INVALID_ID_NUMBER", "身份证号码的校验位不正确，请逐位核对后重新填写。")


@pytest.mark.parametrize("birth_date", ["19881312", "19880230", "20991231", "18991231"])
def test_an_impossible_or_future_birth_date_is_refused_even_with_a_right_check_digit(birth_date):
    error = refusal(with_check_digit(f"440305{birth_date}122"))
    assert (error.code, error.message) == (
        "INVALID_ID_NUMBER",
        "身份证号码中的出生日期（第 7–14 位）无效，请核对后重新填写。",
    )


def test_an_unknown_region_code_is_refused():
    error = refusal(with_check_digit("99999919880612122"))
    assert error.message == "身份证号码中的地区代码（前 6 位）无效，请核对后重新填写。"


WRONG_CHECK_DIGIT = ID_NUMBER[:-1] + str((int(ID_NUMBER[-1]) + 1) % 10)


@pytest.mark.parametrize("bad", [WRONG_CHECK_DIGIT, ID_NUMBER + "1", with_check_digit("44030519881312122")])
def test_no_error_repeats_the_number(bad):
    error = refusal(bad)
    for text in (error.message, str(error), repr(error.args)):
        assert bad not in text and bad[6:14] not in text


def test_the_hash_is_keyed_the_same_number_under_another_key_hashes_differently():
    first = id_numbers.keyed_hash(ID_NUMBER, key=b"key-one")
    assert first == id_numbers.keyed_hash(ID_NUMBER, key=b"key-one")
    assert first != id_numbers.keyed_hash(ID_NUMBER, key=b"key-two")
    assert len(first) == 64 and ID_NUMBER not in first


def test_the_hash_key_comes_from_the_setting_and_defaults_to_one_derived_from_the_secret_key(settings):
    settings.ID_NUMBER_HASH_KEY = ""
    derived = id_numbers.keyed_hash(ID_NUMBER)
    settings.SECRET_KEY = "another-secret-key-for-this-test"
    assert id_numbers.keyed_hash(ID_NUMBER) != derived
    settings.ID_NUMBER_HASH_KEY = "production-key"
    assert id_numbers.keyed_hash(ID_NUMBER) == id_numbers.keyed_hash(ID_NUMBER, key=b"production-key")


def test_the_masked_form_shows_the_first_and_last_four_characters():
    assert id_numbers.masked("440305198806121234") == "4403**********1234"
    assert id_numbers.masked(ID_NUMBER_ENDING_IN_X) == "1101**********041X"
