"""Account types of the API in Saleor's shapes: User, Address, permissions."""

import graphene
from graphene import relay

from mall.graphql.types import CountryDisplay, country_display
from mall.permissions import PermissionEnum as PermissionValues
from mall.permissions import user_permissions
from members.selectors import member_visible_to

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
        user = info.context.user
        return bool(user.is_authenticated and user.default_shipping_address_id == root.pk)

    @staticmethod
    def resolve_is_default_billing_address(root, info):
        user = info.context.user
        return bool(user.is_authenticated and user.default_billing_address_id == root.pk)


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

    class Meta:
        interfaces = (relay.Node,)
        description = "Represents user data."

    @staticmethod
    def resolve_language_code(_root, _info):
        return "ZH_HANS"

    @staticmethod
    def resolve_addresses(root, _info):
        return list(root.addresses.all())

    @staticmethod
    def resolve_member(root, info):
        return member_visible_to(info.context.user, root)

    @staticmethod
    def resolve_user_permissions(root, _info):
        return [{"code": permission.name, "name": permission.value} for permission in user_permissions(root)]
