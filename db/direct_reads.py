"""Reads that repeat a statement go straight to asyncpg, past SQLAlchemy's execution layer.

A request's loaders run the same few statement objects again and again: each is built once
per shape and kept (`resolvers.loaders`, `schema.connections`). SQLAlchemy executes each run
through a greenlet, an execution context and its DB-API adapter around asyncpg, which cost
~3% of an ops board's instructions (`bench/instructions.py`). So the first run of a
statement on a database goes through SQLAlchemy as usual, and `DirectRead` keeps what that
run worked out: the SQL text, the order and bind processors of its parameters, and the
result's metadata with its result processors (this statement's own, the same object
SQLAlchemy caches for it). Later runs send the text to the asyncpg connection and build
the very same `Row`s from its records.

PostgreSQL only: SQLite reads stay on SQLAlchemy. Statements whose text depends on the
parameters (expanding IN lists, literal-rendered values) are never read directly.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, Row
from sqlalchemy.engine import IteratorResult
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.compiler import SQLCompiler

from db.sql_stats import record_statement, statement_span
from observability import tracing


class DirectRead:
    """One statement as SQLAlchemy ran it on one database, ready to run again on asyncpg."""

    __slots__ = ("_compiled", "_extracted", "_metadata", "_positions", "_processors", "_sql")

    def __init__(self, result: CursorResult[Any]) -> None:
        context = result.context
        compiled = cast(SQLCompiler, context.compiled)
        assert compiled.positiontup is not None
        # Held weakly: the compiled form refers to the statement it was compiled from, which
        # may be this one, the key of this read, which would then never be freed. It lives
        # as long as SQLAlchemy's compiled cache keeps it; after that the statement is run
        # through SQLAlchemy again, which learns it anew.
        self._compiled = weakref.ref(compiled)
        # Values of this statement's own literals: the compiled form may be shared, from
        # SQLAlchemy's cache, by statements of the same shape with other values.
        self._extracted = context.extracted_parameters
        self._sql: str = context.statement
        self._positions: Sequence[str] = compiled.positiontup
        # Sequences of processors belong to tuple-typed expanding parameters, never here.
        self._processors = cast(Mapping[str, Callable[[Any], Any]], compiled._bind_processors)
        self._metadata = result._metadata

    @staticmethod
    def possible(result: CursorResult[Any]) -> bool:
        """Whether later runs of the statement behind `result` can be sent as it was."""
        compiled = result.context.compiled
        return (
            isinstance(compiled, SQLCompiler)
            and result.returns_rows
            and compiled.positional
            and compiled.positiontup is not None
            and not compiled.literal_execute_params
            and not compiled.post_compile_params
            and not compiled.schema_translate_map
        )

    async def fetch(
        self, connection: AsyncConnection, parameters: Mapping[str, Any] | None
    ) -> Sequence[Row[Any]] | None:
        """The statement's rows for `parameters`, read on the asyncpg connection under
        `connection`; None if SQLAlchemy has let go of its compiled form."""
        compiled = self._compiled()
        if compiled is None:
            return None
        values = compiled.construct_params(
            parameters, extracted_parameters=self._extracted, escape_names=False
        )
        assert values is not None
        processors = self._processors
        arguments = [
            processors[name](values[name]) if name in processors else values[name]
            for name in self._positions
        ]
        driver: Any = connection.sync_connection.connection.driver_connection  # type: ignore[union-attr]
        span = statement_span(connection, self._sql) if tracing.enabled() else None
        started = time.perf_counter()
        try:
            records = await driver.fetch(self._sql, *arguments)
        except BaseException:
            # SQLAlchemy, which never saw the error, would put a dead connection back in
            # its pool: tell it.
            if driver.is_closed():
                await connection.invalidate()
            raise
        finally:
            if span is not None:
                span.end()
        record_statement(self._sql, time.perf_counter() - started)
        return cast(Sequence[Row[Any]], IteratorResult(self._metadata, iter(records)).all())


class DirectReads:
    """A database's direct reads, by statement object (kept as long as the statement is)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._reads: weakref.WeakKeyDictionary[Executable, DirectRead] = weakref.WeakKeyDictionary()

    def get(self, statement: Executable) -> DirectRead | None:
        return self._reads.get(statement) if self.enabled else None

    def learn(self, statement: Executable, result: CursorResult[Any]) -> None:
        """Remember how SQLAlchemy ran `statement`, if later runs can skip it."""
        if self.enabled and DirectRead.possible(result):
            self._reads[statement] = DirectRead(result)
