"""Every account mutation whose payload returns a user reads it in a fixed number of queries,
whether the user has one address and one permission or ten addresses and five permissions."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client

from accounts import tokens
from accounts.confirmation import account_confirmation_token_generator
from mall.permissions import PermissionEnum
from tests.accounts.payload_people import (
    EMAIL,
    PASSWORD,
    SIZES,
    USER_FIELDS,
    api_for,
    assert_full_user,
    make_person,
    size_id,
)
from tests.graphql.conftest import GraphQLClient
from tests.graphql.helpers import gid

NEW_ADDRESS = {
    "firstName": "小红",
    "lastName": "李",
    "phone": "13900139000",
    "countryArea": "广东省",
    "city": "深圳市",
    "cityArea": "福田区",
    "streetAddress1": "福华路 1 号",
    "postalCode": "518048",
}


@pytest.fixture(params=SIZES, ids=size_id)
def size(request):
    return request.param


@pytest.fixture
def person(db, size):
    return make_person(size)


@pytest.fixture
def anonymous_api(db):
    return GraphQLClient(Client())


@pytest.fixture
def person_api(person):
    return api_for(person)


def payload_of(api, mutation: str, variables: dict) -> dict:
    data = api.data(mutation, variables)
    (payload,) = data.values()
    assert payload["errors"] == [], payload["errors"]
    return payload


def last_address_id(person) -> str:
    return gid("Address", person.addresses.order_by("pk").last().pk)


# --- Tokens ------------------------------------------------------------------------------------
TOKEN_CREATE = f"""
mutation ($email: String!, $password: String!) {{
  tokenCreate(email: $email, password: $password) {{ token user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""
TOKEN_REFRESH = f"""
mutation ($refreshToken: String) {{
  tokenRefresh(refreshToken: $refreshToken) {{ token user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""
TOKEN_VERIFY = f"""
mutation ($token: String!) {{
  tokenVerify(token: $token) {{ isValid user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""


def test_token_create_reads_its_user_in_fixed_queries(anonymous_api, person, size, django_assert_num_queries):
    # the user (member profile and union joined), last_login, the permissions, the addresses;
    # and the mutation's savepoint and its release
    with django_assert_num_queries(6):
        payload = payload_of(anonymous_api, TOKEN_CREATE, {"email": EMAIL, "password": PASSWORD})

    assert_full_user(payload["user"], size)


def test_token_refresh_reads_its_user_in_fixed_queries(anonymous_api, person, size, django_assert_num_queries):
    refresh_token = tokens.create_refresh_token(person, csrf_token=tokens.new_csrf_token())

    # the user (member profile and union joined), last_login, the permissions, the addresses;
    # and the mutation's savepoint and its release
    with django_assert_num_queries(6):
        payload = payload_of(anonymous_api, TOKEN_REFRESH, {"refreshToken": refresh_token})

    assert_full_user(payload["user"], size, member_visible=False)


def test_token_verify_reads_its_user_in_fixed_queries(anonymous_api, person, size, django_assert_num_queries):
    token = tokens.create_access_token(person)

    # the user, the permissions, the addresses; and the mutation's savepoint and its release
    with django_assert_num_queries(5):
        payload = payload_of(anonymous_api, TOKEN_VERIFY, {"token": token})

    assert_full_user(payload["user"], size, member_visible=False)


# --- The signed-in user's account -----------------------------------------------------------------
ACCOUNT_UPDATE = f"""
mutation ($input: AccountInput!) {{
  accountUpdate(input: $input) {{ user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""
ADDRESS_CREATE = f"""
mutation ($input: AddressInput!) {{
  accountAddressCreate(input: $input) {{ address {{ id }} user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""
ADDRESS_UPDATE = f"""
mutation ($id: ID!, $input: AddressInput!) {{
  accountAddressUpdate(id: $id, input: $input) {{ address {{ id }} user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""
SET_DEFAULT = f"""
mutation ($id: ID!) {{
  accountSetDefaultAddress(id: $id, type: SHIPPING) {{ user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""
ADDRESS_DELETE = f"""
mutation ($id: ID!) {{
  accountAddressDelete(id: $id) {{ address {{ id }} user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""
PASSWORD_CHANGE = f"""
mutation ($old: String!, $new: String!) {{
  passwordChange(oldPassword: $old, newPassword: $new) {{ user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""


def test_account_update_reads_its_user_in_fixed_queries(person_api, size, django_assert_num_queries):
    # session, user (member profile and union joined), the update, the permissions, the addresses;
    # and two savepoints (the mutation's, the service's) with their releases
    with django_assert_num_queries(9):
        payload = payload_of(person_api, ACCOUNT_UPDATE, {"input": {"firstName": "小梅"}})

    assert payload["user"]["firstName"] == "小梅"
    assert_full_user(payload["user"], size)


def test_account_address_create_reads_its_user_in_fixed_queries(person_api, size, django_assert_num_queries):
    # session, user, the count against the limit, the address, its link, the defaults,
    # the permissions, the addresses; and two savepoints with their releases
    with django_assert_num_queries(12):
        payload = payload_of(person_api, ADDRESS_CREATE, {"input": NEW_ADDRESS})

    assert payload["user"]["addresses"][-1]["id"] == payload["address"]["id"]
    assert len(payload["user"]["addresses"]) == size.addresses + 1


def test_account_address_update_reads_its_user_in_fixed_queries(person_api, person, size, django_assert_num_queries):
    address_id = last_address_id(person)

    # session, user, the address by ID, the service's ownership check, the update,
    # the permissions, the addresses; and two savepoints with their releases
    with django_assert_num_queries(11):
        payload = payload_of(person_api, ADDRESS_UPDATE, {"id": address_id, "input": {"cityArea": "福田区"}})

    assert payload["user"]["addresses"][-1]["cityArea"] == "福田区"
    assert_full_user(payload["user"], size)


def test_account_set_default_address_reads_its_user_in_fixed_queries(
    person_api, person, size, django_assert_num_queries
):
    address_id = last_address_id(person)

    # session, user, the address by ID, the service's ownership check, the update,
    # the permissions, the addresses; and two savepoints with their releases
    with django_assert_num_queries(11):
        payload = payload_of(person_api, SET_DEFAULT, {"id": address_id})

    user = payload["user"]
    assert user["defaultShippingAddress"]["id"] == address_id
    assert [address["isDefaultShippingAddress"] for address in user["addresses"]] == [False] * (size.addresses - 1) + [
        True
    ]


def test_account_address_delete_reads_its_user_in_fixed_queries(person_api, person, size, django_assert_num_queries):
    address_id = last_address_id(person)

    # session, user, the address by ID, the ownership check, the defaults, Django's cascade (link, two
    # default columns, the shipping and billing columns of checkouts and of orders, the row), the
    # permissions, the addresses; two savepoints, releases
    with django_assert_num_queries(19):
        payload = payload_of(person_api, ADDRESS_DELETE, {"id": address_id})

    assert len(payload["user"]["addresses"]) == size.addresses - 1
    assert address_id not in [address["id"] for address in payload["user"]["addresses"]]


def test_password_change_reads_its_user_in_fixed_queries(person_api, size, django_assert_num_queries):
    variables = {"old": PASSWORD, "new": "a-new-pass-5678"}

    # session, user, the update, the permissions, the addresses; two savepoints, releases
    with django_assert_num_queries(9):
        payload = payload_of(person_api, PASSWORD_CHANGE, variables)

    assert_full_user(payload["user"], size)


# --- Links from e-mails -------------------------------------------------------------------------------
SET_PASSWORD = f"""
mutation ($email: String!, $token: String!, $password: String!) {{
  setPassword(email: $email, token: $token, password: $password) {{ user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""
CONFIRM_ACCOUNT = f"""
mutation ($email: String!, $token: String!) {{
  confirmAccount(email: $email, token: $token) {{ user {{ {USER_FIELDS} }} errors {{ field code }} }}
}}"""


def test_set_password_reads_its_user_in_fixed_queries(anonymous_api, person, size, django_assert_num_queries):
    variables = {"email": EMAIL, "token": default_token_generator.make_token(person), "password": "a-new-pass-5678"}

    # the user, the update, the permissions, the addresses; two savepoints, releases
    with django_assert_num_queries(8):
        payload = payload_of(anonymous_api, SET_PASSWORD, variables)

    assert_full_user(payload["user"], size, member_visible=False)


def test_confirm_account_reads_its_user_in_fixed_queries(anonymous_api, db, size, django_assert_num_queries):
    person = make_person(size)
    person.is_active = person.is_confirmed = False
    person.save(update_fields=["is_active", "is_confirmed"])
    variables = {"email": EMAIL, "token": account_confirmation_token_generator.make_token(person)}

    # the user, the update, the permissions, the addresses; two savepoints, releases
    with django_assert_num_queries(8):
        payload = payload_of(anonymous_api, CONFIRM_ACCOUNT, variables)

    assert_full_user(payload["user"], size, member_visible=False)


# --- What the payloads show, whoever asks --------------------------------------------------------------
def test_a_verified_tokens_user_shows_which_address_is_their_default(anonymous_api, person):
    # Nobody is signed in: the flag compares each address with its owner's defaults, not the requestor's.
    person.default_shipping_address = person.addresses.order_by("pk").last()
    person.save(update_fields=["default_shipping_address"])
    query = "mutation ($t: String!) { tokenVerify(token: $t) { user { addresses { isDefaultShippingAddress } } } }"

    user = anonymous_api.data(query, {"t": tokens.create_access_token(person)})["tokenVerify"]["user"]

    assert [address["isDefaultShippingAddress"] for address in user["addresses"]] == [False] * (
        len(user["addresses"]) - 1
    ) + [True]


def test_user_permissions_are_the_users_own_and_their_groups_without_duplicates(anonymous_api, person, size):
    query = "mutation ($t: String!) { tokenVerify(token: $t) { user { userPermissions { code name } } } }"

    user = anonymous_api.data(query, {"t": tokens.create_access_token(person)})["tokenVerify"]["user"]

    expected = [permission for permission in PermissionEnum if permission in size.permissions]
    assert user["userPermissions"] == [{"code": p.name, "name": p.value} for p in expected]
