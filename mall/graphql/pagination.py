"""Relay connections for every list of the API: keyset pagination over a sorted queryset, as in Saleor.

A cursor holds the sort-column values of one row (ending with its primary key), so the next page
is a WHERE on those columns rather than an OFFSET: deep pages stay as fast as the first one and
do not shift when rows are added in front of them.
"""

import base64
import binascii
import json
import math
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from operator import or_

import graphene
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from graphql import GraphQLError

from mall.graphql.selections import requested_paths

INVALID_CURSOR = "Received cursor is invalid."
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
OTHER_SORT_CURSOR = (
    "Received cursor is invalid: it belongs to a list in another sort order. "
    "Keep the same `sortBy` while paging, or start again without `after` and `before`."
)


def connection_arguments() -> dict:
    limit = settings.GRAPHQL_PAGINATE_BY
    return {
        "before": graphene.String(description="Return the elements in the list that come before the specified cursor."),
        "after": graphene.String(description="Return the elements in the list that come after the specified cursor."),
        "first": graphene.Int(
            description="Retrieve the first n elements from the list. "
            f"Note that the system only allows fetching a maximum of {limit} objects in a single query."
        ),
        "last": graphene.Int(
            description="Retrieve the last n elements from the list. "
            f"Note that the system only allows fetching a maximum of {limit} objects in a single query."
        ),
    }


def connection_field(connection_type, *, description: str, **arguments) -> graphene.Field:
    return graphene.Field(connection_type, description=description, **arguments, **connection_arguments())


class CountableConnection(graphene.relay.Connection):
    """A connection with `totalCount`, whose edges and nodes are never null (Saleor's shape)."""

    class Meta:
        abstract = True

    total_count = graphene.Int(description="A total count of items in the collection.")

    @classmethod
    def __init_subclass_with_meta__(cls, strict_types=True, **options):
        super().__init_subclass_with_meta__(strict_types=strict_types, **options)

    @staticmethod
    def resolve_total_count(root, _info):
        return root.unpaginated.count()


@dataclass(frozen=True)
class Column:
    name: str
    descending: bool
    nullable: bool

    @property
    def term(self) -> str:
        return f"-{self.name}" if self.descending else self.name

    def reversed(self) -> "Column":
        return Column(self.name, not self.descending, self.nullable)

    def value_of(self, row: Model):
        return row.pk if self.name == "pk" else getattr(row, self.name)


def paginate(queryset: QuerySet, info, args: dict, *, ordering: list[str], connection_type):
    """One page of `queryset` in the order of `ordering` (order_by terms ending with "pk").

    `args` are the connection arguments (first, after, last, before). Prefetches attached to
    `queryset` run once for the page. `totalCount` counts `queryset` only when it is asked for.
    """
    first, last = args.get("first"), args.get("last")
    after, before = args.get("after"), args.get("before")
    _check_arguments(info, first=first, last=last, after=after, before=before)
    connection = connection_type(
        edges=[], page_info=graphene.relay.PageInfo(has_next_page=False, has_previous_page=False)
    )
    connection.unpaginated = queryset
    if not (first or last):
        return connection

    columns = _columns(queryset.model, ordering)
    backwards = bool(last)
    cursor = before if backwards else after
    if backwards:
        columns = [column.reversed() for column in columns]
    page = queryset
    if cursor:
        page = page.filter(_beyond_cursor(columns, decode_cursor(cursor, columns, queryset.model)))
    count = last if backwards else first
    rows = list(page.order_by(*[column.term for column in columns])[: count + 1])
    more = len(rows) > count
    rows = rows[:count]
    if backwards:
        rows.reverse()
        columns = [column.reversed() for column in columns]

    connection.edges = [connection_type.Edge(node=row, cursor=encode_cursor(row, columns)) for row in rows]
    connection.page_info = graphene.relay.PageInfo(
        # As in Saleor: the side the cursor came from is assumed to hold more rows.
        has_next_page=bool(cursor) if backwards else more,
        has_previous_page=more if backwards else bool(cursor),
        start_cursor=connection.edges[0].cursor if rows else None,
        end_cursor=connection.edges[-1].cursor if rows else None,
    )
    return connection


def _check_arguments(info, *, first, last, after, before) -> None:
    for name, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise GraphQLError(f"Argument `{name}` must be a non-negative integer.")
    if first is not None and last is not None:
        raise GraphQLError("Argument `last` cannot be combined with `first`.")
    if first is not None and before:
        raise GraphQLError("Argument `first` cannot be combined with `before`.")
    if last is not None and after:
        raise GraphQLError("Argument `last` cannot be combined with `after`.")
    if not (first or last) and "edges" in requested_paths(info):
        raise GraphQLError(
            f"You must provide a `first` or `last` value to properly paginate the `{info.field_name}` connection."
        )
    limit = settings.GRAPHQL_PAGINATE_BY
    for name, value in (("first", first), ("last", last)):
        if value is not None and value > limit:
            raise GraphQLError(
                f"Requesting {value} records on the `{info.field_name}` connection "
                f"exceeds the `{name}` limit of {limit} records."
            )


