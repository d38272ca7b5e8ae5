"""A statement read before is read again on the asyncpg connection (db.direct_reads): the same
rows as SQLAlchemy gives, counted like any statement, and a broken connection still leaves
the pool (issue #7)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from db.engine import Database
from db.keys import KEYS
from db.models import ManufacturingJob
from db.reader import Reader
from resolvers.loaders import _by_column
from tests.support.graphql import GraphQLClient
from tests.support.job_support import catalog
from tests.support.sql_counting import count_sql

JOBS = ManufacturingJob.__table__


@contextmanager
def through_sqlalchemy(database: Database) -> Iterator[list[str]]:
    """The statements SQLAlchemy sends to the database while the block runs."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", before)


def _as_read(rows: Any) -> dict[Any, tuple[tuple[str, ...], tuple[Any, ...], list[type]]]:
    """Each row's keys, values and value types, by id (a by-id read has no order)."""
    return {row.id: (row._fields, tuple(row), [type(v) for v in row]) for row in rows}


async def test_a_repeated_read_answers_what_sqlalchemy_answers(
    client: GraphQLClient, database: Database
) -> None:
    world = await catalog(client, database)
    jobs = [await world.job(items=2) for _ in range(3)]
    ids = [job.id for job in jobs]
    by_id = _by_column(JOBS, "id", database.dialect, None)  # every column: enums, dates, money
    async with database.read_connection() as conn:
        expected = _as_read((await conn.execute(by_id, {KEYS: ids})).all())
    reader = Reader(database)
    try:
        with through_sqlalchemy(database) as sent:
            first = await reader.fetch(by_id, {KEYS: ids})
            async with count_sql() as stats:
                again = await reader.fetch(by_id, {KEYS: ids[:2]})
    finally:
        await reader.close()

    assert _as_read(first) == expected
    assert _as_read(again) == {key: expected[key] for key in ids[:2]}
    assert {row._mapping["status"] for row in again} == {jobs[0].status}
    assert stats.count == 1  # a direct read is counted like any other statement
    # SQLAlchemy runs the statement once on PostgreSQL (asyncpg), every time on SQLite.
    assert len(sent) == (1 if database.dialect == "postgresql" else 2)


async def test_statements_of_one_shape_read_their_own_values(
    client: GraphQLClient, database: Database
) -> None:
    world = await catalog(client, database)
    await world.job()
    await world.job()

    def numbers_over(n: int) -> Any:  # one shape (one compiled form), its own literal
        return select(func.count()).select_from(JOBS).where(func.length(JOBS.c.job_number) > n)

    everything, nothing = numbers_over(0), numbers_over(10**9)
    reader = Reader(database)
    try:
        counts = [(await reader.fetch(s))[0][0] for s in (everything, nothing) * 2]
    finally:
        await reader.close()

    assert counts == [2, 0, 2, 0]


async def test_a_connection_that_died_under_a_direct_read_leaves_the_pool(
    client: GraphQLClient, database: Database
) -> None:
    if database.dialect != "postgresql":
        pytest.skip("direct reads are PostgreSQL's (asyncpg)")
    world = await catalog(client, database)
    job = await world.job()
    by_id = _by_column(JOBS, "id", database.dialect, None)
    reader = Reader(database)
    await reader.fetch(by_id, {KEYS: [job.id]})  # learnt: later reads are direct
    (pid,) = (await reader.fetch(text("SELECT pg_backend_pid()")))[0]
    async with database.read_connection() as other:
        await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    with pytest.raises(Exception):  # noqa: B017 (asyncpg's own error: the backend is gone)
        await reader.fetch(by_id, {KEYS: [job.id]})
    await reader.close()

    # The pool hands out a live connection, not the dead one back.
    for _ in range(3):
        fresh = Reader(database)
        try:
            (row,) = await fresh.fetch(by_id, {KEYS: [job.id]})
        finally:
            await fresh.close()
        assert row.id == job.id


async def test_a_statement_read_directly_is_freed_once_nothing_else_holds_it(
    database: Database,
) -> None:
    """Statements built per request (a filtered page) must not pile up: the direct read
    kept for one does not keep it alive once SQLAlchemy's compiled cache lets go."""
    statement = select(func.count()).select_from(JOBS).where(JOBS.c.job_number == "J-none")
    compiled_cache = database.engine.sync_engine._compiled_cache
    assert compiled_cache is not None
    reader = Reader(database)
    try:
        for _ in range(2):
            assert (await reader.fetch(statement))[0][0] == 0
        compiled_cache.clear()  # its compiled form gone, the statement still reads
        assert (await reader.fetch(statement))[0][0] == 0
    finally:
        await reader.close()
    gone = weakref.ref(statement)
    del statement
    compiled_cache.clear()
    gc.collect()

    assert gone() is None
