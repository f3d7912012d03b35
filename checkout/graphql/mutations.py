"""Saleor 3.21's checkout mutations (all but checkoutComplete), plus Union Mall's
checkoutAllowanceApply / checkoutAllowanceRemove in the same style.

Each mutation decodes its IDs, reaches the checkout only if the requestor may (a guest's cart by
its token, a member's cart by the member or by staff), calls one checkout service and returns
the checkout re-read for the payload. Refusals come back as `errors { field message code }`.
"""

import uuid

import graphene
from django.contrib.auth import get_user_model
from graphql import GraphQLError
from graphql_relay import from_global_id

from accounts.graphql.account_mutations import AddressInput, LanguageCodeEnum
from catalog.models import Channel
from catalog.selectors import channel_by_slug
from checkout import services
from checkout.errors import CheckoutInvalid, CheckoutNotFound, DeliveryMethodNotApplicable
from checkout.graphql.dataloaders import register_checkouts
from checkout.graphql.errors import CheckoutError
from checkout.graphql.types import Checkout
from checkout.models import CheckoutLine
from checkout.selectors import can_access, checkout_rows
from mall.errors import DomainError
from mall.graphql.ids import from_global_id_or_error
from mall.graphql.mutations import BaseMutation
from mall.graphql.types import enum_name


# --- IDs --------------------------------------------------------------------------------------
def _graphql_error(global_id, field: str, expected: str) -> DomainError:
    return DomainError(
        f"Couldn't resolve id: {global_id}. Must receive a {expected} id.", field=field, code="GRAPHQL_ERROR"
    )


def uuid_from_global_id(global_id: str, type_name: str, *, field: str) -> uuid.UUID:
    """The UUID inside a global ID of a checkout ("Checkout:<token>") or a checkout line."""
    try:
        found_type, raw = from_global_id(global_id or "")
        if found_type != type_name:
            raise ValueError(found_type)
        return uuid.UUID(raw)
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise _graphql_error(global_id, field, type_name) from error


def pk_from_global_id(global_id: str, type_name: str, *, field: str) -> int:
    try:
        return from_global_id_or_error(global_id, type_name)
    except GraphQLError as error:
        raise _graphql_error(global_id, field, type_name) from error


def checkout_of(info, global_id: str):
    """The checkout a mutation names, if the requestor may change it; NOT_FOUND otherwise, so that a
    token does not tell whether somebody else's cart exists."""
    token = uuid_from_global_id(global_id, "Checkout", field="id")
    checkout = checkout_rows().filter(pk=token).first()
    if checkout is None or not can_access(checkout, info.context.user):
        raise CheckoutNotFound(f"Couldn't resolve to a node: {global_id}", field="id")
    return checkout


def reloaded(info, checkout):
    """The checkout as the payload shows it: re-read with its relations after the change."""
    fresh = checkout_rows().filter(pk=checkout.pk).first()
    register_checkouts(info.context, [fresh])
    return fresh


def address_data(address_input) -> dict:
    data = {key: value for key, value in dict(address_input).items() if value is not None}
    if "country" in data:
        data["country"] = enum_name(data["country"])
    return data


# --- Inputs -----------------------------------------------------------------------------------
class CheckoutLineInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True, description="The number of items purchased.")
    variant_id = graphene.ID(required=True, description="ID of the product variant.")


class CheckoutLineUpdateInput(graphene.InputObjectType):
    variant_id = graphene.ID(description="ID of the product variant.", deprecation_reason="Use `lineId` instead.")
    quantity = graphene.Int(
        description="The number of items purchased. Optional for apps, required for any other users. "
        "0 removes the line."
    )
    line_id = graphene.ID(description="ID of the line.")


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String(description="Slug of a channel in which to create a checkout.")
    lines = graphene.List(
        graphene.NonNull(CheckoutLineInput),
        required=True,
        description="A list of checkout lines, each containing information about an item in the checkout.",
    )
    email = graphene.String(description="The customer's email address.")
    shipping_address = AddressInput(description="The mailing address to where the checkout will be shipped.")
    billing_address = AddressInput(description="Billing address of the customer.")
    language_code = LanguageCodeEnum(description="Checkout language code.")


