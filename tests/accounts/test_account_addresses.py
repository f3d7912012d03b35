"""The address book over GraphQL: Chinese addresses checked against the official list, defaults,
other people's addresses out of reach, addressValidationRules, and `me { addresses }` at a fixed cost."""

import pytest
from django.test import Client
from graphql_relay import to_global_id

from accounts import services
from accounts.models import Address
from tests.accounts.graphql_clients import CommittingGraphQLClient

PASSWORD = "union-mall-demo"
SHENZHEN = {
    "firstName": "小红",
    "lastName": "李",
    "phone": "13900139000",
    "countryArea": "广东省",
    "city": "深圳市",
    "cityArea": "南山区",
    "streetAddress1": "科技园南区 1 栋 101",
    "postalCode": "518057",
}
SHENZHEN_DATA = {
    "first_name": "小红",
    "last_name": "李",
    "phone": "13900139000",
    "country_area": "广东省",
    "city": "深圳市",
    "city_area": "南山区",
    "street_address_1": "科技园南区 1 栋 101",
    "postal_code": "518057",
}
ADDRESS_FIELDS = """
  id firstName lastName phone country { code country } countryArea city cityArea streetAddress1 postalCode
  isDefaultShippingAddress isDefaultBillingAddress
"""
CREATE = f"""
mutation Create($input: AddressInput!, $type: AddressTypeEnum) {{
  accountAddressCreate(input: $input, type: $type) {{
    address {{ {ADDRESS_FIELDS} }}
    user {{ defaultShippingAddress {{ city }} defaultBillingAddress {{ city }} }}
    errors {{ field code message }}
  }}
}}
"""
UPDATE = """
mutation Update($id: ID!, $input: AddressInput!) {
  accountAddressUpdate(id: $id, input: $input) { address { city cityArea postalCode phone } errors { field code } }
}
"""
DELETE = """
mutation Delete($id: ID!) {
  accountAddressDelete(id: $id) {
    address { id } user { addresses { id } defaultShippingAddress { id } } errors { field code }
  }
}
"""
SET_DEFAULT = """
mutation SetDefault($id: ID!, $type: AddressTypeEnum!) {
  accountSetDefaultAddress(id: $id, type: $type) {
    user { defaultShippingAddress { city } defaultBillingAddress { city } } errors { field code }
  }
}
"""
ME_ADDRESSES = """
{
  me { addresses { id city isDefaultShippingAddress } defaultShippingAddress { id city } defaultBillingAddress { id } }
}
"""


@pytest.fixture
def api(client, db, django_capture_on_commit_callbacks):
    return CommittingGraphQLClient(client, django_capture_on_commit_callbacks)


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member@example.com", PASSWORD)


@pytest.fixture
def member_api(member, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(member)
    return CommittingGraphQLClient(client, django_capture_on_commit_callbacks)


def address_id(address) -> str:
    return to_global_id("Address", address.pk)


def first_error(payload) -> tuple[str, str]:
    return payload["errors"][0]["field"], payload["errors"][0]["code"]


# --- accountAddressCreate --------------------------------------------------------------------------
def test_a_good_chinese_address_is_stored_normalised(member_api, member):
    given = {**SHENZHEN, "countryArea": "Guangdong Sheng", "city": "shenzhen shi", "cityArea": "Nanshan Qu"}

    payload = member_api.data(CREATE, {"input": given})["accountAddressCreate"]

    assert payload["errors"] == []
    address = payload["address"]
    assert {key: address[key] for key in ("countryArea", "city", "cityArea", "phone", "postalCode")} == {
        "countryArea": "广东省",
        "city": "深圳市",
        "cityArea": "南山区",
        "phone": "+8613900139000",
        "postalCode": "518057",
    }
    assert address["country"] == {"code": "CN", "country": "中国"}
    # The first address becomes the default for shipping and billing.
    assert (address["isDefaultShippingAddress"], address["isDefaultBillingAddress"]) == (True, True)
    assert payload["user"] == {
        "defaultShippingAddress": {"city": "深圳市"},
        "defaultBillingAddress": {"city": "深圳市"},
    }
    assert member.addresses.get().phone == "+8613900139000"


def test_a_municipality_needs_no_district_below_its_districts(member_api):
    beijing = {
        **SHENZHEN,
        "countryArea": "北京市",
        "city": "朝阳区",
        "cityArea": "",
        "postalCode": "100020",
    }

    payload = member_api.data(CREATE, {"input": beijing})["accountAddressCreate"]

    assert payload["errors"] == []
    assert (payload["address"]["countryArea"], payload["address"]["city"]) == ("北京市", "朝阳区")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"countryArea": "火星省"}, ("countryArea", "INVALID")),
        ({"countryArea": ""}, ("countryArea", "REQUIRED")),
        ({"city": "成都市"}, ("city", "INVALID")),
        ({"cityArea": "朝阳区"}, ("cityArea", "INVALID")),
        ({"cityArea": ""}, ("cityArea", "REQUIRED")),
        ({"phone": "12345"}, ("phone", "INVALID")),
        ({"phone": "+85291234567"}, ("phone", "INVALID")),
        ({"phone": ""}, ("phone", "REQUIRED")),
        ({"postalCode": "51805"}, ("postalCode", "INVALID")),
        ({"postalCode": "ABCDEF"}, ("postalCode", "INVALID")),
        ({"streetAddress1": "  "}, ("streetAddress1", "REQUIRED")),
        ({"firstName": "", "lastName": ""}, ("firstName", "REQUIRED")),
        ({"country": "US"}, ("country", "INVALID")),
    ],
)
def test_a_bad_address_is_refused_with_a_field_error_and_nothing_is_stored(member_api, member, change, error):
    payload = member_api.data(CREATE, {"input": {**SHENZHEN, **change}})["accountAddressCreate"]

    assert first_error(payload) == error
    assert payload["errors"][0]["message"]  # a sentence for the member, in Chinese
    assert payload["address"] is None
    assert Address.objects.count() == 0
    member.refresh_from_db()
    assert member.default_shipping_address_id is None


