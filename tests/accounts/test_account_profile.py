"""passwordChange and accountUpdate over GraphQL, as the signed-in member."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.accounts.graphql_clients import CommittingGraphQLClient
from tests.graphql.conftest import GraphQLClient

User = get_user_model()
PASSWORD = "union-mall-demo"

PASSWORD_CHANGE = """
mutation Change($old: String, $new: String!) {
  passwordChange(oldPassword: $old, newPassword: $new) { user { email } errors { field code message } }
}
"""
ACCOUNT_UPDATE = """
mutation Update($input: AccountInput!) {
  accountUpdate(input: $input) {
    user { firstName lastName phone addresses { city } defaultShippingAddress { city } }
    errors { field code message }
  }
}
"""
SHENZHEN = {
    "firstName": "小红",
    "lastName": "李",
    "phone": "13900139000",
    "countryArea": "广东省",
    "city": "深圳市",
    "cityArea": "南山区",
    "streetAddress1": "科技园南区 1 栋",
    "postalCode": "518057",
}


@pytest.fixture
def api(client, db, django_capture_on_commit_callbacks):
    return CommittingGraphQLClient(client, django_capture_on_commit_callbacks)


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member@example.com", PASSWORD, first_name="小红", last_name="李")


@pytest.fixture
def member_api(member, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(member)
    return CommittingGraphQLClient(client, django_capture_on_commit_callbacks)


# --- passwordChange ------------------------------------------------------------------------------
def test_a_member_changes_the_password_and_is_told_by_email(member_api, member):
    key_before = member.jwt_token_key

    payload = member_api.data(PASSWORD_CHANGE, {"old": PASSWORD, "new": "spring-rice-2026"})["passwordChange"]

    assert payload == {"user": {"email": "member@example.com"}, "errors": []}
    member.refresh_from_db()
    assert member.check_password("spring-rice-2026")
    assert member.jwt_token_key != key_before
    assert [message.subject for message in mail.outbox] == ["【工会商城】您的密码已修改"]


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("wrong-old-password", "spring-rice-2026", ("oldPassword", "INVALID_CREDENTIALS")),
        (None, "spring-rice-2026", ("oldPassword", "INVALID_CREDENTIALS")),
        (PASSWORD, "short", ("newPassword", "PASSWORD_TOO_SHORT")),
        (PASSWORD, "member@example.com", ("newPassword", "PASSWORD_TOO_SIMILAR")),
    ],
)
def test_a_bad_password_change_is_refused_and_the_password_stays(member_api, member, old, new, error):
    payload = member_api.data(PASSWORD_CHANGE, {"old": old, "new": new})["passwordChange"]

    assert (payload["errors"][0]["field"], payload["errors"][0]["code"]) == error
    assert payload["user"] is None
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert mail.outbox == []


def test_anonymous_password_change_is_a_permission_error(api):
    message = api.error(PASSWORD_CHANGE, {"old": PASSWORD, "new": "spring-rice-2026"})

    assert message == "You need to be authenticated to perform this action"


def test_a_session_mutation_without_the_csrf_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    status, body = GraphQLClient(client).post(PASSWORD_CHANGE, {"old": PASSWORD, "new": "spring-rice-2026"})

    assert body["errors"][0]["extensions"]["exception"]["code"] == "CsrfViewError"
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


# --- accountUpdate --------------------------------------------------------------------------------
def test_a_member_updates_names_and_mobile_number(member_api, member):
    payload = member_api.data(ACCOUNT_UPDATE, {"input": {"firstName": "晓红", "phone": "+86 139 0013 9000"}})

    assert payload["accountUpdate"] == {
        "user": {
            "firstName": "晓红",
            "lastName": "李",
            "phone": "+8613900139000",
            "addresses": [],
            "defaultShippingAddress": None,
        },
        "errors": [],
    }


def test_an_empty_mobile_number_removes_it(member_api, member):
    member.phone = "+8613900139000"
    member.save()

    payload = member_api.data(ACCOUNT_UPDATE, {"input": {"phone": ""}})

    assert payload["accountUpdate"]["user"]["phone"] is None
    member.refresh_from_db()
    assert member.phone is None


def test_a_default_shipping_address_given_to_account_update_joins_the_address_book(member_api):
    payload = member_api.data(ACCOUNT_UPDATE, {"input": {"defaultShippingAddress": SHENZHEN}})["accountUpdate"]

    assert payload["errors"] == []
    assert payload["user"]["addresses"] == [{"city": "深圳市"}]
    assert payload["user"]["defaultShippingAddress"] == {"city": "深圳市"}


@pytest.mark.parametrize(
    ("account_input", "error"),
    [
        ({"phone": "020-12345678"}, ("phone", "INVALID")),
        ({"firstName": "x" * 151}, ("firstName", "INVALID")),
        ({"defaultShippingAddress": {**SHENZHEN, "cityArea": "朝阳区"}}, ("defaultShippingAddress", "INVALID")),
    ],
)
def test_bad_account_update_input_changes_nothing(member_api, member, account_input, error):
    payload = member_api.data(ACCOUNT_UPDATE, {"input": {"lastName": "王", **account_input}})["accountUpdate"]

    assert (payload["errors"][0]["field"], payload["errors"][0]["code"]) == error
    member.refresh_from_db()
    assert (member.last_name, member.phone, member.addresses.count()) == ("李", None, 0)


def test_a_mobile_number_another_account_uses_is_refused(member_api, django_user_model):
    django_user_model.objects.create_user("other@example.com", PASSWORD, phone="+8613900139000")

    payload = member_api.data(ACCOUNT_UPDATE, {"input": {"phone": "13900139000"}})["accountUpdate"]

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("phone", "UNIQUE")]


def test_account_update_refuses_impersonation_without_an_app(member_api):
    query = 'mutation { accountUpdate(customerId: "VXNlcjox", input: {firstName: "x"}) { errors { code } } }'

    message = member_api.error(query)

    assert message == "You need one of the following permissions: IMPERSONATE_USER"
