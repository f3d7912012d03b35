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

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from graphql import (
    DocumentNode,
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
# The same response name selected over and over in one selection set is never needed.
MAX_REPEATS_OF_A_FIELD = 20
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


def measure_document(schema: GraphQLSchema, document: DocumentNode, variables: dict | None) -> Measure:
    """Cost, depth and aliases of every operation in `document` with `variables`: as in Saleor, the
    costs of several operations add up. The document need not have been validated yet: unknown
    fields cost 1, unknown fragments nothing, and a fragment that spreads itself is walked once."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    roots = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }
    cost = depth = aliases = 0
    for operation in document.definitions:
        if isinstance(operation, OperationDefinitionNode):
            walker = _Walker(schema, fragments, variables or {}, _default_values(operation))
            part = walker.selection_set(operation.selection_set, roots[operation.operation])
            cost, depth, aliases = cost + part[0], max(depth, part[1]), aliases + part[2]
    return Measure(cost, depth, aliases)


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


def repeated_field_errors(document: DocumentNode) -> list[GraphQLError]:
    """A field selected over and over in one selection set. Validation compares such fields pairwise
    (500 copies of `name` take it a second), so they are refused before it runs."""
    errors = []
    for node in _selection_sets(document):
        names = Counter(
            (selection.alias or selection.name).value
            for selection in node.selections
            if isinstance(selection, FieldNode)
        )
        if names:
            name, times = names.most_common(1)[0]
            if times > MAX_REPEATS_OF_A_FIELD:
                errors.append(
                    GraphQLError(
                        f"The field `{name}` is selected {times} times in one selection set; "
                        f"at most {MAX_REPEATS_OF_A_FIELD} are allowed."
                    )
                )
                break
    return errors


def _selection_sets(document: DocumentNode):
    stack = [definition.selection_set for definition in document.definitions if hasattr(definition, "selection_set")]
    while stack:
        selection_set = stack.pop()
        if selection_set is None:
            continue
        yield selection_set
        stack.extend(getattr(selection, "selection_set", None) for selection in selection_set.selections)


def cost_extension(measure: Measure, limits: Limits) -> dict:
    return {"requestedQueryCost": measure.cost, "maximumAvailable": limits.max_cost}


def _default_values(operation: OperationDefinitionNode) -> dict:
    defaults = {}
    for definition in operation.variable_definitions or ():
        if isinstance(definition.default_value, IntValueNode):
            defaults[definition.variable.name.value] = int(definition.default_value.value)
    return defaults


class _Walker:
    """Measures selection sets as (cost, depth, aliases) tuples: this runs on every request, and
    tuples cost a fraction of what dataclass instances do."""

    def __init__(self, schema: GraphQLSchema, fragments, variables: dict, defaults: dict):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.defaults = defaults
        self.measured_fragments: dict[str, tuple[int, int, int]] = {}

    def selection_set(self, selection_set, parent_type) -> tuple[int, int, int]:
        cost = depth = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                part = self.field(selection, parent_type)
            elif isinstance(selection, FragmentSpreadNode):
                part = self.fragment(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                fragment_type = self.schema.get_type(condition.name.value) if condition else parent_type
                part = self.selection_set(selection.selection_set, fragment_type)
            else:  # pragma: no cover - the grammar has no other selection
                continue
            cost += part[0]
            if part[1] > depth:
                depth = part[1]
            aliases += part[2]
        return cost, depth, aliases

    def field(self, node: FieldNode, parent_type) -> tuple[int, int, int]:
        aliases = 0 if node.alias is None else 1
        name = node.name.value
        if name in FREE_FIELDS:
            return 0, 1, aliases
        fields = getattr(parent_type, "fields", None)
        definition = fields.get(name) if fields else None  # None for a field validation will refuse
        below_cost = below_depth = 0
        if node.selection_set is not None:
            below_type = get_named_type(definition.type) if definition is not None else None
            below_cost, below_depth, below_aliases = self.selection_set(node.selection_set, below_type)
            aliases += below_aliases
        multiplier = 1
        if definition is not None and ("first" in definition.args or "last" in definition.args):
            multiplier = self.multiplier(node)
        return multiplier * (1 + below_cost), 1 + below_depth, aliases

    def fragment(self, name: str) -> tuple[int, int, int]:
        measured = self.measured_fragments.get(name)
        if measured is None:
            definition = self.fragments.get(name)
            if definition is None:
                return 0, 0, 0
            self.measured_fragments[name] = (0, 0, 0)  # while it is walked: a cycle adds nothing
            fragment_type = self.schema.get_type(definition.type_condition.name.value)
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
