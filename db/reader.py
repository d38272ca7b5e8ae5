"""The read side of one request: a single lazily opened connection shared by its loaders.

One connection per request keeps the pool small under load; a lock serialises the batches
because a connection runs one statement at a time. A statement the database has run before
is read on the driver connection (`db.direct_reads`).

The connection goes back to the pool when the request ends (`close`), whatever is still
running then: a read in progress finishes first and a read asked for later is refused, so
work a request left behind (a gathered lookup whose sibling failed) cannot take a
connection that no one gives back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncConnection

from db.engine import Database


class ReaderClosed(RuntimeError):
    """A read asked for after its request ended."""


class Reader:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._lock = asyncio.Lock()
        self._cm: AbstractAsyncContextManager[AsyncConnection] | None = None
        self._conn: AsyncConnection | None = None
        self._closed = False

    @property
    def dialect(self) -> str:
        return self._database.dialect

    async def fetch(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> Sequence[Row[Any]]:
        async with self._lock:
            if self._closed:
                raise ReaderClosed("the request this read belongs to has ended")
            try:
                return await self._fetch(await self._connection(), statement, parameters)
            finally:
                if self._closed:  # the request ended while this read ran (close was cancelled)
                    await self._give_back()

    async def _fetch(
        self, conn: AsyncConnection, statement: Executable, parameters: Mapping[str, Any] | None
    ) -> Sequence[Row[Any]]:
        direct = self._database.direct_reads.get(statement)
        if direct is not None:
            rows = await direct.fetch(conn, parameters)
            if rows is not None:
                return rows
        result = await conn.execute(statement, parameters)
        self._database.direct_reads.learn(statement, result)
        return result.all()

    async def _connection(self) -> AsyncConnection:
        if self._conn is None:
            cm = self._database.read_connection()
            conn = await cm.__aenter__()
            self._cm, self._conn = cm, conn
        return self._conn

    async def release(self) -> None:
        """Give the connection back to the pool; a later read takes another (between two
        events of a subscription)."""
        async with self._lock:
            await self._give_back()

    async def close(self) -> None:
        """Give the connection back for good: once a read in progress has finished, and
        refusing any read asked for from now on."""
        self._closed = True
        async with self._lock:
            await self._give_back()

    async def _give_back(self) -> None:
        if self._cm is not None:
            cm, self._cm, self._conn = self._cm, None, None
            await cm.__aexit__(None, None, None)
