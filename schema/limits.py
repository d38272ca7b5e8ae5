"""Limits checked before an operation runs (API.md "Limits"), and its rate-limit charge.

In this order, before validation, permission checks or any resolver:
1. tokens, while parsing (the parser gives up past the limit); then the work validating the
   document would cost, fields and overlapping fields over the whole document
   (schema/validation_work.py), so that graphql-core's validation never starts on a
   document that would hold the CPU (`parse_bounded`, also where persisted queries and
   ad-hoc texts are prepared: schema/persisted/documents.py);
2. introspection (`__schema`, `__type`) when Settings.introspection is off: FORBIDDEN;
3. depth, aliases and cost (schema/cost_map.py), measured in one walk of the operation;
   each exceeded limit is one QUERY_TOO_COMPLEX error carrying its figures;
4. the cost is charged to the caller's rate limit (auth/rate_limit.py): when the budget is
   spent, RATE_LIMITED with `retryAfter`, HTTP 429 and a Retry-After header.
Every response then carries `extensions.cost { requested, maximum }` (requested is 0 when
the document could not be parsed). The request body's size is limited before all of this,
by auth/body_limit.py.

Depth counts nested fields (`{ a { b } }` is 2), not fragments; aliases count every aliased
field, once per spread of the fragment holding it. Introspection fields count towards neither
depth nor cost, so GraphiQL's introspection query passes, but aliases inside them count.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    Lexer,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    Undefined,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_leaf_type,
    is_list_type,
    parse,
    value_from_ast_untyped,
)
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from observability.logs import bind
from resolvers.context import RequestContext
from resolvers.pagination import DEFAULT_PAGE_SIZE
from schema.cost_map import (
    MINIMUM_OPERATION_COST,
    MUTATION_COST,
    is_connection,
    list_size,
    page_size,
)
from schema.extensions import request_context_of
from schema.validation_work import measure_validation_work
from settings import QueryLimits

DEFAULT_LIMITS = QueryLimits()
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})

_MESSAGES = {
    "depth": "The operation nests fields {requested} deep; at most {maximum} is allowed.",
    "aliases": "The operation uses {requested} aliases; at most {maximum} are allowed.",
    "tokens": "The document has {requested} tokens; at most {maximum} are allowed.",
    "cost": "The operation costs {requested}; at most {maximum} is allowed.",
    "fields": (
        "The document selects at least {requested} fields, counting a fragment's at every "
        "spread; at most {maximum} are allowed."
    ),
    "overlaps": (
        "The document selects at least {requested} pairs of fields under one name at one "
        "place; at most {maximum} are allowed."
    ),
}


def too_complex(limit: str, requested: int, maximum: int) -> GraphQLError:
    """The QUERY_TOO_COMPLEX refusal for one limit, with its figures."""
    return GraphQLError(
        _MESSAGES[limit].format(requested=requested, maximum=maximum),
        extensions={
            "code": "QUERY_TOO_COMPLEX",
            "limit": limit,
            "requested": requested,
            "maximum": maximum,
        },
    )


def parse_bounded(
    source: str, *, max_tokens: int | None, limits: QueryLimits
) -> tuple[DocumentNode, list[GraphQLError]]:
    """The parsed document (GraphQLSyntaxError past `max_tokens`) and QUERY_TOO_COMPLEX for
    each bound on validation work it exceeds; wherever a text is parsed to be validated.

    Refused texts are remembered (the last few): the ad-hoc path refuses a text, then
    strawberry's path, which answers it, does not parse it again, nor when a flood sends it
    again. Parsing is most of what a refused text costs (~20 ms for 13 KB)."""
    key = (source, max_tokens, limits)
    remembered = _refused.get(key)
    if remembered is None:
        document = parse(source, max_lexical_tokens=max_tokens)
        work = measure_validation_work(
            document, max_fields=limits.max_fields, max_overlaps=limits.max_overlaps
        )
        exceeded = tuple(
            (name, requested, maximum)
            for name, requested, maximum in (
                ("fields", work.fields, limits.max_fields),
                ("overlaps", work.overlaps, limits.max_overlaps),
            )
            if requested > maximum
        )
        if not exceeded:
            return document, []
        remembered = _refused[key] = (document, exceeded)
        while len(_refused) > _REFUSED_KEPT:
            _refused.popitem(last=False)
    _refused.move_to_end(key)
    document, exceeded = remembered
    return document, [too_complex(*figures) for figures in exceeded]


_REFUSED_KEPT = 16
_refused: OrderedDict[
    tuple[str, int | None, QueryLimits], tuple[DocumentNode, tuple[tuple[str, int, int], ...]]
] = OrderedDict()


class OperationLimits(SchemaExtension):
    """Enforces the limits above; first in the schema's extensions, so nothing runs before."""

    requested: int = 0
    refusals: tuple[GraphQLError, ...] = ()

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        if context.graphql_document is None and query:
            limits = self._limits
            limit = limits.max_tokens
            try:
                document, refusals = parse_bounded(query, max_tokens=limit, limits=limits)
                context.graphql_document = document
                self.refusals = tuple(self._with_request_id(e) for e in refusals)
            except GraphQLSyntaxError:
                tokens = count_tokens(query)
                if tokens > limit:
                    raise self._too_complex("tokens", tokens, limit) from None
                # Any other syntax error: strawberry's own parse reports it as usual.
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        # Refused as parsed: graphql-core's validation must not start on it.
        errors = list(self.refusals) or await self._check()
        if errors:
            # Counts as validation already done: strawberry skips its own and answers these.
            self.execution_context.pre_execution_errors = errors
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": {"requested": self.requested, "maximum": self._limits.max_cost}}

    async def _check(self) -> list[GraphQLError]:
        context = self.execution_context
        document = context.graphql_document
        operation = get_operation_ast(document, context.operation_name) if document else None
        if document is None or operation is None:
            return []  # strawberry has already refused the request
        variables = context.variables if isinstance(context.variables, dict) else {}
        figures = measure_once(context.schema._schema, operation, document, variables)
        self.requested = max(figures.cost, MINIMUM_OPERATION_COST)
        bind(cost=self.requested)  # the access line and the span report it
        ctx = self._request_context
        if figures.introspection and ctx is not None and not ctx.settings.introspection:
            return [self._error("Introspection is disabled on this server.", code="FORBIDDEN")]
        limits = self._limits
        exceeded = [
            self._too_complex(name, requested, maximum)
            for name, requested, maximum in (
                ("depth", figures.depth, limits.max_depth),
                ("aliases", figures.aliases, limits.max_aliases),
                ("cost", self.requested, limits.max_cost),
            )
            if requested > maximum
        ]
        if exceeded or ctx is None or ctx.rate_limiter is None:
            return exceeded
        actor = ctx.actor
        budget = limits.rate_per_minute if actor.authenticated else limits.anonymous_rate_per_minute
        decision = await ctx.rate_limiter.charge(actor.rate_key, self.requested, budget)
        if decision.allowed:
            return []
        _refuse_http(ctx.response, decision.retry_after)
        return [
            self._error(
                f"Rate limit exceeded: retry in {decision.retry_after} seconds.",
                code="RATE_LIMITED",
                retryAfter=decision.retry_after,
            )
        ]

    @property
    def _request_context(self) -> RequestContext | None:
        return request_context_of(self)

    @property
    def _limits(self) -> QueryLimits:
        ctx = self._request_context
        return ctx.settings.limits if ctx is not None else DEFAULT_LIMITS

    def _too_complex(self, limit: str, requested: int, maximum: int) -> GraphQLError:
        return self._with_request_id(too_complex(limit, requested, maximum))

    def _error(self, message: str, **extensions: Any) -> GraphQLError:
        return self._with_request_id(GraphQLError(message, extensions=extensions))

    def _with_request_id(self, error: GraphQLError) -> GraphQLError:
        ctx = self._request_context
        if ctx is not None and ctx.actor.request_id and error.extensions is not None:
            error.extensions["requestId"] = ctx.actor.request_id
        return error