def variant_lines(lines) -> list[tuple[int, int]]:
    return [
        (pk_from_global_id(line["variant_id"], "ProductVariant", field="variant_id"), line["quantity"])
        for line in lines or []
    ]


# --- Base -------------------------------------------------------------------------------------
class CheckoutErrorsMixin:
    checkout_errors = graphene.NonNull(
        graphene.List(graphene.NonNull(CheckoutError)),
        deprecation_reason="This field will be removed in Saleor 4.0. Use `errors` field instead.",
    )

    @staticmethod
    def resolve_checkout_errors(root, _info):
        return root.errors or []


class CheckoutMutation(CheckoutErrorsMixin, BaseMutation):
    checkout = graphene.Field(Checkout, description="An updated checkout.")

    class Meta:
        abstract = True

    @classmethod
    def payload(cls, info, checkout):
        return cls(checkout=reloaded(info, checkout))


def checkout_id_argument():
    return graphene.ID(description="The checkout's ID.", required=True)


# --- Mutations --------------------------------------------------------------------------------
class CheckoutCreate(CheckoutMutation):
    created = graphene.Boolean(
        description="Whether the checkout was created or the current active one was returned.",
        deprecation_reason="Always returns `true`.",
    )

    class Arguments:
        input = CheckoutCreateInput(required=True, description="Fields required to create checkout.")

    class Meta:
        description = (
            "Create a new checkout. A signed-in customer becomes its owner and pays their prices "
            "(member prices for a verified member)."
        )
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, input):
        slug = input.get("channel")
        channel = Channel.objects.filter(slug=slug).first() if slug else channel_by_slug(None)
        if channel is None:
            raise CheckoutNotFound(f"找不到渠道 {slug}。" if slug else "没有默认渠道。", field="channel")
        lines = [(variant_id, quantity) for variant_id, quantity in variant_lines(input.get("lines"))]
        checkout = services.create_checkout(
            channel=channel,
            user=info.context.user,
            lines=lines,
            email=input.get("email"),
            shipping_address=address_data(input["shipping_address"]) if input.get("shipping_address") else None,
            billing_address=address_data(input["billing_address"]) if input.get("billing_address") else None,
        )
        return cls(checkout=reloaded(info, checkout), created=True)


