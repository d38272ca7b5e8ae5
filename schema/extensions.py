"""Schema extensions that wrap every operation."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension

from db.sql_stats import SqlStats, track_sql
from resolvers.context import RequestContext

log = logging.getLogger("opsgraph.errors")


def request_context_of(extension: SchemaExtension) -> RequestContext | None:
    """The request context an extension runs for (None outside an OpsGraph request)."""
    context = extension.execution_context.context
    return context if isinstance(context, RequestContext) else None


class RequestScope(SchemaExtension):
    """Releases what a request held (its read connection) when its operation ends.

    A WebSocket connection has one context for all its operations: each operation gets its
    own copy (RequestContext.for_operation), and a subscription releases its connection and
    cached rows after every event it sends."""

    async def on_operation(self) -> AsyncIterator[None]:
        ctx = request_context_of(self)
        if ctx is not None and isinstance(ctx.request, WebSocket):
            ctx = ctx.for_operation()
            self.execution_context.context = ctx
        try:
            yield
        finally:
            if ctx is not None:
                await ctx.close()

    async def on_stream_result(self, result: Any) -> AsyncIterator[None]:
        yield
        ctx = request_context_of(self)
        if ctx is not None:
            await ctx.release()


class DebugSql(SchemaExtension):
    """With OPSGRAPH_DEBUG_SQL=1, reports the SQL statements an operation ran and their
    time as `extensions.debug { sqlStatements, sqlMs }`."""

    stats: SqlStats | None = None

    def on_operation(self) -> Any:
        ctx = request_context_of(self)
        if ctx is None or not ctx.settings.debug_sql:
            yield
            return
        with track_sql() as stats:
            self.stats = stats
            yield

    def get_results(self) -> dict[str, Any]:
        if self.stats is None:
            return {}
        return {"debug": {"sqlStatements": self.stats.count, "sqlMs": self.stats.milliseconds}}


class MaskUnexpectedErrors(SchemaExtension):
    """An exception no resolver meant to show becomes INTERNAL_SERVER_ERROR with the
    request id; the detail goes to the log, never to the client (no SQL, no traces). Every
    event a subscription sends is masked the same way."""

    def on_operation(self) -> Any:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = self._masked(result.errors)

    def on_stream_result(self, result: Any) -> Any:
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._masked(errors)
        yield

    def _masked(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        ctx = request_context_of(self)
        request_id = ctx.actor.request_id if ctx else None
        masked = []
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, GraphQLError):
                masked.append(error)
                continue
            log.error(
                "unexpected error in request %s at %s",
                request_id,
                error.path,
                exc_info=(type(original), original, original.__traceback__),
            )
            masked.append(
                GraphQLError(
                    "Internal server error",
                    nodes=error.nodes,
                    path=error.path,
                    extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
                )
            )
        return masked
