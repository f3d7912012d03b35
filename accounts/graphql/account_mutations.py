"""Mutations a customer makes on their own account, with Saleor 3.21's names, arguments and payloads:
registration and confirmation, passwords, the profile and the address book. Each calls accounts.services."""

import graphene

from accounts import services, tokens
from accounts.graphql.errors import AccountError, AddressTypeEnum
from accounts.graphql.types import Address, CountryCode, User
from catalog import selectors as catalog_selectors
from mall.errors import DomainError, PermissionDenied
from mall.graphql.mutations import BaseMutation
from mall.graphql.types import enum_name
from mall.permissions import PermissionEnum, require_authenticated

# AddressInput's fields → the Address model's.
ADDRESS_INPUT_FIELDS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "company_name": "company_name",
    "street_address1": "street_address_1",
    "street_address2": "street_address_2",
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
    "country_area": "country_area",
    "phone": "phone",
}


class LanguageCodeEnum(graphene.Enum):
    """The languages the mall speaks, named as in Saleor's LanguageCodeEnum."""

    EN = "en"
    EN_US = "en-us"
    ZH_HANS = "zh-hans"
    ZH_HANS_CN = "zh-hans-cn"


class MetadataInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(required=True, description="Value of a metadata item.")


class AddressInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    company_name = graphene.String(description="Company or organization.")
    street_address1 = graphene.String(description="Address.")
    street_address2 = graphene.String(description="Address.")
    city = graphene.String(description="City.")
    city_area = graphene.String(description="District.")
    postal_code = graphene.String(description="Postal code.")
    country = CountryCode(description="Country.")
    country_area = graphene.String(description="State or province.")
    phone = graphene.String(description="Phone number.")
    metadata = graphene.List(graphene.NonNull(MetadataInput), description="Address public metadata.")
    skip_validation = graphene.Boolean(
        default_value=False,
        description="Determine if the address should be validated. Union Mall validates every address against "
        "the official list of provinces, cities and districts, so this is ignored.",
    )


class AccountRegisterInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    language_code = LanguageCodeEnum(description="User language code.")
    email = graphene.String(required=True, description="The email address of the user.")
    password = graphene.String(required=True, description="Password.")
    redirect_url = graphene.String(description="Base of frontend URL that will be needed to create confirmation URL.")
    metadata = graphene.List(graphene.NonNull(MetadataInput), description="User public metadata.")
    channel = graphene.String(
        description="Slug of a channel which will be used to notify users. Optional when only one channel exists."
    )
    phone = graphene.String(description="Union Mall extension: a mainland mobile number to sign in with.")


class AccountInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    language_code = LanguageCodeEnum(description="User language code.")
    default_billing_address = AddressInput(description="Billing address of the customer.")
    default_shipping_address = AddressInput(description="Shipping address of the customer.")
    metadata = graphene.List(
        graphene.NonNull(MetadataInput), description="Fields required to update the user metadata."
    )
    phone = graphene.String(
        description="Union Mall extension: a mainland mobile number to sign in with; an empty string removes it."
    )


def address_data(address_input) -> dict | None:
    """AddressInput as Address model fields; absent fields are left out (None)."""
    if address_input is None:
        return None
    data = {model: address_input.get(name) for name, model in ADDRESS_INPUT_FIELDS.items()}
    if address_input.get("country") is not None:
        data["country"] = enum_name(address_input["country"])
    return data


def address_type_value(value) -> str | None:
    name = enum_name(value)
    return name.lower() if name else None


def check_channel(slug: str | None) -> None:
    if slug and catalog_selectors.channel_by_slug(slug) is None:
        raise DomainError(f"找不到渠道 {slug}。", field="channel", code="NOT_FOUND")


def refuse_impersonation(customer_id) -> None:
    """`customerId` is for apps impersonating a customer (Saleor); the mall has no apps yet."""
    if customer_id:
        raise PermissionDenied([PermissionEnum.IMPERSONATE_USER])


class AccountErrorsMixin:
    account_errors = graphene.NonNull(
        graphene.List(graphene.NonNull(AccountError)),
        deprecation_reason="Use `errors` field instead.",
    )

    @staticmethod
    def resolve_account_errors(root, _info):
        return root.errors or []


class AccountRegister(AccountErrorsMixin, BaseMutation):
    user = graphene.Field(User, deprecation_reason="This field will be removed in Saleor 4.0.")
    requires_confirmation = graphene.Boolean(description="Informs whether users need to confirm their email address.")

    class Arguments:
        input = AccountRegisterInput(required=True, description="Fields required to create a user.")

    class Meta:
        description = "Register a new user."
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, _info, input):
        check_channel(input.get("channel"))
        registration = services.register(
            email=input["email"],
            password=input["password"],
            first_name=input.get("first_name") or "",
            last_name=input.get("last_name") or "",
            phone=input.get("phone") or "",
            redirect_url=input.get("redirect_url"),
        )
        return cls(user=registration.user, requires_confirmation=registration.requires_confirmation)


class ConfirmAccount(AccountErrorsMixin, BaseMutation):
    user = graphene.Field(User, description="An activated user account.")

    class Arguments:
        email = graphene.String(required=True, description="E-mail of the user performing account confirmation.")
        token = graphene.String(required=True, description="A one-time token required to confirm the account.")

    class Meta:
        description = "Confirm user account with token sent by email during registration."
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, _info, email, token):
        return cls(user=services.confirm_account(email=email, token=token))


