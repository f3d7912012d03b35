"""What an operation costs before it runs, in Saleor's model, and the limits it must stay within.

Every field costs 1. A connection field (one taking `first`/`last`) multiplies its own cost and
that of everything below it by its page size, so `products(first: 100) { edges { node { name } } }`
costs 100 + 100 + 100 + 100. Introspection and `__typename` cost nothing: graphql-core's
MaxIntrospectionDepthRule bounds introspection instead. Depth counts fields from the root;
aliases are counted every time a fragment holding them is spread.

The walk is linear in the size of the document: a fragment is measured once, for a multiplier
of one, and every spread reuses that figure scaled by the multiplier where it is spread. Cost is
linear in the multiplier, so this gives the same total as expanding every spread, which matters
for a "fragment bomb" (F0 spreads F1 twice, F1 spreads F2 twice, … ): its cost grows as 2**n and is
refused, while measuring it takes microseconds.
"""

from dataclasses import dataclass

from django.conf import settings
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    get_named_type,
)

MULTIPLIER_ARGUMENTS = ("first", "last")
FREE_FIELDS = frozenset({"__typename", "__schema", "__type"})


@dataclass(frozen=True)
class Limits:
    max_cost: int
    max_depth: int
    max_aliases: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_cost=settings.GRAPHQL_QUERY_MAX_COMPLEXITY,
            max_depth=settings.GRAPHQL_QUERY_MAX_DEPTH,
            max_aliases=settings.GRAPHQL_QUERY_MAX_ALIASES,
        )


@dataclass(frozen=True)
class Measure:
    """Cost, depth and alias count of a selection set, for an enclosing multiplier of one."""

    cost: int = 0
    depth: int = 0
    aliases: int = 0


def measure_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict | None,
) -> Measure:
    """The cost, depth and aliases of `operation` (from a validated document) with `variables`."""
    root_type = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    walker = _Walker(schema, fragments, variables or {}, _default_values(operation))
    return walker.selection_set(operation.selection_set, root_type)


def limit_errors(measure: Measure, limits: Limits) -> list[GraphQLError]:
    """One error per limit `measure` goes over (a limit of 0 is off), in Saleor's wording for cost."""
    errors = []
    if limits.max_cost and measure.cost > limits.max_cost:
        errors.append(
            GraphQLError(
                f"The query exceeds the maximum cost of {limits.max_cost}. Actual cost is {measure.cost}.",
                extensions={"cost": cost_extension(measure, limits)},
            )
        )
    if limits.max_depth and measure.depth > limits.max_depth:
        errors.append(
            GraphQLError(
                f"The query exceeds the maximum depth of {limits.max_depth} nested fields. "
                f"Actual depth is {measure.depth}."
            )
        )
    if limits.max_aliases and measure.aliases > limits.max_aliases:
        errors.append(
            GraphQLError(
                f"The query exceeds the maximum of {limits.max_aliases} aliases. Actual number is {measure.aliases}."
            )
        )
    return errors


def cost_extension(measure: Measure, limits: Limits) -> dict:
    return {"requestedQueryCost": measure.cost, "maximumAvailable": limits.max_cost}


def _default_values(operation: OperationDefinitionNode) -> dict:
    defaults = {}
    for definition in operation.variable_definitions or ():
        if isinstance(definition.default_value, IntValueNode):
            defaults[definition.variable.name.value] = int(definition.default_value.value)
    return defaults


class _Walker:
    def __init__(self, schema: GraphQLSchema, fragments, variables: dict, defaults: dict):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.defaults = defaults
        self.measured_fragments: dict[str, Measure] = {}

    def selection_set(self, selection_set, parent_type) -> Measure:
        cost = depth = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                part = self.field(selection, parent_type)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                fragment_type = self.schema.get_type(condition.name.value) if condition else parent_type
                part = self.selection_set(selection.selection_set, fragment_type)
            elif isinstance(selection, FragmentSpreadNode):
                part = self.fragment(selection.name.value)
            else:  # pragma: no cover - the grammar has no other selection
                continue
            cost += part.cost
            depth = max(depth, part.depth)
            aliases += part.aliases
        return Measure(cost, depth, aliases)

    def field(self, node: FieldNode, parent_type) -> Measure:
        aliases = 1 if node.alias is not None else 0
        if node.name.value in FREE_FIELDS:
            return Measure(0, 1, aliases)
        definition = getattr(parent_type, "fields", {}).get(node.name.value)
        below = Measure()
        if node.selection_set is not None and definition is not None:
            below = self.selection_set(node.selection_set, get_named_type(definition.type))
        multiplier = self.multiplier(node) if definition is not None and _is_connection(definition) else 1
        return Measure(multiplier * (1 + below.cost), 1 + below.depth, aliases + below.aliases)

    def fragment(self, name: str) -> Measure:
        measured = self.measured_fragments.get(name)
        if measured is None:
            definition = self.fragments[name]
            fragment_type = self.schema.get_type(definition.type_condition.name.value)
            # Validation has refused fragment cycles, so this recursion ends.
            measured = self.measured_fragments[name] = self.selection_set(definition.selection_set, fragment_type)
        return measured

    def multiplier(self, node: FieldNode) -> int:
        """The page size asked for (Saleor adds `first` and `last`; only one may be given)."""
        total = 0
        for argument in node.arguments:
            if argument.name.value in MULTIPLIER_ARGUMENTS:
                total += max(self.int_value(argument.value), 0)
        return total or 1

    def int_value(self, value) -> int:
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            name = value.name.value
            raw = self.variables.get(name, self.defaults.get(name))
            # A variable of the wrong type is refused when the operation runs; it multiplies nothing.
            return raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
        return 0


def _is_connection(definition) -> bool:
    return any(name in definition.args for name in MULTIPLIER_ARGUMENTS)
