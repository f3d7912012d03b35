"""Saleor's JSON and PositiveDecimal scalars, for the payment mutations' `data` and amounts."""

from decimal import Decimal, InvalidOperation

import graphene
from graphene.types.generic import GenericScalar
from graphql import Undefined
from graphql.language import ast


class JSON(GenericScalar):
    """Any JSON value, passed through as objects (not as a string, unlike JSONString)."""

    class Meta:
        name = "JSON"


class PositiveDecimal(graphene.Scalar):
    """A decimal amount. Whether it is positive is checked by the service, so that a zero or negative
    amount comes back as a field error in `errors` (with nothing changed) rather than a query error."""

    @staticmethod
    def serialize(value):
        return float(value)

    @classmethod
    def parse_literal(cls, node, _variables=None):
        if isinstance(node, ast.FloatValueNode | ast.IntValueNode | ast.StringValueNode):
            return cls.parse_value(node.value)
        return Undefined

    @staticmethod
    def parse_value(value):
        if isinstance(value, bool):
            return Undefined
        try:
            parsed = Decimal(str(value))
        except (InvalidOperation, ValueError, TypeError):
            return Undefined
        return parsed if parsed.is_finite() else Undefined
