"""The /graphql/ endpoint: graphene-django's view, run synchronously, with hostile requests refused
up front (4xx with a message saying what is wrong), every operation priced before it runs
(mall.graphql.cost) and unexpected failures logged and not shown."""

import json
import logging
import re
import threading
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphene_django.settings import graphene_settings
from graphene_django.utils.utils import set_rollback
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    DocumentNode,
    ExecutionContext,
    ExecutionResult,
    GraphQLError,
    OperationType,
    StringValueNode,
    execute,
    get_operation_ast,
    parse,
    validate,
    visit,
)
from graphql.language import Visitor
from graphql.validation import MaxIntrospectionDepthRule, specified_rules

from mall.graphql.cost import Limits, cost_extension, limit_errors, measure_document, repeated_field_errors

logger = logging.getLogger(__name__)

NUL_MESSAGE = "Arguments must not contain the NUL character (\\u0000)."
SURROGATE_MESSAGE = (
    "The request contains a lone surrogate (a code point from U+D800 to U+DFFF), which is not valid Unicode text."
)
QUERY_NOT_A_STRING = "The `query` must be a string holding a GraphQL document."
VARIABLES_NOT_AN_OBJECT = "The `variables` must be a JSON object (or null)."
OPERATION_NAME_NOT_A_STRING = "The `operationName` must be a string (or null)."
OPERATIONS_NOT_AN_OBJECT = "The `operations` part must be a JSON object holding `query` and `variables`."
MAP_NOT_AN_OBJECT = "The `map` part must be a JSON object of file part names to lists of paths."
BATCH_MESSAGE = "Batched requests (a JSON list) are not supported: send one operation per request."
NESTED_TOO_DEEPLY = "The request body is nested too deeply."
NOT_UTF8 = "The request body is not valid UTF-8."
UNSUPPORTED_MEDIA_TYPE = "Unsupported Content-Type: send application/json, application/graphql or multipart/form-data."
ACCEPTED_CONTENT_TYPES = frozenset({"application/json", "application/graphql", "multipart/form-data"})
# Real requests nest a few levels (body → variables → input → a list of objects); far more is an attack.
MAX_JSON_NESTING = 32
# Clients send the same few queries over and over: parse and validate each small valid text once.
# Saleor's storefront queries are 1-3 KB, GraphiQL's introspection query 1.5 KB.
CACHED_QUERY_MAX_LENGTH = 10_000
CACHED_TEXT_BUDGET = 400_000
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
VALIDATION_RULES = (*specified_rules, MaxIntrospectionDepthRule)


class SynchronousExecutionContext(ExecutionContext):
    """No resolver of ours returns an awaitable; skipping graphql-core's check on every value
    saves about a tenth of the time of a large list."""

    @staticmethod
    def is_awaitable(_value) -> bool:
        return False


# --- Checks on the request --------------------------------------------------------------
def bad_request(message: str) -> HttpError:
    return HttpError(HttpResponseBadRequest(message), message)


def nesting_depth_exceeds(value, limit: int) -> bool:
    """Whether JSON `value` nests lists/objects more than `limit` deep (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def texts(value):
    """Every string in JSON `value`, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def check_text(*values) -> None:
    """PostgreSQL cannot store or compare text with NUL, and a lone surrogate cannot be encoded:
    refuse both before anything reads them."""
    for value in values:
        for text in texts(value):
            if "\x00" in text:
                raise bad_request(NUL_MESSAGE)
            if LONE_SURROGATE.search(text):
                raise bad_request(SURROGATE_MESSAGE)


class _StringValues(Visitor):
    def __init__(self):
        super().__init__()
        self.values = []

    def enter_string_value(self, node: StringValueNode, *_args):
        self.values.append(node.value)


def check_document_text(document: DocumentNode) -> None:
    """String literals after their escapes are decoded: "\\u0000" and "\\u{0}" are a NUL too."""
    collector = _StringValues()
    visit(document, collector)
    check_text(collector.values)


