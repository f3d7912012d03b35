"""The storefront's login form: e-mail or mobile number, and the throttle's reason when it refuses."""

from accounts.forms import LoginForm
from tests.accounts.conftest import PASSWORD


def login_form(rf, username, password, address="198.51.100.10"):
    return LoginForm(rf.post("/login/", REMOTE_ADDR=address), data={"username": username, "password": password})


def test_the_login_form_accepts_a_mobile_number(rf, member):
    form = login_form(rf, "138 0013 8000", PASSWORD)

    assert form.is_valid(), form.errors
    assert form.get_user() == member


def test_the_login_form_says_how_long_to_wait_when_throttled(rf, member):
    for _ in range(4):
        assert not login_form(rf, "member@example.com", "wrong").is_valid()

    form = login_form(rf, "member@example.com", PASSWORD)

    assert not form.is_valid()
    assert form.non_field_errors() == ["登录失败次数过多，请 1 秒后再试。"]


def test_the_login_form_keeps_djangos_message_for_a_wrong_password(rf, member):
    form = login_form(rf, "member@example.com", "wrong")

    assert not form.is_valid()
    assert form.non_field_errors()[0].startswith("请输入一个正确的")
