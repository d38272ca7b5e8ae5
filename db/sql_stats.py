"""Counts the SQL statements (and their time) run on behalf of one unit of work.

`track_sql()` opens a scope; every statement any engine runs inside it (in this task or in
tasks it spawns, such as DataLoader batches) is counted. Tests use it to prove that a query
runs a fixed number of statements; `OPSGRAPH_DEBUG_SQL=1` reports it per response.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from observability import tracing


@dataclass
class SqlStats:
    statements: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Keep the statements' text (tests read it), or only count them: a subscription's
    # scope lasts as long as the subscription.
    keep: bool = True
    # The scope this one is nested in, which counts the same statements (a test's scope
    # around a request, whose operation counts its own).
    outer: SqlStats | None = None
    count: int = 0

    @property
    def milliseconds(self) -> float:
        return round(self.seconds * 1000, 3)


_current: ContextVar[SqlStats | None] = ContextVar("opsgraph_sql_stats", default=None)
_START_KEY = "_opsgraph_sql_started"
_SPAN_KEY = "_opsgraph_sql_span"


@contextmanager
def track_sql(*, keep: bool = True) -> Iterator[SqlStats]:
    stats = SqlStats(keep=keep, outer=_current.get())
    token = _current.set(stats)
    try:
        yield stats
    finally:
        _current.reset(token)


def current_stats() -> SqlStats | None:
    """The scope statements are counted in now, if any (an operation's: schema/observation.py)."""
    return _current.get()


def record_statement(statement: str, seconds: float) -> None:
    """Count a statement in the current scope: SQLAlchemy's (below) and those run on the
    driver connection, out of its sight (`db.direct_reads`)."""
    stats = _current.get()
    while stats is not None:
        stats.count += 1
        if stats.keep:
            stats.statements.append(statement)
        stats.seconds += seconds
        stats = stats.outer


def statement_span(conn: Any, statement: str) -> Any:
    """A span for one statement while tracing is on (observability/tracing.py), else None.
    The SQL text has placeholders, never the values."""
    return tracing.start_span(
        "db.statement",
        {"db.system": conn.dialect.name, "db.statement": statement[:2000]},
    )


def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    if _current.get() is not None:
        conn.info[_START_KEY] = time.perf_counter()
    if tracing.enabled():
        conn.info[_SPAN_KEY] = statement_span(conn, statement)


def _after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    started = conn.info.pop(_START_KEY, None)  # set by _before only while tracking
    if started is not None:
        record_statement(statement, time.perf_counter() - started)
    span = conn.info.pop(_SPAN_KEY, None)
    if span is not None:
        span.end()


def _failed(context: Any) -> None:
    """A statement that raised ends its span too (its error recorded)."""
    connection = context.connection
    span = connection.info.pop(_SPAN_KEY, None) if connection is not None else None
    if span is not None:
        span.record_exception(context.original_exception)
        span.end()


def instrument(engine: Engine) -> None:
    """Attach the counters to an engine (idempotent)."""
    if not event.contains(engine, "before_cursor_execute", _before):
        event.listen(engine, "before_cursor_execute", _before)
        event.listen(engine, "after_cursor_execute", _after)
        event.listen(engine, "handle_error", _failed)
