"""Traces with OpenTelemetry, on when OTEL_EXPORTER_OTLP_ENDPOINT (or its _TRACES_ form) is
set; the other standard variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS,
OTEL_TRACES_SAMPLER, ...) are read by the SDK as usual, and OTEL_SDK_DISABLED=true turns it
off.

A span per operation (`graphql.operation`: name, type, cost, error codes), continuing the
client's trace when the request carries a W3C `traceparent`; under it a span per SQL
statement (db/sql_stats.py), per level the batched executor completes and per DataLoader
batch. Off, every hook is one test of a module global and nothing else: no tracer, no
context, no span objects (bench/queries.py shows the ops board is unchanged).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:  # the SDK is imported only when tracing is turned on
    from opentelemetry.sdk.trace import SpanProcessor, TracerProvider

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_propagator = TraceContextTextMapPropagator()
# The tracer while tracing is on; None (the default) makes every hook a no-op.
_tracer: trace.Tracer | None = None
_provider: TracerProvider | None = None


def configured_by_environment(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return any(env.get(name) for name in ENDPOINT_VARIABLES)


def start_from_environment() -> None:
    """Turn tracing on, exporting over OTLP/HTTP, if the environment asks for it."""
    if _tracer is not None or not configured_by_environment():
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    start(BatchSpanProcessor(OTLPSpanExporter()))


def start(processor: SpanProcessor) -> None:
    """Turn tracing on with `processor` (tests pass a SimpleSpanProcessor around an
    InMemorySpanExporter)."""
    global _tracer, _provider
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    service = os.environ.get("OTEL_SERVICE_NAME") or "opsgraph"
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(processor)
    _provider = provider
    _tracer = provider.get_tracer("opsgraph")


def stop() -> None:
    """Flush what is buffered and turn tracing off."""
    global _tracer, _provider
    provider, _provider, _tracer = _provider, None, None
    if provider is not None:
        provider.shutdown()


def enabled() -> bool:
    return _tracer is not None


class Span:
    """An operation's span, or nothing while tracing is off."""

    def __init__(self, span: trace.Span | None = None) -> None:
        self._span = span

    def describe(self, *, operation: str, kind: str, cost: int | None, errors: list[str]) -> None:
        span = self._span
        if span is None:
            return
        span.update_name(f"{kind} {operation}")
        span.set_attribute("graphql.operation.name", operation)
        span.set_attribute("graphql.operation.type", kind)
        if cost is not None:
            span.set_attribute("opsgraph.cost", cost)
        if errors:
            span.set_attribute("opsgraph.error_codes", errors)
            if "INTERNAL_SERVER_ERROR" in errors:
                span.set_status(Status(StatusCode.ERROR))


_NO_SPAN = Span()


@contextmanager
def operation_span(headers: Mapping[str, str] | None = None) -> Iterator[Span]:
    """The span of one GraphQL operation, a child of the client's `traceparent` if any."""
    tracer = _tracer
    if tracer is None:
        yield _NO_SPAN
        return
    parent = _propagator.extract(dict(headers or {})) if headers is not None else None
    with tracer.start_as_current_span(
        "graphql.operation", context=parent, kind=SpanKind.SERVER
    ) as span:
        yield Span(span)


@contextmanager
def child_span(name: str, attributes: Mapping[str, Any] | None = None) -> Iterator[None]:
    """A span under the current one (a batched level, a DataLoader batch)."""
    tracer = _tracer
    if tracer is None:
        yield
        return
    with tracer.start_as_current_span(name, attributes=dict(attributes or {})):
        yield


def start_span(name: str, attributes: Mapping[str, Any]) -> trace.Span | None:
    """A span under the current one, ended by the caller (SQLAlchemy's before/after cursor
    events cannot hold a `with`); None while tracing is off."""
    tracer = _tracer
    if tracer is None:
        return None
    return tracer.start_span(name, attributes=dict(attributes), kind=SpanKind.CLIENT)