def test_address_errors_are_in_chinese(member_api):
    payload = member_api.data(CREATE, {"input": {**SHENZHEN, "cityArea": "朝阳区"}})["accountAddressCreate"]

    assert payload["errors"][0]["message"] == "区县不属于所选城市，请从列表中选择。"


def test_the_address_book_holds_at_most_the_configured_number(member_api, member, settings):
    settings.MAX_ADDRESSES_PER_USER = 2
    for _ in range(2):
        services.create_address(user=member, data=SHENZHEN_DATA)

    payload = member_api.data(CREATE, {"input": SHENZHEN})["accountAddressCreate"]

    assert first_error(payload) == (None, "INVALID")
    assert member.addresses.count() == 2


def test_a_new_address_of_a_type_becomes_that_default(member_api, member):
    services.create_address(user=member, data=SHENZHEN_DATA)
    guangzhou = {**SHENZHEN, "city": "广州市", "cityArea": "天河区", "postalCode": "510630"}

    payload = member_api.data(CREATE, {"input": guangzhou, "type": "BILLING"})["accountAddressCreate"]

    assert payload["user"] == {
        "defaultShippingAddress": {"city": "深圳市"},
        "defaultBillingAddress": {"city": "广州市"},
    }


def test_anonymous_clients_cannot_create_addresses(api):
    status, body = api.post(CREATE, {"input": SHENZHEN})

    assert body["errors"][0]["message"] == "You need to be authenticated to perform this action"
    assert Address.objects.count() == 0


# --- accountAddressUpdate / Delete / SetDefault ------------------------------------------------------
def test_updating_an_address_changes_only_the_given_fields(member_api, member):
    address = services.create_address(user=member, data=SHENZHEN_DATA)

    payload = member_api.data(
        UPDATE, {"id": address_id(address), "input": {"cityArea": "福田区", "postalCode": "518000"}}
    )

    assert payload["accountAddressUpdate"] == {
        "address": {"city": "深圳市", "cityArea": "福田区", "postalCode": "518000", "phone": "+8613900139000"},
        "errors": [],
    }


def test_a_bad_update_leaves_the_address_as_it_was(member_api, member):
    address = services.create_address(user=member, data=SHENZHEN_DATA)

    payload = member_api.data(UPDATE, {"id": address_id(address), "input": {"city": "杭州市", "postalCode": "310000"}})

    assert first_error(payload["accountAddressUpdate"]) == ("city", "INVALID")
    address.refresh_from_db()
    assert (address.city, address.postal_code) == ("深圳市", "518057")