# --- File uploads (https://github.com/jaydenseric/graphql-multipart-request-spec, as Saleor) ---
def multipart_operations(request) -> dict:
    """The `operations` of a multipart request with each file of `map` put where its paths point
    ("variables.file" or "variables.input.files.0"), or a 400 saying what is wrong."""
    operations = _json_part(request.POST["operations"], "operations")
    if isinstance(operations, list):
        raise bad_request(BATCH_MESSAGE)
    if not isinstance(operations, dict):
        raise bad_request(OPERATIONS_NOT_AN_OBJECT)
    if nesting_depth_exceeds(operations, MAX_JSON_NESTING):
        raise bad_request(NESTED_TOO_DEEPLY)
    file_map = _json_part(request.POST.get("map", "{}"), "map")
    if not isinstance(file_map, dict) or not all(
        isinstance(paths, list) and all(isinstance(path, str) for path in paths) for paths in file_map.values()
    ):
        raise bad_request(MAP_NOT_AN_OBJECT)
    for key, paths in file_map.items():
        uploaded = request.FILES.get(key)
        if uploaded is None:
            raise bad_request(f"The file part {key!r} named in `map` is missing from the request.")
        for path in paths:
            _place_file(operations, path, uploaded)
    return operations


def _json_part(text: str, name: str):
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (RecursionError, ValueError) as error:
        raise bad_request(f"The `{name}` part is not valid JSON.") from error


def _place_file(operations: dict, path: str, uploaded) -> None:
    *parents, last = path.split(".")
    if not parents or parents[0] != "variables":
        raise bad_request(f"The `map` path {path!r} must point into `variables`.")
    target = operations
    try:
        for step in parents:
            target = target[int(step)] if isinstance(target, list) else target[step]
        if isinstance(target, list):
            index = int(last)
            if target[index] is not None:
                raise ValueError
            target[index] = uploaded
        elif isinstance(target, dict) and target.get(last, ...) is None:
            target[last] = uploaded
        else:
            raise ValueError
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise bad_request(f"The `map` path {path!r} does not name a null in `operations`.") from error


# --- Parsed documents -------------------------------------------------------------------
class DocumentCache:
    """An LRU of parsed documents that passed validation, keyed by their text. The invalid and the
    long are parsed every time, and the texts kept add up to at most `text_budget` characters: a
    parsed document takes 50 to 120 bytes per character of its text, so the cache stays within
    tens of megabytes whatever clients send."""

    def __init__(self, text_budget: int):
        self.text_budget = text_budget
        self.text_size = 0
        self.documents: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, query: str):
        with self.lock:
            document = self.documents.get(query)
            if document is not None:
                self.documents.move_to_end(query)
            return document

    def put(self, query: str, document: DocumentNode) -> None:
        with self.lock:
            if query not in self.documents:
                self.text_size += len(query)
            self.documents[query] = document
            self.documents.move_to_end(query)
            while self.text_size > self.text_budget:
                evicted, _document = self.documents.popitem(last=False)
                self.text_size -= len(evicted)

    def clear(self) -> None:
        with self.lock:
            self.documents.clear()
            self.text_size = 0


document_cache = DocumentCache(CACHED_TEXT_BUDGET)


def parsed(query: str) -> tuple[DocumentNode | None, bool, list[GraphQLError]]:
    """(document, whether it is known to be valid, syntax errors). Only documents that passed
    validation are cached (see `validated`); anything else is parsed again each time."""
    document = document_cache.get(query)
    if document is not None:
        return document, True, []
    try:
        document = parse(query, max_tokens=settings.GRAPHQL_QUERY_MAX_TOKENS)
    except GraphQLError as error:
        return None, False, [error]
    if "\\u" in query:  # a NUL or a surrogate inside a string can only be an escape by now
        check_document_text(document)
    return document, False, []


def validated(schema, query: str, document: DocumentNode, rules=VALIDATION_RULES) -> list[GraphQLError]:
    errors = repeated_field_errors(document)
    if not errors:
        errors = validate(schema, document, rules, max_errors=graphene_settings.MAX_VALIDATION_ERRORS)
    if not errors and len(query) <= CACHED_QUERY_MAX_LENGTH:
        document_cache.put(query, document)
    return errors


