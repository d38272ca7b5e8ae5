"""Health (issue 30, item 5): /readyz names the dependency that failed, and a process whose
database is behind the code's migrations refuses to start, saying what to run."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text

from db.engine import Database
from db.migrate import migration_state
from settings import Settings
from tests.support.graphql import GraphQLClient
from tests.support.live import AppProcess, process_environment


@asynccontextmanager
async def database_at(settings: Settings, revision: str) -> AsyncIterator[str]:
    """The test database recorded at `revision` (as a database a release behind looks to
    the check, which reads only the version table), the real head restored afterwards."""
    database = Database(settings.database_url)
    try:
        async with database.engine.begin() as conn:
            head = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
            await conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
        yield str(head)
    finally:
        async with database.engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": head})
        await database.dispose()


async def test_readyz_names_every_dependency(client):
    response = await client.http.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "pubsub": "ok", "migrations": "ok", "shutdown": "ok"},
        "failed": [],
    }


async def test_readyz_names_migrations_behind_the_code(settings):
    async with (
        database_at(settings, "0006") as head,
        GraphQLClient.for_settings(settings) as client,
    ):
        response = await client.http.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["migrations"]
    assert body["checks"]["migrations"] == "behind"
    assert body["migrations"] == {"database": ["0006"], "code": [head]}


async def test_a_database_migrated_by_a_newer_release_is_still_ready(settings):
    # A rolling deploy: the new release migrated, the old processes keep serving.
    async with (
        database_at(settings, "9999_from_the_future"),
        GraphQLClient.for_settings(settings) as client,
    ):
        response = await client.http.get("/readyz")
    assert response.status_code == 200


async def test_readyz_names_the_database_when_it_is_unreachable(settings):
    unreachable = replace(settings, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    async with GraphQLClient.for_settings(unreachable) as client:
        response = await client.http.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database", "migrations"]
    assert body["checks"]["database"] == "unavailable"
    assert "ConnectionRefused" not in response.text  # the detail stays in the log


async def test_start_up_refuses_a_database_behind_the_code(settings, tmp_path: Path):
    environ = process_environment(settings, tmp_path)
    async with database_at(settings, "0006"):
        process = AppProcess(environ, tmp_path / "app.log")
        await process.start()
        try:
            assert process._process is not None
            code = await asyncio.wait_for(process._process.wait(), 60)
        finally:
            await process.stop()
    log = process.log()
    assert code != 0, log
    assert "migrations are behind the code (database at 0006" in log
    assert "run `uv run app.py migrate`" in log
    assert "Traceback" not in log, log


async def test_a_freshly_migrated_database_is_neither_behind_nor_ahead(database):
    async with database.read_connection() as conn:
        state = await migration_state(conn)
    assert not state.behind and not state.ahead
    assert state.database == state.code


async def test_readyz_is_503_while_the_process_drains(client):
    await client.app.state.drain.drain()  # what SIGTERM starts (draining.py)
    response = await client.http.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["failed"]) == ("draining", ["shutdown"])
    assert body["checks"]["shutdown"] == "draining"
