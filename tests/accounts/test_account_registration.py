"""accountRegister, confirmAccount, requestPasswordReset and setPassword over GraphQL, with the e-mails
they send and the links in them followed."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts import tokens
from tests.accounts.graphql_clients import CommittingGraphQLClient

User = get_user_model()
PASSWORD = "union-mall-demo"

REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    requiresConfirmation
    user { email firstName lastName isActive isConfirmed phone }
    errors { field code message }
  }
}
"""
CONFIRM = """
mutation Confirm($email: String!, $token: String!) {
  confirmAccount(email: $email, token: $token) { user { email isActive isConfirmed } errors { field code } }
}
"""
REQUEST_RESET = """
mutation Reset($email: String!, $redirectUrl: String!) {
  requestPasswordReset(email: $email, redirectUrl: $redirectUrl) { errors { field code message } }
}
"""
SET_PASSWORD = """
mutation SetPassword($email: String!, $token: String!, $password: String!) {
  setPassword(email: $email, token: $token, password: $password) {
    token refreshToken csrfToken user { email } errors { field code }
  }
}
"""


@pytest.fixture
def api(client, db, django_capture_on_commit_callbacks):
    return CommittingGraphQLClient(client, django_capture_on_commit_callbacks)


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member@example.com", PASSWORD, first_name="小红", last_name="李")


def register(api, **fields):
    data = {"email": "newcomer@example.com", "password": PASSWORD, **fields}
    return api.data(REGISTER, {"input": data})["accountRegister"]


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def email_and_token(link: str) -> tuple[str, str]:
    query = parse_qs(urlsplit(link).query)
    return query["email"][0], query["token"][0]


