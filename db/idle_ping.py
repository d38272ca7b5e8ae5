"""Pooled PostgreSQL connections are pinged before use only when they have sat idle.

SQLAlchemy's `pool_pre_ping` pings on every checkout. On asyncpg outside a transaction that
is three round trips (BEGIN, ";", ROLLBACK) before each request's first statement: ~5% of an
ops board's CPU, and three waits on the database. A connection in steady use proves itself
with every request; one that has idled may have been cut by a server restart, a failover or
a network timeout, so it is pinged first and, if the ping fails, replaced before the request
uses it (SQLAlchemy's pessimistic disconnect handling, through the pool's checkout event).
A connection cut while in steady use fails one request, and SQLAlchemy then invalidates it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine

# How long a connection may sit in the pool before it is pinged on its next use.
IDLE_SECONDS = 2.0
_RETURNED_AT = "opsgraph_returned_at"


def ping_when_idle(
    engine: AsyncEngine,
    idle_seconds: float = IDLE_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Ping a connection on checkout when it was returned over `idle_seconds` ago. New
    connections are not pinged: connecting proved them."""
    dialect = engine.dialect

    def returned(dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = clock()

    def borrowed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned_at = record.info.get(_RETURNED_AT)
        if returned_at is None or clock() - returned_at < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool replaces the connection and checks out again.
            raise DisconnectionError("an idle pooled connection failed its ping") from error

    event.listen(engine.sync_engine, "checkin", returned)
    event.listen(engine.sync_engine, "checkout", borrowed)