# --- The view ---------------------------------------------------------------------------
class MallGraphQLView(GraphQLView):
    execution_context_class = SynchronousExecutionContext

    def parse_body(self, request):
        content_type = self.get_content_type(request)
        if request.method != "POST":
            return {}
        if content_type not in ACCEPTED_CONTENT_TYPES:
            raise HttpError(HttpResponse(status=415), UNSUPPORTED_MEDIA_TYPE)
        if content_type == "multipart/form-data":
            if "operations" in request.POST:
                return multipart_operations(request)
            return request.POST
        try:
            body = request.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise bad_request(NOT_UTF8) from error
        if content_type == "application/graphql":
            return {"query": body}
        try:
            data = json.loads(body, parse_constant=_refuse_constant)
        except RecursionError as error:
            raise bad_request(NESTED_TOO_DEEPLY) from error
        except ValueError as error:
            raise bad_request("POST body sent invalid JSON.") from error
        if isinstance(data, list):
            raise bad_request(BATCH_MESSAGE)
        if not isinstance(data, dict):
            raise bad_request("The received data is not a valid JSON query.")
        if nesting_depth_exceeds(data, MAX_JSON_NESTING):
            raise bad_request(NESTED_TOO_DEEPLY)
        return data

    def get_graphql_params(self, request, data):
        query = request.GET.get("query") or data.get("query")
        variables = request.GET.get("variables") or data.get("variables")
        operation_name = request.GET.get("operationName") or data.get("operationName")
        if isinstance(variables, str):
            try:
                variables = json.loads(variables, parse_constant=_refuse_constant)
            except (RecursionError, ValueError) as error:
                raise bad_request("Variables are invalid JSON.") from error
        if operation_name == "null":
            operation_name = None
        if query is not None and not isinstance(query, str):
            raise bad_request(QUERY_NOT_A_STRING)
        if variables is not None and not isinstance(variables, dict):
            raise bad_request(VARIABLES_NOT_AN_OBJECT)
        if operation_name is not None and not isinstance(operation_name, str):
            raise bad_request(OPERATION_NAME_NOT_A_STRING)
        if nesting_depth_exceeds(variables, MAX_JSON_NESTING):
            raise bad_request(NESTED_TOO_DEEPLY)
        check_text(query, variables, operation_name)
        return query, variables, operation_name, data.get("id")

    def get_response(self, request, data, show_graphiql=False):
        """graphene-django's, with `extensions` (the query cost) in the response."""
        query, variables, operation_name, _id = self.get_graphql_params(request, data)
        result = self.execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)
        if getattr(request, MUTATION_ERRORS_FLAG, False) is True:
            set_rollback()
        if result is None:
            return None, 200
        response, status = {}, 200
        if result.errors:
            set_rollback()
            response["errors"] = [self.format_error(error) for error in result.errors]
            # An error outside any field (a bad document, a refused cost) means nothing ran.
            if any(not getattr(error, "path", None) for error in result.errors):
                status = 400
        if status == 200:
            response["data"] = result.data
        if result.extensions:
            response["extensions"] = result.extensions
        return self.json_encode(request, response, pretty=show_graphiql), status

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        if not query:
            if show_graphiql:
                return None
            raise bad_request("Must provide query string.")
        schema = self.schema.graphql_schema
        document, known_valid, errors = parsed(query)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        operation = get_operation_ast(document, operation_name)
        if request.method != "POST" and operation is not None and operation.operation != OperationType.QUERY:
            raise HttpError(
                HttpResponseNotAllowed(["POST"]),
                f"Can only perform a {operation.operation.value} operation from a POST request.",
            )
        # Priced before validation too: validating a large document takes long, pricing it does not.
        limits = Limits.from_settings()
        measure = measure_document(schema, document, variables)
        extensions = {"cost": cost_extension(measure, limits)}
        refusals = limit_errors(measure, limits)
        if refusals:
            return ExecutionResult(data=None, errors=refusals, extensions=extensions)
        if not known_valid:
            errors = validated(schema, query, document, self.rules())
            if errors:
                return ExecutionResult(data=None, errors=errors, extensions=extensions)
        result = self._execute(request, schema, document, variables, operation_name)
        result.extensions = extensions
        return result

    def rules(self) -> tuple:
        return (*VALIDATION_RULES, *self.validation_rules) if self.validation_rules else VALIDATION_RULES

    def _execute(self, request, schema, document, variables, operation_name) -> ExecutionResult:
        try:
            return execute(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                execution_context_class=self.execution_context_class,
            )
        except Exception as error:  # noqa: BLE001 - reported as an error in the payload, logged by format_error
            return ExecutionResult(errors=[GraphQLError("Internal Server Error", original_error=error)])

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


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")
