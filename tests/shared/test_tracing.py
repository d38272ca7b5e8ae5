"""Traces (issue 30, item 3): with tracing on, an ops-board request is one operation span
with a span per batched level, per DataLoader batch and per SQL statement under it, and it
continues the trace of an incoming W3C `traceparent`; with tracing off nothing is made."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from domain.jobs import JobStatus
from observability import tracing
from resolvers.loaders import traced
from tests.support.job_support import catalog

OPS_BOARD = """query OpsBoard {
  manufacturingJobs(first: 100) { edges { node {
    id jobNumber status dueDate quantity
    manufacturer { id name }
    order { id reference status total { amount currency } }
    items {
      quantity size technique
      variant { id sku price { amount currency }
        product { id name family { id code name } } }
    }
  } } }
}"""
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_SPAN_ID = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_SPAN_ID}-01"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    tracing.start(SimpleSpanProcessor(exporter))
    try:
        yield exporter
    finally:
        tracing.stop()


async def test_an_ops_board_request_is_traced_under_the_callers_trace(
    spans, make_client, database, settings
):
    # Made with tracing on (its loaders are traced). The ops board of 100 jobs costs
    # 10,501: bench/queries.py raises the limit the same way.
    async with make_client(limits=replace(settings.limits, max_cost=20_000)) as admin:
        world = await catalog(admin, database)
        for n in range(4):
            await world.job(JobStatus.NEW, manufacturer_id=world.own_id, items=1 + n % 2)
        spans.clear()
        traced = admin.with_headers({**admin.headers, "traceparent": TRACEPARENT})
        async with traced:
            response = await traced.post(OPS_BOARD)
    body = response.json()
    assert "errors" not in body and len(body["data"]["manufacturingJobs"]["edges"]) == 4

    finished: list[ReadableSpan] = list(spans.get_finished_spans())
    (operation,) = [s for s in finished if s.name == "query OpsBoard"]
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "OpsBoard"
    assert operation.attributes["graphql.operation.type"] == "query"
    assert int(str(operation.attributes["opsgraph.cost"])) > 100
    # The caller's trace continues: same trace id, our span a child of theirs.
    assert f"{operation.context.trace_id:032x}" == TRACE_ID
    assert operation.parent is not None and f"{operation.parent.span_id:016x}" == PARENT_SPAN_ID
    # Everything else of the request is in that trace, under the operation.
    assert {f"{s.context.trace_id:032x}" for s in finished} == {TRACE_ID}
    by_id = {s.context.span_id: s for s in finished}

    def under_operation(span: ReadableSpan) -> bool:
        while span.parent is not None and span.parent.span_id in by_id:
            span = by_id[span.parent.span_id]
            if span is operation:
                return True
        return False

    levels = [s for s in finished if s.name.startswith("level ")]
    statements = [s for s in finished if s.name == "db.statement"]
    assert {
        "level ManufacturingJob",
        "level Manufacturer",
        "level Variant",
        "level ProductFamily",
    } <= {s.name for s in levels}
    assert statements and all(under_operation(s) for s in statements + levels)
    assert all("SELECT" in str((s.attributes or {})["db.statement"]) for s in statements)
    job_level = next(s for s in levels if s.name == "level ManufacturingJob")
    assert (job_level.attributes or {})["opsgraph.objects"] == 4


def test_while_tracing_is_off_the_hooks_make_nothing():
    assert not tracing.enabled()

    async def load(keys: list[int]) -> list[int]:
        return keys

    assert traced(("by_id", "jobs"), load) is load  # no wrapper around DataLoader batches
    with tracing.operation_span({"traceparent": TRACEPARENT}) as span:
        assert span is tracing._NO_SPAN  # no span object, no context
    assert tracing.start_span("db.statement", {}) is None


def test_tracing_is_on_only_with_an_otlp_endpoint():
    assert not tracing.configured_by_environment({})
    assert tracing.configured_by_environment(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
    )
    assert not tracing.configured_by_environment(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}
    )
