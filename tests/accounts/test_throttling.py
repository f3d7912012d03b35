"""Login throttling by address and by address + account, shared by tokenCreate, the admin and authenticate()."""

import re

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from accounts import throttling
from tests.accounts.conftest import PASSWORD, api_from

TOKEN_CREATE = """
mutation TokenCreate($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field message code } }
}
"""
ATTACKER = "203.0.113.66"
MEMBER_HOME = "198.51.100.10"


@pytest.fixture(autouse=True)
def throttle_settings(settings):
    settings.LOGIN_THROTTLE_FREE_FAILURES = 3
    settings.LOGIN_THROTTLE_ADDRESS_FREE_FAILURES = 30
    settings.LOGIN_THROTTLE_ADDRESS_STEP = 10
    settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS = 3600


def sign_in(api, email="member@example.com", password=PASSWORD) -> dict:
    return api.data(TOKEN_CREATE, {"email": email, "password": password})["tokenCreate"]


def wait_in(error: dict) -> int:
    return int(re.search(r"请 (\d+) 秒后再试", error["message"]).group(1))


def test_three_mistakes_are_free_then_each_failure_doubles_the_wait(member, clock):
    api = api_from(MEMBER_HOME)
    waits = []
    for _ in range(7):
        assert sign_in(api, password="wrong")["errors"][0]["code"] == "INVALID_CREDENTIALS"
        refusal = throttling.LoginAttempt(MEMBER_HOME, member.pk).refusal()
        waits.append(refusal.wait_seconds if refusal else 0)
        clock.advance(waits[-1])

    assert waits == [0, 0, 0, 1, 2, 4, 8]


def test_while_delayed_even_the_right_password_waits_and_the_message_says_how_long(member, clock):
    api = api_from(MEMBER_HOME)
    for _ in range(4):
        sign_in(api, password="wrong")

    result = sign_in(api)

    assert result["token"] is None
    assert result["errors"] == [
        {"field": "email", "message": "登录失败次数过多，请 1 秒后再试。", "code": "LOGIN_ATTEMPT_DELAYED"}
    ]
    clock.advance(1)
    assert sign_in(api)["errors"] == []


