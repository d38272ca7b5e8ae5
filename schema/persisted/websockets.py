"""Persisted queries over WebSocket: a `subscribe` (graphql-transport-ws) or `start`
(graphql-ws) payload may name its document by `documentId` or APQ hash instead of sending
`query`, and a partner's connection runs manifest operations only, as over HTTP.

A refusal answers that one operation with an `error` message carrying the code
(PERSISTED_QUERY_NOT_FOUND, PERSISTED_QUERY_REQUIRED, ...); the connection stays open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import StartMessage

from resolvers.context import RequestContext
from schema.persisted.extension import running
from schema.persisted.resolve import PersistedQueryError, Resolved

if TYPE_CHECKING:
    from schema.persisted.view import PersistedQueriesGraphQL


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


class PersistedTransportWSHandler(BaseGraphQLTransportWSHandler[RequestContext, None]):
    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload: Any = message.get("payload")
        if not self.connection_acknowledged or not isinstance(payload, dict):
            await super().handle_subscribe(message)  # strawberry closes the socket
            return
        try:
            resolved = await _resolve(self.view, self.context, payload)
        except PersistedQueryError as refusal:
            await self.send_message(
                {
                    "id": message["id"],
                    "type": "error",
                    "payload": [refusal.as_graphql_error().formatted],
                }
            )
            return
        resolved_message = cast(
            SubscribeMessage, {**message, "payload": {**payload, "query": resolved.query}}
        )
        # The operation's task is created in here and keeps the prepared document.
        with running(resolved.prepared):
            await super().handle_subscribe(resolved_message)


class PersistedLegacyWSHandler(BaseGraphQLWSHandler[RequestContext, None]):
    async def handle_start(self, message: StartMessage) -> None:
        payload: Any = message.get("payload")
        if not self.connection_acknowledged or not isinstance(payload, dict):
            await super().handle_start(message)  # strawberry closes the socket
            return
        try:
            resolved = await _resolve(self.view, self.context, payload)
        except PersistedQueryError as refusal:
            await self.send_message(
                {
                    "id": message["id"],
                    "type": "error",
                    "payload": refusal.as_graphql_error().formatted,
                }
            )
            return
        resolved_message = cast(
            StartMessage, {**message, "payload": {**payload, "query": resolved.query}}
        )
        with running(resolved.prepared):
            await super().handle_start(resolved_message)
