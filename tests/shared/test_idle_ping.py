"""Pooled PostgreSQL connections are pinged only after idling (db/idle_ping.py): a busy
pool costs no round trips before each request, and an idle connection the server has
dropped is replaced before a request can fail on it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from db import engine as engines
from db.engine import Database
from db.idle_ping import ping_when_idle
from tests.support.spies import spy


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _backend_pid(engine: Any) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


@pytest.fixture
async def pinged(database: Database, monkeypatch: pytest.MonkeyPatch) -> Any:
    if database.dialect != "postgresql":
        pytest.skip("pooled server connections are PostgreSQL's")
    clock = Clock()
    engine = create_async_engine(database.url, pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_seconds=2.0, clock=clock)
    pings = spy(monkeypatch, engine.dialect, "do_ping")
    yield engine, clock, pings
    await engine.dispose()


async def test_a_connection_in_steady_use_is_not_pinged(pinged: Any) -> None:
    engine, clock, pings = pinged
    pids = set()
    for _ in range(5):
        pids.add(await _backend_pid(engine))
        clock.now += 1.0  # back within the idle limit every time

    assert len(pids) == 1 and pings == []


async def test_an_idle_connection_the_server_dropped_is_replaced_before_use(
    pinged: Any, database: Database
) -> None:
    engine, clock, pings = pinged
    dropped = await _backend_pid(engine)
    async with database.engine.connect() as admin:
        await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
    clock.now += 3.0

    replaced = await _backend_pid(engine)

    assert replaced != dropped and len(pings) == 1


async def test_the_app_engine_pings_idle_connections_instead_of_every_checkout(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database.dialect != "postgresql":
        pytest.skip("pooled server connections are PostgreSQL's")
    installed = spy(monkeypatch, engines, "ping_when_idle")
    app_database = Database(database.url)
    try:
        assert [args[0] for args in installed] == [app_database.engine]
        assert not app_database.engine.pool._pre_ping
    finally:
        await app_database.dispose()