def _model_field(model: type[Model], name: str):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _columns(model: type[Model], ordering: list[str]) -> list[Column]:
    columns = []
    for term in ordering:
        name = term.lstrip("-")
        try:
            nullable = _model_field(model, name).null
        except FieldDoesNotExist:
            nullable = True  # an annotation
        columns.append(Column(name, term.startswith("-"), nullable))
    if columns[-1].name != "pk":
        raise ValueError("A keyset ordering must end with the primary key.")
    return columns


def _beyond_cursor(columns: list[Column], values: list) -> Q:
    """Rows strictly after `values` in the order of `columns` (PostgreSQL puts NULLs last when ascending)."""
    branches = []
    equal_so_far = Q()
    for column, value in zip(columns, values, strict=True):
        beyond = _beyond_value(column, value)
        if beyond is not None:
            branches.append(equal_so_far & beyond)
        equal_so_far &= Q(**{f"{column.name}__isnull": True}) if value is None else Q(**{column.name: value})
    return reduce(or_, branches) if branches else Q(pk__in=[])


def _beyond_value(column: Column, value) -> Q | None:
    name = column.name
    if column.descending:  # NULLs come first, then large to small
        return Q(**{f"{name}__isnull": False}) if value is None else Q(**{f"{name}__lt": value})
    if value is None:  # NULLs come last: nothing follows them
        return None
    after = Q(**{f"{name}__gt": value})
    return after | Q(**{f"{name}__isnull": True}) if column.nullable else after


# --- Cursors ----------------------------------------------------------------------------
def _sort_signature(columns: list[Column]) -> str:
    return ",".join(column.name for column in columns)


def _to_json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):  # checkouts and orders are keyed by UUID
        return str(value)
    return value


def encode_cursor(row: Model, columns: list[Column]) -> str:
    payload = [_sort_signature(columns), *[_to_json(column.value_of(row)) for column in columns]]
    return base64.b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode()


# Cursors this module writes are a few hundred characters; a longer one was not written here.
MAX_CURSOR_LENGTH = 2_000


def decode_cursor(cursor: str, columns: list[Column], model: type[Model]) -> list:
    """The sort values in `cursor`, each checked as its column's field would check it, so that a
    forged cursor is "invalid" rather than a database error (NUL, 1e999999, a 70-digit number)."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise GraphQLError(INVALID_CURSOR)
    try:
        payload = json.loads(base64.b64decode(cursor, validate=True).decode(), parse_constant=_refuse_constant)
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise GraphQLError(INVALID_CURSOR) from error
    if not isinstance(payload, list) or len(payload) != len(columns) + 1:
        raise GraphQLError(INVALID_CURSOR)
    if payload[0] != _sort_signature(columns):
        raise GraphQLError(OTHER_SORT_CURSOR)
    values = [_parse_value(model, column, raw) for column, raw in zip(columns, payload[1:], strict=True)]
    if values[-1] is None:
        raise GraphQLError(INVALID_CURSOR)
    return values


def _parse_value(model: type[Model], column: Column, raw):
    if raw is None:
        return None
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise GraphQLError(INVALID_CURSOR)
    if isinstance(raw, float) and not math.isfinite(raw):
        raise GraphQLError(INVALID_CURSOR)
    if isinstance(raw, str) and ("\x00" in raw or LONE_SURROGATE.search(raw)):
        raise GraphQLError(INVALID_CURSOR)
    try:
        field = _model_field(model, column.name)
    except FieldDoesNotExist as error:
        # An annotation (search_rank, a float): a finite number, nothing else.
        try:
            number = float(raw) if isinstance(raw, int | float) else math.nan
        except OverflowError:
            number = math.nan
        if math.isfinite(number):
            return number
        raise GraphQLError(INVALID_CURSOR) from error
    try:
        value = field.to_python(raw)
        # max_digits of a DecimalField, max_length of a CharField, the range of an integer column.
        field.run_validators(value)
    except (ValidationError, TypeError, ValueError, ArithmeticError) as error:
        raise GraphQLError(INVALID_CURSOR) from error
    if isinstance(value, Decimal) and not value.is_finite():
        raise GraphQLError(INVALID_CURSOR)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise GraphQLError(INVALID_CURSOR)
    return value


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")
