"""The base of every mutation, as Saleor's BaseMutation: declared permissions, one transaction,
and domain errors returned as data in `errors { field message code }`.

A mutation declares its arguments, payload fields, `permissions` and `error_type_class`, and
implements `perform_mutation`, a few lines that call a service. What the service refuses
(mall.errors.DomainError or Django's ValidationError) comes back as typed errors and the
transaction is rolled back, so bad input changes nothing. A missing permission is a top-level
error, as in Saleor.
"""

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.middleware.csrf import CsrfViewMiddleware
from graphene.types.mutation import MutationOptions
from graphql import GraphQLError

from mall.errors import DomainError, PermissionDenied
from mall.graphql.ids import from_global_id_or_error
from mall.permissions import has_permissions

CSRF_MESSAGE = (
    "A mutation authenticated by the session cookie needs the CSRF token in the X-CSRFToken header; "
    "API clients authenticate with `Authorization: Bearer <token>` instead."
)


def permission_denied_error(error: PermissionDenied) -> GraphQLError:
    return GraphQLError(error.message, extensions={"exception": {"code": "PermissionDenied"}})


def snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def errors_from_exception(error: Exception, code_enum) -> list[dict]:
    """`errors` entries for a DomainError or a ValidationError; unknown codes become INVALID."""
    valid_codes = set(code_enum._meta.enum.__members__)

    def code_of(raw) -> str:
        code = (raw or "invalid").upper()
        return code if code in valid_codes else "INVALID"

    if isinstance(error, DomainError):
        field = snake_to_camel(error.field) if error.field else None
        return [{"field": field, "message": error.message, "code": code_of(error.code), **error.extra}]
    entries = []
    by_field = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    for field, field_errors in by_field.items():
        for field_error in field_errors:
            message = field_error.message % field_error.params if field_error.params else field_error.message
            entries.append(
                {
                    "field": None if field == NON_FIELD_ERRORS else snake_to_camel(field),
                    "message": str(message),
                    "code": code_of(field_error.code),
                }
            )
    return entries


def csrf_failure(request) -> str | None:
    """Why a session-authenticated request fails Django's CSRF check, or None when it passes.

    Bearer-token requests and anonymous ones are not checked: the cookie is what a forged
    cross-site request would ride on.
    """
    if getattr(request, "authenticated_by_token", False):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    rejection = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
    return None if rejection is None else CSRF_MESSAGE


class BaseMutationOptions(MutationOptions):
    permissions = ()
    error_type_class = None


class BaseMutation(graphene.Mutation):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, permissions=(), error_type_class=None, _meta=None, **options):
        if error_type_class is None:
            raise ValueError(f"{cls.__name__} must declare an error_type_class.")
        _meta = _meta or BaseMutationOptions(cls)
        _meta.permissions = tuple(permissions)
        _meta.error_type_class = error_type_class
        # The payload's `errors`, added as a class attribute so graphene collects it with the rest.
        cls.errors = graphene.NonNull(graphene.List(graphene.NonNull(error_type_class)))
        description = options.pop("description", None) or (cls.__doc__ or "").strip()
        if permissions:
            names = ", ".join(permission.name for permission in permissions)
            description = f"{description}\n\nRequires one of the following permissions: {names}.".strip()
        super().__init_subclass_with_meta__(_meta=_meta, description=description, **options)

    @classmethod
    def check_permissions(cls, info) -> None:
        if cls._meta.permissions and not has_permissions(info.context.user, cls._meta.permissions):
            raise PermissionDenied(cls._meta.permissions)

    @classmethod
    def mutate(cls, root, info, **data):
        failure = csrf_failure(info.context)
        if failure:
            raise GraphQLError(failure, extensions={"exception": {"code": "CsrfViewError"}})
        try:
            cls.check_permissions(info)
            with transaction.atomic():
                payload = cls.perform_mutation(root, info, **data)
        except PermissionDenied as error:
            raise permission_denied_error(error) from error
        except (DomainError, ValidationError) as error:
            return cls(errors=errors_from_exception(error, cls._meta.error_type_class.code_enum))
        if payload.errors is None:
            payload.errors = []
        return payload

    @classmethod
    def perform_mutation(cls, root, info, **data):
        raise NotImplementedError

    # --- Helpers for perform_mutation ---------------------------------------------------
    @classmethod
    def get_instance(cls, queryset, global_id: str, *, type_name: str, field: str = "id"):
        """The row a global ID names within `queryset`, or a NOT_FOUND field error."""
        try:
            pk = from_global_id_or_error(global_id, type_name)
        except GraphQLError as error:
            raise DomainError(error.message, field=field, code="GRAPHQL_ERROR") from error
        instance = queryset.filter(pk=pk).first()
        if instance is None:
            raise DomainError(f"Couldn't resolve to a node: {global_id}", field=field, code="NOT_FOUND")
        return instance


def error_type(name: str, code_enum, *, description: str, **extra_fields) -> type[graphene.ObjectType]:
    """A Saleor error type: `field`, `message`, `code` (of `code_enum`) and any extra fields."""
    fields = {
        "field": graphene.String(
            description="Name of a field that caused the error. A value of `null` indicates that the error "
            "isn't associated with a particular field."
        ),
        "message": graphene.String(description="The error message."),
        "code": graphene.Field(graphene.NonNull(code_enum), description="The error code."),
        **extra_fields,
        "Meta": type("Meta", (), {"description": description}),
    }
    error_class = type(name, (graphene.ObjectType,), fields)
    error_class.code_enum = code_enum
    return error_class
