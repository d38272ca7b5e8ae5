"""Every operation observed the same way, whatever domain it touches: its log fields, its
access line, its metrics and (with tracing on) its span. Before the limits among the schema's
extensions, so their refusals fall inside it.

The access line (logger `opsgraph.access`, one per GraphQL operation over either transport)
names the operation, its type, transport, outcome and error codes, duration, SQL count and
cost, and the SHA-256 of its document: never the text nor the variables.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from db.sql_stats import SqlStats, track_sql
from observability import metrics, tracing
from observability.logs import bind, bound
from schema.extensions import request_context_of

access_log = logging.getLogger("opsgraph.access")


class ObservedOperation(SchemaExtension):
    sql: SqlStats | None = None
    _subscription_field: str | None = None

    def on_operation(self) -> Iterator[None]:
        ctx = request_context_of(self)
        transport = "internal"
        fields: dict[str, Any] = {}
        if ctx is not None:
            transport = "websocket" if isinstance(ctx.request, WebSocket) else "http"
            actor = ctx.actor
            fields = {
                "request_id": actor.request_id,
                "actor_id": actor.id,
                "role": actor.role.value if actor.role is not None else None,
            }
        headers = ctx.request.headers if tracing.enabled() and ctx and ctx.request else None
        started = time.perf_counter()
        with (
            bound(transport=transport, **fields) as log_fields,
            tracing.operation_span(headers) as span,
            track_sql(keep=False) as self.sql,
        ):
            fault = False
            try:
                yield
            except Exception:
                fault = True  # an extension failed; strawberry answers it masked
                raise
            finally:
                seconds = time.perf_counter() - started
                self._finish(log_fields, span, transport, seconds, fault=fault)

    def on_validate(self) -> Iterator[None]:
        # Parsed by now: the lines logged from here on (errors, faults) name the operation.
        bind(
            operation=self.execution_context.operation_name,
            operation_type=_operation_type(self.execution_context),
        )
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if _operation_type(context) == "subscription":
            self._subscription_field = _root_field(context)
            metrics.SUBSCRIPTIONS.labels(self._subscription_field).inc()
        yield

    def _finish(
        self,
        log_fields: dict[str, Any],
        span: tracing.Span,
        transport: str,
        seconds: float,
        *,
        fault: bool,
    ) -> None:
        context = self.execution_context
        name = context.operation_name
        kind = _operation_type(context)
        label = metrics.operation_label(name)
        codes = ["INTERNAL_SERVER_ERROR"] if fault else _error_codes(context)
        statements = self.sql.count if self.sql is not None else 0
        metrics.OPERATIONS.labels(label, kind, transport).inc()
        metrics.OPERATION_SECONDS.labels(label, kind, transport).observe(seconds)
        if kind != "subscription":
            metrics.SQL_STATEMENTS.labels(kind).observe(statements)
        elif self._subscription_field is not None:
            metrics.SUBSCRIPTIONS.labels(self._subscription_field).dec()
        for code in codes:
            metrics.ERRORS.labels(code).inc()
            if code == "RATE_LIMITED":
                metrics.RATE_LIMITED.inc()
        cost = log_fields.get("cost")  # bound by the limits (schema/limits.py)
        span.describe(operation=label, kind=kind, cost=cost, errors=codes)
        log_fields.update(operation=name, operation_type=kind)
        status = "error" if codes else "ok"
        if not access_log.isEnabledFor(logging.INFO):
            return  # no hash nor line to build
        access_log.info(
            "%s %s %s in %.1f ms",
            kind,
            name or "(anonymous)",
            status,
            seconds * 1000,
            extra={
                "duration_ms": round(seconds * 1000, 3),
                "sql_count": statements,
                "sql_ms": self.sql.milliseconds if self.sql is not None else 0.0,
                "cost": cost,
                "document_hash": _document_hash(context.query),
                "status": status,
                "error_codes": codes or None,
            },
        )


def _operation_type(context: Any) -> str:
    try:
        kind: OperationType = context.operation_type
    except Exception:  # no document (it did not parse) or no such operation in it
        return "unknown"
    return str(kind.value)


def _root_field(context: Any) -> str:
    """The subscription's root field (one per subscription operation, by the spec)."""
    document = context.graphql_document
    for definition in document.definitions if document is not None else ():
        selections = getattr(getattr(definition, "selection_set", None), "selections", None)
        if getattr(definition, "operation", None) is not None and selections:
            return str(selections[0].name.value)
    return "unknown"


def _error_codes(context: Any) -> list[str]:
    result = context.result
    errors: list[GraphQLError] = list(getattr(result, "errors", None) or [])
    if not errors and context.pre_execution_errors:
        errors = list(context.pre_execution_errors)
    return sorted({str((e.extensions or {}).get("code", "GRAPHQL_ERROR")) for e in errors})


def _document_hash(query: str | None) -> str | None:
    return hashlib.sha256(query.encode()).hexdigest() if query else None
