"""Engine construction and the database handle the app and the CLI share."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from db import publications  # noqa: F401  (declares the published tables)
from db.change_log import CommittedChange, take_committed
from db.direct_reads import DirectReads
from db.encryption import bind_keyring
from db.idle_ping import ping_when_idle
from db.sql_stats import instrument
from observability.metrics import DB_POOL
from settings import DEFAULT_DB_POOL_SIZE


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked, and WAL lets readers run beside a writer.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


# Sessions run in UTC so that timestamps arrive as text with a +00 offset (below), whatever
# the server's own TimeZone, and ISO dates, whatever its DateStyle.
POSTGRES_SESSION = {"timezone": "UTC", "datestyle": "ISO, YMD"}


def _timestamps_as_text(dbapi_connection: Any, _record: Any) -> None:
    """Read timestamptz as ISO text parsed by datetime.fromisoformat (C, no Python frame)
    instead of asyncpg's binary codec, which builds each value from a timedelta: half the
    CPU for the same aware UTC datetimes, and a board reads ~2,200 of them. The values
    the app stores are finite, so the text is always ISO 8601."""
    dbapi_connection.run_async(
        lambda connection: connection.set_type_codec(
            "timestamptz",
            schema="pg_catalog",
            encoder=datetime.isoformat,
            decoder=datetime.fromisoformat,
            format="text",
        )
    )


class MeasuredPool(AsyncAdaptedQueuePool):
    """The asyncpg pool, reporting its connections in use and the tasks waiting for one
    (`opsgraph_db_pool_connections`)."""

    def _do_get(self) -> ConnectionPoolEntry:
        DB_POOL.labels("waiting").inc()
        try:
            return super()._do_get()
        finally:
            DB_POOL.labels("waiting").dec()
            DB_POOL.labels("in_use").set(self.checkedout())

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        super()._do_return_conn(record)
        DB_POOL.labels("in_use").set(self.checkedout())


# SQLAlchemy names a pool's logger after its class: this one is outside the "sqlalchemy"
# logger, which SQLAlchemy keeps at WARNING, and would log every pool's disposal at INFO.
logging.getLogger(f"{MeasuredPool.__module__}.{MeasuredPool.__name__}").setLevel(logging.WARNING)


def create_engine(url: str, pool_size: int = DEFAULT_DB_POOL_SIZE) -> AsyncEngine:
    # Statement parameters hold personal and bank data: keep them out of error messages
    # (and so out of logs); the SQL text is enough to find the fault.
    if url.startswith("sqlite"):
        engine = create_async_engine(url, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _enable_sqlite_pragmas)
    else:
        # Every request in flight holds one connection. Connections beyond the pool are
        # opened for a burst and closed when returned: 16 concurrent requests on a pool of
        # 10 opened 132 connections in 10 s (a PostgreSQL process each).
        engine = create_async_engine(
            url,
            poolclass=MeasuredPool,
            pool_size=pool_size,
            max_overflow=pool_size,
            hide_parameters=True,
            connect_args={"server_settings": POSTGRES_SESSION},
        )
        ping_when_idle(engine)
        event.listen(engine.sync_engine, "connect", _timestamps_as_text)
    instrument(engine.sync_engine)
    return engine


class Database:
    """One engine plus the two ways the app talks to it: ORM sessions for writes and
    autocommit connections for the read side (DataLoaders)."""

    def __init__(
        self,
        url: str,
        *,
        encryption_keys: Sequence[str] = (),
        pool_size: int = DEFAULT_DB_POOL_SIZE,
    ) -> None:
        self.url = url
        self.engine = create_engine(url, pool_size)
        if encryption_keys:
            # Without keys, encrypted columns (db.encryption) can be neither read nor written.
            bind_keyring(self.engine, encryption_keys)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Repeated reads skip SQLAlchemy's execution layer where the driver is asyncpg.
        self.direct_reads = DirectReads(self.engine.dialect.driver == "asyncpg")
        # Called with what each transaction committed to the change log (the app's change
        # hub publishes it); never for a transaction that rolled back.
        self.on_commit: list[Callable[[list[CommittedChange]], Awaitable[None]]] = []

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on any error.
        After the commit its change-log records are handed to `on_commit`."""
        async with self._sessions() as session:
            async with session.begin():
                yield session
            committed = take_committed(session)
        if committed:
            for callback in self.on_commit:
                await callback(committed)

    @asynccontextmanager
    async def read_connection(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield await conn.execution_options(isolation_level="AUTOCOMMIT")

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