def _refuse_http(response: object, retry_after: int) -> None:
    """Strawberry's ASGI view copies its sub-response's status and headers onto the reply
    (over a WebSocket there is no status to set)."""
    if isinstance(response, Response):
        response.status_code = 429
        response.headers["Retry-After"] = str(retry_after)


def count_tokens(source: str) -> int:
    """The lexical tokens of a document (comments left out, like the parser's limit), up to
    its first lexical error."""
    lexer = Lexer(Source(source))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
    except GraphQLSyntaxError:
        pass
    return count


# -- measuring an operation ----------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    depth: int = 0
    aliases: int = 0
    cost: int = 0
    # Within a connection's selection: the cost of one item of its page (`edges`), which the
    # connection field multiplies by its page size. Always 0 for a whole operation.
    per_item: int = 0
    introspection: bool = False

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            depth=max(self.depth, other.depth),
            aliases=self.aliases + other.aliases,
            cost=self.cost + other.cost,
            per_item=self.per_item + other.per_item,
            introspection=self.introspection or other.introspection,
        )


NOTHING = Figures()


# Figures by (schema, operation, variables). The parse cache hands every request for a text
# the same document, so each operation is walked once per set of variables it runs with.
_MEASURED_LIMIT = 4096
_measured: dict[tuple[int, int, bytes], tuple[GraphQLSchema, OperationDefinitionNode, Figures]] = {}