class CheckoutLinesAdd(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        lines = graphene.List(
            graphene.NonNull(CheckoutLineInput),
            required=True,
            description="A list of checkout lines, each containing information about an item in the checkout.",
        )

    class Meta:
        description = (
            "Adds a checkout line to the existing checkout. "
            "If line was already in checkout, its quantity will be increased."
        )
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, lines):
        checkout = checkout_of(info, id)
        services.add_lines(checkout, variant_lines(lines), requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutLinesUpdate(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        lines = graphene.List(
            graphene.NonNull(CheckoutLineUpdateInput),
            required=True,
            description="A list of checkout lines, each containing information about an item in the checkout.",
        )

    class Meta:
        description = "Updates checkout line in the existing checkout."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, lines):
        checkout = checkout_of(info, id)
        changes = []
        for line in lines:
            if line.get("quantity") is None:
                raise DomainError("请填写数量。", field="quantity", code="REQUIRED")
            changes.append((cls.target(line), line["quantity"]))
        services.update_lines(checkout, changes, requestor=info.context.user)
        return cls.payload(info, checkout)

    @staticmethod
    def target(line):
        if line.get("line_id"):
            line_id = uuid_from_global_id(line["line_id"], "CheckoutLine", field="line_id")
            found = CheckoutLine.objects.filter(pk=line_id).first()
            if found is None:
                raise CheckoutNotFound(f"Couldn't resolve to a node: {line['line_id']}", field="line_id")
            return found
        if line.get("variant_id"):
            return pk_from_global_id(line["variant_id"], "ProductVariant", field="variant_id")
        raise DomainError("请指定 lineId 或 variantId。", field="line_id", code="REQUIRED")


class CheckoutLinesDelete(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        lines_ids = graphene.List(graphene.NonNull(graphene.ID), required=True, description="A list of checkout lines.")

    class Meta:
        description = "Deletes checkout lines."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, lines_ids):
        checkout = checkout_of(info, id)
        line_ids = [uuid_from_global_id(line_id, "CheckoutLine", field="line_id") for line_id in lines_ids]
        services.delete_lines(checkout, line_ids, requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutLineDelete(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        line_id = graphene.ID(description="ID of the checkout line to delete.")

    class Meta:
        description = "Deletes a CheckoutLine.\n\nDEPRECATED: Use `checkoutLinesDelete` instead."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, line_id=None):
        checkout = checkout_of(info, id)
        if not line_id:
            raise DomainError("请指定要删除的商品。", field="line_id", code="REQUIRED")
        line = uuid_from_global_id(line_id, "CheckoutLine", field="line_id")
        services.delete_lines(checkout, [line], requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutEmailUpdate(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        email = graphene.String(required=True, description="email.")

    class Meta:
        description = "Updates email address in the existing checkout object."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, email):
        checkout = checkout_of(info, id)
        services.set_email(checkout, email, requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutShippingAddressUpdate(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        shipping_address = AddressInput(
            required=True, description="The mailing address to where the checkout will be shipped."
        )

    class Meta:
        description = (
            "Update shipping address in the existing checkout. A shipping method that does not deliver to the new "
            "address is removed."
        )
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, shipping_address):
        checkout = checkout_of(info, id)
        services.set_shipping_address(checkout, address_data(shipping_address), requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutBillingAddressUpdate(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        billing_address = AddressInput(required=True, description="The billing address of the checkout.")

    class Meta:
        description = "Update billing address in the existing checkout."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, billing_address):
        checkout = checkout_of(info, id)
        services.set_billing_address(checkout, address_data(billing_address), requestor=info.context.user)
        return cls.payload(info, checkout)


def shipping_method_pk(global_id: str, *, field: str) -> int:
    type_name, _ = from_global_id(global_id or "")
    if type_name == "Warehouse":
        raise CheckoutInvalid("暂不支持到店自提，请选择配送方式。", field=field)
    return pk_from_global_id(global_id, "ShippingMethod", field=field)


class CheckoutDeliveryMethodUpdate(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        delivery_method_id = graphene.ID(
            description="Delivery Method ID (`Warehouse` ID or `ShippingMethod` ID); null removes the choice. "
            "The mall only ships, so only ShippingMethod IDs are accepted."
        )

    class Meta:
        description = "Updates the delivery method (shipping method or pick up point) of the checkout."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, delivery_method_id=None):
        checkout = checkout_of(info, id)
        method_id = shipping_method_pk(delivery_method_id, field="delivery_method_id") if delivery_method_id else None
        services.set_delivery_method(checkout, method_id, requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutShippingMethodUpdate(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        shipping_method_id = graphene.ID(required=True, description="Shipping method.")

    class Meta:
        description = "Updates the shipping method of the checkout.\n\nDEPRECATED: Use `checkoutDeliveryMethodUpdate`."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, shipping_method_id):
        checkout = checkout_of(info, id)
        method_id = shipping_method_pk(shipping_method_id, field="shipping_method_id")
        try:
            services.set_delivery_method(checkout, method_id, requestor=info.context.user)
        except DomainError as error:
            # Saleor's older mutation names its own argument and code.
            if error.field == "delivery_method_id":
                error.field = "shipping_method_id"
            if isinstance(error, DeliveryMethodNotApplicable):
                error.code = "SHIPPING_METHOD_NOT_APPLICABLE"
            raise
        return cls.payload(info, checkout)


class CheckoutAddPromoCode(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        promo_code = graphene.String(description="Gift card code or voucher code.", required=True)

    class Meta:
        description = "Adds a gift card or a voucher to a checkout."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, promo_code):
        checkout = checkout_of(info, id)
        services.add_promo_code(checkout, promo_code, requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutRemovePromoCode(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        promo_code = graphene.String(description="Gift card code or voucher code.")
        promo_code_id = graphene.ID(description="Gift card or voucher ID.")

    class Meta:
        description = "Remove a gift card or a voucher from a checkout."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, promo_code=None, promo_code_id=None):
        if (promo_code is None) == (promo_code_id is None):
            raise DomainError("请指定 promoCode 或 promoCodeId 之一。", field="promo_code", code="REQUIRED")
        checkout = checkout_of(info, id)
        voucher_id = pk_from_global_id(promo_code_id, "Voucher", field="promo_code_id") if promo_code_id else None
        services.remove_promo_code(checkout, promo_code, voucher_id=voucher_id, requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutCustomerAttach(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        customer_id = graphene.ID(
            description="ID of customer to attach to checkout. Requires IMPERSONATE_USER permission when "
            "customerId is different than the logged-in user."
        )

    class Meta:
        description = (
            "Sets the customer as the owner of the checkout; prices are worked out for them from then on. "
            "Requires an authenticated user, or IMPERSONATE_USER to attach somebody else."
        )
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, customer_id=None):
        requestor = info.context.user
        checkout = checkout_of(info, id)
        customer = requestor
        if customer_id:
            pk = pk_from_global_id(customer_id, "User", field="customer_id")
            customer = get_user_model().objects.filter(pk=pk).first()
            if customer is None:
                raise CheckoutNotFound(f"Couldn't resolve to a node: {customer_id}", field="customer_id")
        services.attach_customer(checkout, customer, requestor=requestor)
        return cls.payload(info, checkout)


class CheckoutCustomerDetach(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()

    class Meta:
        description = (
            "Removes the user assigned as the owner of the checkout: it is priced as a guest's from then on and "
            "spends no allowance. Requires the owner, or IMPERSONATE_USER."
        )
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id):
        checkout = checkout_of(info, id)
        services.detach_customer(checkout, requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutAllowanceApply(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()
        amount = graphene.Decimal(
            description="The most allowance to spend on this checkout; omitted, as much as the balance and the "
            "eligible lines allow."
        )

    class Meta:
        description = (
            "Union Mall: pay part of the checkout from the owner's welfare allowance (福利额度). Only a verified "
            "member's own allowance, only on the goods each grant may pay for; `totalPrice` is what is left to pay "
            "by card. INSUFFICIENT_ALLOWANCE when the balance or the eligible goods cannot cover it."
        )
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id, amount=None):
        checkout = checkout_of(info, id)
        services.apply_allowance(checkout, amount, requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutAllowanceRemove(CheckoutMutation):
    class Arguments:
        id = checkout_id_argument()

    class Meta:
        description = "Union Mall: spend no welfare allowance on this checkout."
        error_type_class = CheckoutError

    @classmethod
    def perform_mutation(cls, _root, info, *, id):
        checkout = checkout_of(info, id)
        services.remove_allowance(checkout, requestor=info.context.user)
        return cls.payload(info, checkout)


class CheckoutMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_lines_update = CheckoutLinesUpdate.Field()
    checkout_lines_delete = CheckoutLinesDelete.Field()
    checkout_line_delete = CheckoutLineDelete.Field(deprecation_reason="Use `checkoutLinesDelete` instead.")
    checkout_email_update = CheckoutEmailUpdate.Field()
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field()
    checkout_billing_address_update = CheckoutBillingAddressUpdate.Field()
    checkout_delivery_method_update = CheckoutDeliveryMethodUpdate.Field()
    checkout_shipping_method_update = CheckoutShippingMethodUpdate.Field(
        deprecation_reason="Use `checkoutDeliveryMethodUpdate` instead."
    )
    checkout_add_promo_code = CheckoutAddPromoCode.Field()
    checkout_remove_promo_code = CheckoutRemovePromoCode.Field()
    checkout_customer_attach = CheckoutCustomerAttach.Field()
    checkout_customer_detach = CheckoutCustomerDetach.Field()
    checkout_allowance_apply = CheckoutAllowanceApply.Field()
    checkout_allowance_remove = CheckoutAllowanceRemove.Field()
