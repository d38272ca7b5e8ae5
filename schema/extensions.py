"""Schema extensions that wrap every operation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension

from db.sql_stats import SqlStats, current_stats, track_sql
from resolvers.context import RequestContext


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
        counting = current_stats()  # the operation's own count (schema/observation.py)
        if counting is not None:
            self.stats = counting
            yield
            return
        with track_sql() as stats:
            self.stats = stats
            yield

    def get_results(self) -> dict[str, Any]:
        if self.stats is None:
            return {}
        return {"debug": {"sqlStatements": self.stats.count, "sqlMs": self.stats.milliseconds}}