def measure_once(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    document: DocumentNode,
    variables: Mapping[str, Any],
) -> Figures:
    """`measure`, remembered for the same operation object and variables."""
    try:
        values = orjson.dumps(variables, option=orjson.OPT_SORT_KEYS) if variables else b""
    except TypeError:  # not JSON (variables from a request always are)
        return measure(schema, document, operation, variables)
    # Keyed by identity (a node's own hash walks its whole tree); the entry keeps the schema
    # and operation alive, so their ids cannot pass to other objects while it is kept.
    key = (id(schema), id(operation), values)
    cached = _measured.get(key)
    if cached is not None:
        return cached[2]
    figures = measure(schema, document, operation, variables)
    if len(_measured) >= _MEASURED_LIMIT:
        _measured.clear()
    _measured[key] = (schema, operation, figures)
    return figures


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
) -> Figures:
    """Depth, aliases, cost (before the minimum) and whether introspection is selected."""
    values = dict(variables)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    walker = _Walker(schema, fragments, values)
    root = schema.get_root_type(operation.operation)
    return walker.selection(root, operation.selection_set)


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self._schema = schema
        self._variables = variables
        # Each fragment is measured once, after those it spreads, and reused at every spread.
        self._fragments: dict[str, Figures] = {}
        for fragment in _dependency_order(fragments):
            parent = schema.get_type(fragment.type_condition.name.value)
            self._fragments[fragment.name.value] = self.selection(parent, fragment.selection_set)

    def selection(
        self, parent: GraphQLNamedType | None, selection_set: SelectionSetNode | None
    ) -> Figures:
        total = NOTHING
        if selection_set is None:
            return total
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self._field(parent, node)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                target = self._schema.get_type(condition.name.value) if condition else parent
                total += self.selection(target, node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                # A spread closing a cycle, or of an unknown fragment, counts nothing:
                # validation refuses both.
                total += self._fragments.get(node.name.value, NOTHING)
        return total

    def _field(self, parent: GraphQLNamedType | None, node: FieldNode) -> Figures:
        name = node.name.value
        alias = 1 if node.alias else 0
        if name.startswith("__"):
            inner = self.selection(None, node.selection_set)
            return Figures(
                aliases=alias + inner.aliases,
                introspection=name in INTROSPECTION_FIELDS or inner.introspection,
            )
        definition = (
            parent.fields.get(name)
            if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
            else None
        )
        named = get_named_type(definition.type) if definition is not None else None
        inner = self.selection(named, node.selection_set)
        figures = Figures(
            depth=1 + inner.depth,
            aliases=alias + inner.aliases,
            introspection=inner.introspection,
        )
        if parent is None or definition is None or named is None:
            return figures  # an unknown field costs nothing: validation refuses it
        is_list = is_list_type(get_nullable_type(definition.type))
        if is_list and is_connection(parent):
            # A connection's item list: one item here, the connection multiplies it.
            return replace(figures, per_item=1 + inner.cost)
        cost = MUTATION_COST if parent is self._schema.mutation_type else 0
        if is_leaf_type(named):
            return replace(figures, cost=cost)
        if is_connection(named):
            cost += 1 + inner.cost + page_size(self._arguments(node)) * inner.per_item
        elif is_list:
            size = list_size(parent.name, name, named.name, self._arguments(node))
            cost += (DEFAULT_PAGE_SIZE if size is None else size) * (1 + inner.cost)
        else:
            cost += 1 + inner.cost
        return replace(figures, cost=cost)

    def _arguments(self, node: FieldNode) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for argument in node.arguments or ():
            value = value_from_ast_untyped(argument.value, self._variables)
            if value is not Undefined:
                values[argument.name.value] = value
        return values


def _dependency_order(
    fragments: Mapping[str, FragmentDefinitionNode],
) -> list[FragmentDefinitionNode]:
    """Every fragment after the fragments it spreads; a spread closing a cycle is ignored.
    Iterative, so that a long chain of fragments cannot exhaust Python's recursion limit."""
    order: list[FragmentDefinitionNode] = []
    seen: set[str] = set()
    for name, fragment in fragments.items():
        if name in seen:
            continue
        seen.add(name)
        stack = [(fragment, _spreads(fragment.selection_set))]
        while stack:
            current, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                order.append(current)
            elif child in fragments and child not in seen:
                seen.add(child)
                stack.append((fragments[child], _spreads(fragments[child].selection_set)))
    return order


def _spreads(selection_set: SelectionSetNode | None) -> Iterator[str]:
    """The names of the fragments a selection spreads, at any depth of its own fields."""
    if selection_set is None:
        return
    for node in selection_set.selections:
        if isinstance(node, FragmentSpreadNode):
            yield node.name.value
        elif isinstance(node, FieldNode | InlineFragmentNode):
            yield from _spreads(node.selection_set)
