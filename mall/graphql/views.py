"""The /graphql/ endpoint: graphene-django's view, run synchronously, with bad text refused up
front and unexpected failures logged and not shown."""

import logging
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponseBadRequest
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    DocumentNode,
    ExecutionContext,
    ExecutionResult,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)

logger = logging.getLogger(__name__)

NUL_MESSAGE = "Arguments must not contain the NUL character (\\u0000)."


# Clients send the same few queries over and over: parse and validate each text once.
CACHED_QUERY_MAX_LENGTH = 20_000


@lru_cache(maxsize=512)
def parsed_and_validated(schema, query: str, rules=None) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,)
    errors = validate(schema, document, rules, max_errors=graphene_settings.MAX_VALIDATION_ERRORS)
    return document, tuple(errors)


class SynchronousExecutionContext(ExecutionContext):
    """No resolver of ours returns an awaitable; skipping graphql-core's check on every value
    saves about a tenth of the time of a large list."""

    @staticmethod
    def is_awaitable(_value) -> bool:
        return False


def contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value or "\\u0000" in value
    if isinstance(value, dict):
        return any(contains_nul(item) for item in value.values())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


class MallGraphQLView(GraphQLView):
    execution_context_class = SynchronousExecutionContext

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        # PostgreSQL cannot store or compare text with NUL: refuse it before any query runs.
        if contains_nul(query) or contains_nul(variables):
            raise HttpError(HttpResponseBadRequest(NUL_MESSAGE))
        if not query or request.method != "POST" or len(query) > CACHED_QUERY_MAX_LENGTH:
            return super().execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)
        rules = tuple(self.validation_rules) if self.validation_rules else None
        document, errors = parsed_and_validated(self.schema.graphql_schema, query, rules)
        if errors:
            return ExecutionResult(data=None, errors=list(errors))
        operation = get_operation_ast(document, operation_name)
        if operation is not None and operation.operation == OperationType.MUTATION:
            # graphene-django wraps mutations in a transaction: let it.
            return super().execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)
        try:
            return execute(
                self.schema.graphql_schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                execution_context_class=self.execution_context_class,
            )
        except Exception as error:  # graphene-django reports these as errors in the payload, so do we
            return ExecutionResult(errors=[error])

    @staticmethod
    def format_error(error):
        """Errors raised on purpose (GraphQLError) reach the client as they are; a programming fault
        is logged with its traceback and reported as "Internal Server Error", as a 500 page would be."""
        formatted = GraphQLView.format_error(error)
        original = getattr(error, "original_error", None)
        if original is not None and not isinstance(original, GraphQLError):
            logger.error("GraphQL request failed: %s", original, exc_info=original)
            if not settings.DEBUG:
                formatted["message"] = "Internal Server Error"
        return formatted