class RequestPasswordReset(AccountErrorsMixin, BaseMutation):
    class Arguments:
        email = graphene.String(required=True, description="Email of the user that will be used for password recovery.")
        redirect_url = graphene.String(
            required=True,
            description="URL of a view where users should be redirected to reset the password. URL in RFC 1808 format.",
        )
        channel = graphene.String(
            description="Slug of a channel which will be used for notify user. Optional when only one channel exists."
        )

    class Meta:
        description = (
            "Sends an email with the account password modification link. The answer is the same whether or not "
            "an account has this e-mail address."
        )
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, _info, email, redirect_url, channel=None):
        check_channel(channel)
        services.request_password_reset(email=email, redirect_url=redirect_url)
        return cls()


class SetPassword(AccountErrorsMixin, BaseMutation):
    token = graphene.String(description="JWT token, required to authenticate.")
    refresh_token = graphene.String(description="JWT refresh token, required to re-generate access token.")
    csrf_token = graphene.String(description="CSRF token required to re-generate access token.")
    user = graphene.Field(User, description="A user instance.")

    class Arguments:
        token = graphene.String(required=True, description="A one-time token required to set the password.")
        email = graphene.String(required=True, description="Email of a user.")
        password = graphene.String(required=True, description="Password of a user.")

    class Meta:
        description = "Sets the user's password from the token sent by email using the RequestPasswordReset mutation."
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, _info, token, email, password):
        user = services.set_password(email=email, token=token, password=password)
        csrf_token = tokens.new_csrf_token()
        return cls(
            user=user,
            token=tokens.create_access_token(user),
            refresh_token=tokens.create_refresh_token(user, csrf_token=csrf_token),
            csrf_token=csrf_token,
        )


class PasswordChange(AccountErrorsMixin, BaseMutation):
    user = graphene.Field(User, description="A user instance with a new password.")

    class Arguments:
        new_password = graphene.String(required=True, description="New user password.")
        old_password = graphene.String(description="Current user password.")

    class Meta:
        description = "Change the password of the logged in user."
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, info, new_password, old_password=None):
        user = services.change_password(user=info.context.user, old_password=old_password, new_password=new_password)
        return cls(user=user)


class AccountUpdate(AccountErrorsMixin, BaseMutation):
    user = graphene.Field(User)

    class Arguments:
        input = AccountInput(required=True, description="Fields required to update the account of the logged-in user.")
        customer_id = graphene.ID(description="ID of customer the application is impersonating.")

    class Meta:
        description = "Updates the account of the logged-in user."
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, info, input, customer_id=None):
        refuse_impersonation(customer_id)
        user = services.update_account(
            user=info.context.user,
            first_name=input.get("first_name"),
            last_name=input.get("last_name"),
            phone=input.get("phone"),
            default_shipping_address=address_data(input.get("default_shipping_address")),
            default_billing_address=address_data(input.get("default_billing_address")),
        )
        return cls(user=user)


class AccountAddressCreate(AccountErrorsMixin, BaseMutation):
    user = graphene.Field(User, description="A user instance for which the address was created.")
    address = graphene.Field(Address)

    class Arguments:
        input = AddressInput(required=True, description="Fields required to create address.")
        type = AddressTypeEnum(
            description="A type of address. If provided, the new address will be automatically assigned as the "
            "customer's default address of that type."
        )
        customer_id = graphene.ID(description="ID of customer the application is impersonating.")

    class Meta:
        description = "Create a new address for the customer."
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, info, input, type=None, customer_id=None):
        refuse_impersonation(customer_id)
        user = info.context.user
        address = services.create_address(user=user, data=address_data(input), address_type=address_type_value(type))
        return cls(user=user, address=address)


def own_address(cls, info, address_id: str):
    """One of the requestor's addresses by global ID; anybody else's is NOT_FOUND, as one that never was."""
    user = info.context.user
    require_authenticated(user)
    return cls.get_instance(user.addresses.all(), address_id, type_name="Address")


class AccountAddressUpdate(AccountErrorsMixin, BaseMutation):
    user = graphene.Field(User, description="A user object for which the address was edited.")
    address = graphene.Field(Address)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to update.")
        input = AddressInput(required=True, description="Fields required to update the address.")

    class Meta:
        description = "Updates an address of the logged-in user."
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        address = own_address(cls, info, id)
        address = services.update_address(user=info.context.user, address=address, data=address_data(input))
        return cls(user=info.context.user, address=address)


class AccountAddressDelete(AccountErrorsMixin, BaseMutation):
    user = graphene.Field(User, description="A user instance for which the address was deleted.")
    address = graphene.Field(Address)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to delete.")

    class Meta:
        description = "Delete an address of the logged-in user."
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, info, id):
        address = own_address(cls, info, id)
        address_id = address.pk
        services.delete_address(user=info.context.user, address=address)
        address.pk = address_id  # the payload still names the address that was deleted, as Saleor's does
        return cls(user=info.context.user, address=address)


class AccountSetDefaultAddress(AccountErrorsMixin, BaseMutation):
    user = graphene.Field(User, description="An updated user instance.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to set as default.")
        type = AddressTypeEnum(required=True, description="The type of address.")

    class Meta:
        description = "Sets a default address for the authenticated user."
        error_type_class = AccountError

    @classmethod
    def perform_mutation(cls, _root, info, id, type):
        address = own_address(cls, info, id)
        user = services.set_default_address(
            user=info.context.user, address=address, address_type=address_type_value(type)
        )
        return cls(user=user)


class AccountManagementMutations(graphene.ObjectType):
    account_register = AccountRegister.Field()
    confirm_account = ConfirmAccount.Field()
    request_password_reset = RequestPasswordReset.Field()
    set_password = SetPassword.Field()
    password_change = PasswordChange.Field()
    account_update = AccountUpdate.Field()
    account_address_create = AccountAddressCreate.Field()
    account_address_update = AccountAddressUpdate.Field()
    account_address_delete = AccountAddressDelete.Field()
    account_set_default_address = AccountSetDefaultAddress.Field()
