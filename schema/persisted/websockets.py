"""Persisted queries over WebSocket: a `subscribe` (graphql-transport-ws) or `start`
(graphql-ws) payload may name its document by `documentId` or APQ hash instead of sending
`query`, and a partner's connection runs manifest operations only, as over HTTP.

A refusal answers that one operation with an `error` message carrying the code
(PERSISTED_QUERY_NOT_FOUND, PERSISTED_QUERY_REQUIRED, ...); the connection stays open. So
does a document that does not parse, or names no operation it holds: graphql-transport-ws
answers it with an `error` message (strawberry would close the whole socket with 4400, ending
the connection's other subscriptions). Queries and mutations run over either protocol, as
graphql-ws (legacy) clients send them too: one `data` message, then `complete`.

graphql-transport-ws subscribers of the same operation and viewer scope also send each change
as one prepared message (schema/realtime/messages.py): the handler fills the slot of an
operation that leads a change and sends prepared text as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from graphql import GraphQLError, GraphQLFormattedError, get_operation_ast, parse
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    Message,
    SubscribeMessage,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import StartMessage

from resolvers.context import RequestContext
from schema.persisted.extension import running
from schema.persisted.refusals import envelope_text_problem
from schema.persisted.resolve import PersistedQueryError, Resolved
from schema.realtime.messages import Lead, PreparedNext, operation_of, prepared_next

if TYPE_CHECKING:
    from schema.persisted.view import PersistedQueriesGraphQL


async def _with_query(
    handler: Any,
    operation_id: str,
    payload: dict[str, Any],
    refusal: Callable[[GraphQLFormattedError], Any],
) -> tuple[dict[str, Any], Resolved] | None:
    """The payload with its document's text as `query`, and the resolved document; None
    once the refusal has been sent as this operation's `error` message (each protocol
    shapes its payload: `refusal`)."""
    try:
        if (problem := envelope_text_problem(payload)) is not None:
            raise PersistedQueryError("BAD_REQUEST", problem, 400)
        resolved = await _resolve(handler.view, handler.context, payload)
        _check_operation_name(resolved, payload.get("operationName"), handler.view)
    except PersistedQueryError as refused:
        error = refused.as_graphql_error().formatted
        await handler.send_message({"id": operation_id, "type": "error", "payload": refusal(error)})
        return None
    return {**payload, "query": resolved.query}, resolved


def _check_operation_name(resolved: Resolved, operation_name: object, view: Any) -> None:
    """A document that holds no operation by that name (or several, and no name) is the
    client's mistake, refused here: strawberry would report it as an unexpected error. A
    document not kept prepared (it does not validate, or is large) is parsed for this;
    one that does not parse is left to report its syntax error."""
    name = operation_name if isinstance(operation_name, str) else None
    document = resolved.prepared.document if resolved.prepared is not None else None
    if document is None and resolved.query is not None:
        persisted: PersistedQueriesGraphQL = view
        try:
            document = parse(
                resolved.query, max_lexical_tokens=persisted.settings.limits.max_tokens
            )
        except GraphQLError:
            return
    if document is not None and get_operation_ast(document, name) is None:
        reason = CannotGetOperationTypeError(name).as_http_error_reason()
        raise PersistedQueryError("BAD_REQUEST", reason, 400)


async def _resolve(view: Any, context: RequestContext, payload: dict[str, Any]) -> Resolved:
    persisted: PersistedQueriesGraphQL = view
    extensions = payload.get("extensions")
    document_id = payload.get("documentId")
    query = payload.get("query")
    return await persisted.persisted_queries.resolve(
        context.actor,
        query=query if isinstance(query, str) else None,
        extensions=extensions if isinstance(extensions, dict) else None,
        document_id=document_id if isinstance(document_id, str) else None,
        max_tokens=persisted.settings.limits.max_tokens,
    )


class TextWebSocket(ASGIWebSocketAdapter):
    """Strawberry's ASGI WebSocket, which can also send text already encoded."""

    async def send_text(self, text: str) -> None:
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:  # as send_json reports it
            raise WebSocketDisconnected from exc


class PersistedTransportWSHandler(BaseGraphQLTransportWSHandler[RequestContext, None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leading: dict[str, Lead] = {}

    @staticmethod
    def _get_pre_execution_close_reason(error: GraphQLError) -> str | None:
        """Never close the socket for one operation's document: its `error` message says
        what is wrong (the protocol's answer to an operation that cannot run)."""
        return None

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload: Any = message.get("payload")
        if not self.connection_acknowledged or not isinstance(payload, dict):
            await super().handle_subscribe(message)  # strawberry closes the socket
            return
        found = await _with_query(self, message["id"], payload, lambda error: [error])
        if found is None:
            return
        with_query, resolved = found
        # The operation's task is created in here and keeps the prepared document.
        with running(resolved.prepared), operation_of(self, message["id"]):
            await super().handle_subscribe(
                cast(SubscribeMessage, {**message, "payload": with_query})
            )

    async def send_message(self, message: Message) -> None:
        operation_id = cast(Mapping[str, Any], message).get("id")
        if not isinstance(operation_id, str) or operation_id not in self.leading:
            await super().send_message(message)
            return
        prepared = prepared_next(message)
        self.leading.pop(operation_id).sent(prepared)  # before this socket takes it
        if prepared is None:
            await super().send_message(message)
        else:
            await self._send_text(prepared.text(operation_id))

    async def send_prepared(self, operation_id: str, message: PreparedNext) -> None:
        """Send the group's message as this operation's. (An operation that ended has had its
        task, which runs this, cancelled.)"""
        await self._send_text(message.text(operation_id))

    async def _send_text(self, text: str) -> None:
        assert isinstance(self.websocket, TextWebSocket)
        await self.websocket.send_text(text)


class _AnyOperation:
    """The schema as the graphql-ws handler sees it: its `subscribe` also runs queries and
    mutations (strawberry's allows subscriptions only, and a query failed as an internal
    error). A query or mutation yields its one result, which the handler sends as `data`
    before `complete`."""

    def __init__(self, schema: BaseSchema) -> None:
        self._schema = schema

    async def subscribe(self, **kwargs: Any) -> Any:
        return await self._schema.stream(**kwargs)


class PersistedLegacyWSHandler(BaseGraphQLWSHandler[RequestContext, None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = cast(BaseSchema, _AnyOperation(self.schema))

    async def handle_start(self, message: StartMessage) -> None:
        payload: Any = message.get("payload")
        if not self.connection_acknowledged or not isinstance(payload, dict):
            await super().handle_start(message)  # strawberry closes the socket
            return
        found = await _with_query(self, message["id"], payload, lambda error: error)
        if found is None:
            return
        with_query, resolved = found
        with running(resolved.prepared):
            await super().handle_start(cast(StartMessage, {**message, "payload": with_query}))