def test_someone_elses_address_cannot_be_changed_deleted_or_made_default(member_api, django_user_model):
    other = django_user_model.objects.create_user("other@example.com", PASSWORD)
    theirs = services.create_address(user=other, data=SHENZHEN_DATA)
    variables = {"id": address_id(theirs)}

    updated = member_api.data(UPDATE, {**variables, "input": {"cityArea": "福田区"}})["accountAddressUpdate"]
    deleted = member_api.data(DELETE, variables)["accountAddressDelete"]
    made_default = member_api.data(SET_DEFAULT, {**variables, "type": "SHIPPING"})["accountSetDefaultAddress"]

    assert first_error(updated) == first_error(deleted) == first_error(made_default) == ("id", "NOT_FOUND")
    theirs.refresh_from_db()
    assert theirs.city_area == "南山区"


def test_deleting_the_default_address_clears_the_default(member_api, member):
    address = services.create_address(user=member, data=SHENZHEN_DATA)

    payload = member_api.data(DELETE, {"id": address_id(address)})["accountAddressDelete"]

    assert payload == {
        "address": {"id": address_id(address)},
        "user": {"addresses": [], "defaultShippingAddress": None},
        "errors": [],
    }
    member.refresh_from_db()
    assert member.default_shipping_address_id is None
    assert Address.objects.count() == 0


def test_setting_the_default_shipping_address_leaves_billing_alone(member_api, member):
    services.create_address(user=member, data=SHENZHEN_DATA)
    second = services.create_address(
        user=member, data={**SHENZHEN_DATA, "city": "广州市", "city_area": "天河区", "postal_code": "510630"}
    )

    payload = member_api.data(SET_DEFAULT, {"id": address_id(second), "type": "SHIPPING"})

    assert payload["accountSetDefaultAddress"] == {
        "user": {"defaultShippingAddress": {"city": "广州市"}, "defaultBillingAddress": {"city": "深圳市"}},
        "errors": [],
    }


def test_a_malformed_address_id_is_a_field_error(member_api):
    payload = member_api.data(DELETE, {"id": "bm90LWFuLWlk"})["accountAddressDelete"]

    assert first_error(payload) == ("id", "GRAPHQL_ERROR")


# --- me { addresses } -----------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 12])
def test_me_with_addresses_and_defaults_runs_the_same_queries_for_any_number(
    member_api, member, count, django_assert_num_queries
):
    for index in range(count):
        services.create_address(user=member, data={**SHENZHEN_DATA, "street_address_1": f"科技园 {index} 号"})

    # session, user, and the addresses once (the defaults are picked from them)
    with django_assert_num_queries(3):
        data = member_api.data(ME_ADDRESSES)

    me = data["me"]
    assert len(me["addresses"]) == count
    assert me["defaultShippingAddress"]["id"] == me["addresses"][0]["id"]
    assert [address["isDefaultShippingAddress"] for address in me["addresses"]] == [True] + [False] * (count - 1)


# --- addressValidationRules -------------------------------------------------------------------------
RULES = """
query Rules($countryArea: String, $city: String) {
  addressValidationRules(countryCode: CN, countryArea: $countryArea, city: $city) {
    countryCode countryName addressFormat addressLatinFormat allowedFields requiredFields upperFields
    countryAreaType countryAreaChoices { raw verbose } cityType cityChoices { raw verbose }
    cityAreaType cityAreaChoices { raw verbose }
    postalCodeType postalCodeMatchers postalCodeExamples postalCodePrefix
  }
}
"""


def test_address_validation_rules_for_china_list_the_provinces(api):
    rules = api.data(RULES)["addressValidationRules"]

    assert rules["countryCode"] == "CN"
    assert rules["countryName"] == "CHINA"
    assert rules["countryAreaType"] == "province"
    assert (rules["cityType"], rules["cityAreaType"], rules["postalCodeType"]) == ("city", "district", "postal")
    assert rules["requiredFields"] == ["city", "country_area", "postal_code", "street_address"]
    assert rules["postalCodeMatchers"] == ["^\\d{6}$"]
    assert {"raw": "广东省", "verbose": "Guangdong Sheng"} in rules["countryAreaChoices"]
    assert {"raw": "广东省", "verbose": "广东省"} in rules["countryAreaChoices"]
    assert rules["cityChoices"] == [] and rules["cityAreaChoices"] == []


def test_address_validation_rules_narrow_to_a_province_and_city(api):
    rules = api.data(RULES, {"countryArea": "广东省", "city": "Shenzhen Shi"})["addressValidationRules"]

    assert {"raw": "深圳市", "verbose": "深圳市"} in rules["cityChoices"]
    assert {"raw": "南山区", "verbose": "Nanshan Qu"} in rules["cityAreaChoices"]
    assert {"raw": "朝阳区", "verbose": "朝阳区"} not in rules["cityAreaChoices"]
