"""The read side of one request: a single lazily opened connection shared by its loaders.

One connection per request keeps the pool small under load; a lock serialises the batches
because a connection runs one statement at a time. A statement the database has run before
is read on the driver connection (`db.direct_reads`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncConnection

from db.engine import Database


class Reader:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._lock = asyncio.Lock()
        self._cm: AbstractAsyncContextManager[AsyncConnection] | None = None
        self._conn: AsyncConnection | None = None

    @property
    def dialect(self) -> str:
        return self._database.dialect

    async def fetch(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> Sequence[Row[Any]]:
        async with self._lock:
            if self._conn is None:
                self._cm = self._database.read_connection()
                self._conn = await self._cm.__aenter__()
            direct = self._database.direct_reads.get(statement)
            if direct is not None:
                rows = await direct.fetch(self._conn, parameters)
                if rows is not None:
                    return rows
            result = await self._conn.execute(statement, parameters)
            self._database.direct_reads.learn(statement, result)
            return result.all()

    async def close(self) -> None:
        if self._cm is not None:
            cm, self._cm, self._conn = self._cm, None, None
            await cm.__aexit__(None, None, None)