# --- accountRegister -------------------------------------------------------------------------
def test_registration_creates_an_inactive_account_and_mails_a_confirmation_link(api, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = True
    settings.PUBLIC_URL = "https://mall.example.cn"

    payload = register(api, firstName="小明", lastName="王", phone="138 0013 8000")

    assert payload["errors"] == []
    assert payload["requiresConfirmation"] is True
    assert payload["user"] == {
        "email": "newcomer@example.com",
        "firstName": "小明",
        "lastName": "王",
        "isActive": False,
        "isConfirmed": False,
        "phone": "+8613800138000",
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.com"]
    assert "请确认您的邮箱" in mail.outbox[0].subject
    assert link_in(mail.outbox[0]).startswith("https://mall.example.cn/account/confirm/?email=newcomer%40example.com")


def test_following_the_confirmation_link_activates_the_account_once(api, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = True
    register(api, redirectUrl="http://localhost:3000/confirm?from=mail")
    link = link_in(mail.outbox[0])
    assert link.startswith("http://localhost:3000/confirm?from=mail&email=")
    email, token = email_and_token(link)

    confirmed = api.data(CONFIRM, {"email": email, "token": token})["confirmAccount"]
    again = api.data(CONFIRM, {"email": email, "token": token})["confirmAccount"]

    assert confirmed == {"user": {"email": email, "isActive": True, "isConfirmed": True}, "errors": []}
    assert again == {"user": None, "errors": [{"field": "token", "code": "INVALID"}]}


def test_a_confirmation_token_cannot_set_a_password(api, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = True
    register(api)
    email, token = email_and_token(link_in(mail.outbox[0]))

    payload = api.data(SET_PASSWORD, {"email": email, "token": token, "password": "another-good-pass-9"})

    assert payload["setPassword"]["errors"] == [{"field": "token", "code": "INVALID"}]
    assert User.objects.get(email=email).check_password(PASSWORD)


def test_without_confirmation_the_new_account_is_active_at_once_and_no_mail_is_sent(api, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False

    payload = register(api)

    assert payload["requiresConfirmation"] is False
    assert payload["user"]["isActive"] is True
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"email": "not-an-address"}, {"field": "email", "code": "INVALID"}),
        ({"password": "1234"}, {"field": "password", "code": "PASSWORD_TOO_SHORT"}),
        ({"password": "83920174651"}, {"field": "password", "code": "PASSWORD_ENTIRELY_NUMERIC"}),
        ({"password": "password123"}, {"field": "password", "code": "PASSWORD_TOO_COMMON"}),
        ({"phone": "12345"}, {"field": "phone", "code": "INVALID"}),
        ({"redirectUrl": "https://evil.example.com/confirm"}, {"field": "redirectUrl", "code": "INVALID"}),
        ({"redirectUrl": "javascript:alert(1)"}, {"field": "redirectUrl", "code": "INVALID"}),
        ({"channel": "no-such-channel"}, {"field": "channel", "code": "NOT_FOUND"}),
    ],
)
def test_bad_registration_input_is_refused_with_a_field_error_and_creates_nobody(api, fields, error):
    payload = register(api, **fields)

    assert [{"field": item["field"], "code": item["code"]} for item in payload["errors"]][:1] == [error]
    assert payload["user"] is None
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_registering_a_taken_email_or_mobile_is_refused(api, member):
    member.phone = "+8613800138000"
    member.save()

    by_email = register(api, email="MEMBER@example.com")
    by_phone = register(api, phone="13800138000")

    assert [(e["field"], e["code"]) for e in by_email["errors"]] == [("email", "UNIQUE")]
    assert [(e["field"], e["code"]) for e in by_phone["errors"]] == [("phone", "UNIQUE")]
    assert User.objects.count() == 1


def test_registration_messages_are_in_chinese(api):
    payload = register(api, password="1234")

    assert "密码" in payload["errors"][0]["message"]


# --- requestPasswordReset and setPassword ---------------------------------------------------------
def test_a_password_reset_link_sets_a_new_password_and_works_only_once(api, member):
    api.data(REQUEST_RESET, {"email": "Member@Example.com", "redirectUrl": "http://localhost:3000/reset"})
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    assert link.startswith("http://localhost:3000/reset?email=member%40example.com&token=")
    email, token = email_and_token(link)

    first = api.data(SET_PASSWORD, {"email": email, "token": token, "password": "a-new-harvest-77"})["setPassword"]
    second = api.data(SET_PASSWORD, {"email": email, "token": token, "password": "yet-another-one-88"})["setPassword"]

    assert first["errors"] == [] and first["user"] == {"email": "member@example.com"}
    assert second["errors"] == [{"field": "token", "code": "INVALID"}]
    member.refresh_from_db()
    assert member.check_password("a-new-harvest-77")
    assert "您的密码已修改" in mail.outbox[-1].subject


def test_setting_a_password_signs_out_earlier_api_tokens(api, member):
    key_before = member.jwt_token_key
    api.data(REQUEST_RESET, {"email": member.email, "redirectUrl": "http://localhost/reset"})
    email, token = email_and_token(link_in(mail.outbox[0]))

    api.data(SET_PASSWORD, {"email": email, "token": token, "password": "a-new-harvest-77"})

    member.refresh_from_db()
    assert member.jwt_token_key != key_before


def test_a_weak_new_password_is_refused_and_the_old_one_stays(api, member):
    api.data(REQUEST_RESET, {"email": member.email, "redirectUrl": "http://localhost/reset"})
    email, token = email_and_token(link_in(mail.outbox[0]))

    payload = api.data(SET_PASSWORD, {"email": email, "token": token, "password": "123"})["setPassword"]

    assert payload["errors"][0] == {"field": "password", "code": "PASSWORD_TOO_SHORT"}
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_reset_answers_the_same_for_unknown_and_known_addresses(api, member):
    known = api.post(REQUEST_RESET, {"email": member.email, "redirectUrl": "http://localhost/reset"})
    unknown = api.post(REQUEST_RESET, {"email": "nobody@example.com", "redirectUrl": "http://localhost/reset"})

    assert known[0] == unknown[0] == 200
    assert known[1]["data"] == unknown[1]["data"] == {"requestPasswordReset": {"errors": []}}
    assert [message.to for message in mail.outbox] == [[member.email]]


def test_password_reset_mails_at_most_once_a_minute_and_still_answers_the_same(api, member):
    for _ in range(3):
        status, body = api.post(REQUEST_RESET, {"email": member.email, "redirectUrl": "http://localhost/reset"})
        assert (status, body["data"]) == (200, {"requestPasswordReset": {"errors": []}})

    assert len(mail.outbox) == 1


def test_password_reset_refuses_a_redirect_to_a_foreign_host(api, member):
    payload = api.data(REQUEST_RESET, {"email": member.email, "redirectUrl": "https://evil.example.com/reset"})

    assert [(e["field"], e["code"]) for e in payload["requestPasswordReset"]["errors"]] == [("redirectUrl", "INVALID")]
    assert mail.outbox == []


def test_set_password_for_an_unknown_address_gives_the_same_error_as_a_bad_token(api, member):
    unknown = api.data(SET_PASSWORD, {"email": "nobody@example.com", "token": "x-y", "password": "a-new-harvest-77"})
    bad_token = api.data(SET_PASSWORD, {"email": member.email, "token": "x-y", "password": "a-new-harvest-77"})

    assert unknown == bad_token
    assert unknown["setPassword"]["errors"] == [{"field": "token", "code": "INVALID"}]


def test_set_password_signs_the_member_in_with_working_tokens(api, member):
    api.data(REQUEST_RESET, {"email": member.email, "redirectUrl": "http://localhost/reset"})
    email, token = email_and_token(link_in(mail.outbox[0]))

    payload = api.data(SET_PASSWORD, {"email": email, "token": token, "password": "a-new-harvest-77"})["setPassword"]

    access = tokens.decode(payload["token"])
    refresh = tokens.decode(payload["refreshToken"])
    assert (access["type"], access["email"]) == ("access", member.email)
    assert (refresh["type"], refresh["csrfToken"]) == ("refresh", payload["csrfToken"])


def test_the_emails_go_out_only_after_the_transaction_commits(member, django_capture_on_commit_callbacks):
    from accounts import services

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_password_reset(email=member.email)
        assert mail.outbox == []

    assert len(callbacks) == 1


def test_anonymous_clients_register_without_a_csrf_token(db, django_capture_on_commit_callbacks):
    csrf_client = CommittingGraphQLClient(Client(enforce_csrf_checks=True), django_capture_on_commit_callbacks)

    payload = register(csrf_client)

    assert payload["errors"] == []


def test_registration_takes_saleors_optional_fields(api, channel):
    payload = register(
        api,
        channel=channel.slug,
        languageCode="ZH_HANS",
        metadata=[{"key": "source", "value": "poster"}],
        redirectUrl="http://localhost:3000/confirm",
    )

    assert payload["errors"] == []
    assert payload["user"]["email"] == "newcomer@example.com"