def test_an_attacker_elsewhere_cannot_lock_the_member_out(member, clock):
    attacker = api_from(ATTACKER)
    for _ in range(40):
        sign_in(attacker, password="guess")
        clock.advance(0.5)
    assert sign_in(attacker)["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"

    result = sign_in(api_from(MEMBER_HOME))

    assert result["errors"] == []
    assert result["token"]


def test_an_address_trying_many_accounts_is_slowed_for_every_account(member, django_user_model, settings, clock):
    settings.LOGIN_THROTTLE_ADDRESS_FREE_FAILURES = 5
    settings.LOGIN_THROTTLE_ADDRESS_STEP = 2
    attacker = api_from(ATTACKER)
    for number in range(6):
        assert sign_in(attacker, f"person{number}@example.com", "guess")["errors"][0]["code"] == "INVALID_CREDENTIALS"

    blocked = sign_in(attacker, "member@example.com")

    assert blocked["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"
    assert sign_in(api_from(MEMBER_HOME))["errors"] == []


def test_a_successful_sign_in_clears_the_accounts_counter_but_not_the_addresss(member, settings, clock):
    settings.LOGIN_THROTTLE_ADDRESS_FREE_FAILURES = 4
    api = api_from(MEMBER_HOME)
    for _ in range(3):
        sign_in(api, password="wrong")
    assert sign_in(api)["errors"] == []

    # Three more mistakes on the account are free again; the address, at 6 failures, now waits.
    for _ in range(2):
        assert sign_in(api, password="wrong")["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert sign_in(api)["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"


def test_the_mobile_number_and_the_email_share_one_counter(member, clock):
    api = api_from(MEMBER_HOME)
    for name in ("13800138000", "member@example.com", "+86 138 0013 8000", "MEMBER@example.com"):
        sign_in(api, name, "wrong")

    assert sign_in(api, "13800138000")["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"


def test_the_delay_is_capped(settings):
    assert [throttling.account_delay(failures) for failures in (1, 3, 4, 5, 6, 14, 15, 100)] == [
        0,
        0,
        1,
        2,
        4,
        1024,
        2048,
        3600,
    ]
    assert [throttling.address_delay(failures) for failures in (30, 31, 40, 41, 51, 1000)] == [0, 1, 1, 2, 4, 3600]


def test_a_password_check_in_progress_holds_back_a_parallel_attempt_on_the_same_account(member):
    attempt = throttling.LoginAttempt(MEMBER_HOME, member.pk)
    assert attempt.acquire() is None

    result = sign_in(api_from(MEMBER_HOME))

    assert result["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"
    attempt.release()
    assert sign_in(api_from(MEMBER_HOME))["errors"] == []


def test_the_admin_login_is_throttled_with_a_clear_message(client, django_user_model, clock):
    django_user_model.objects.create_user("operator@example.com", PASSWORD, is_staff=True, is_superuser=True)

    def log_in(password):
        return client.post("/admin/login/?next=/admin/", {"username": "operator@example.com", "password": password})

    for _ in range(4):
        assert log_in("wrong").status_code == 200
    response = log_in(PASSWORD)

    assert "登录失败次数过多，请 1 秒后再试。" in response.content.decode()
    assert "_auth_user_id" not in client.session
    clock.advance(1)
    assert log_in(PASSWORD).status_code == 302


def test_the_admin_login_still_works(client, django_user_model):
    django_user_model.objects.create_user("operator@example.com", PASSWORD, is_staff=True, is_superuser=True)

    response = client.post("/admin/login/?next=/admin/", {"username": "operator@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_authenticate_is_throttled_for_every_caller_and_says_why_on_the_request(rf, member, clock):
    from accounts.backends import login_refusal

    for _ in range(4):
        assert authenticate(rf.post("/", REMOTE_ADDR=MEMBER_HOME), username="member@example.com", password="x") is None
    request = rf.post("/", REMOTE_ADDR=MEMBER_HOME)

    assert authenticate(request, username="13800138000", password=PASSWORD) is None
    assert login_refusal(request).code == "LOGIN_ATTEMPT_DELAYED"
    assert authenticate(rf.post("/", REMOTE_ADDR=ATTACKER), username="13800138000", password=PASSWORD) == member


def test_a_request_without_a_client_address_is_refused(rf, member):
    from accounts.backends import login_refusal

    request = rf.post("/", REMOTE_ADDR="")

    assert authenticate(request, username="member@example.com", password=PASSWORD) is None
    assert login_refusal(request).code == "UNKNOWN_IP_ADDRESS"


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    forwarded = "192.0.2.1, 203.0.113.9, 10.0.0.7"

    assert throttling.client_address(rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)) == (
        "203.0.113.9"
    )
    assert throttling.client_address(rf.get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR=forwarded)) == (
        "198.51.100.4"
    )
    assert throttling.client_address(rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="junk")) == "10.0.0.5"
    settings.TRUSTED_PROXIES = []
    assert throttling.client_address(rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)) == "10.0.0.5"


def test_token_refresh_and_verify_are_rate_limited_per_address(member, settings):
    settings.TOKEN_RATE_LIMIT_PER_MINUTE = 3
    verify = 'mutation { tokenVerify(token: "x") { errors { code } } }'
    api = api_from(MEMBER_HOME)
    codes = [api.data(verify)["tokenVerify"]["errors"][0]["code"] for _ in range(4)]

    assert codes == ["JWT_DECODE_ERROR"] * 3 + ["LOGIN_ATTEMPT_DELAYED"]
    assert api_from(ATTACKER).data(verify)["tokenVerify"]["errors"][0]["code"] == "JWT_DECODE_ERROR"


def test_authenticate_without_a_request_is_throttled_in_a_bucket_of_its_own(member, clock):
    for _ in range(4):
        assert authenticate(username="member@example.com", password="wrong") is None

    assert authenticate(username="member@example.com", password=PASSWORD) is None
    assert (
        authenticate(
            RequestFactory().post("/", REMOTE_ADDR=MEMBER_HOME), username="member@example.com", password=PASSWORD
        )
        == member
    )
    clock.advance(1)
    assert authenticate(username="member@example.com", password=PASSWORD) == member
