"""Which real services the tests may use, and what to do when one is missing.

PostgreSQL and Redis tests skip with a reason when the service is unreachable, unless
OPSGRAPH_REQUIRE_SERVICES=1 (CI), when they fail instead.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
import redis.asyncio as redis
from sqlalchemy import make_url, text

from db.engine import Database

# The database the run was given; under pytest-xdist each worker uses a database of its own
# beside it, created on first use (see `for_this_worker`).
GIVEN_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
GIVEN_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# "gw0", "gw1", ... in a pytest-xdist worker; absent in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def worker_index(worker: str | None = WORKER) -> int:
    return int(worker.removeprefix("gw")) if worker else 0


def database_for_worker(url: str, worker: str | None = WORKER) -> str:
    """`test` → `test_gw1`: workers truncate their database before every test, so they
    cannot share one. The change-log pub/sub channel names the database
    (subscriptions.hub.pubsub_channel), so workers' live events do not mix either."""
    if worker is None:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def redis_for_worker(url: str, worker: str | None = WORKER) -> str:
    """Database 15 → 15 - N for worker gwN: rate-limit and cache keys stay apart."""
    if worker is None:
        return url
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number or 0) - worker_index(worker)}"


TEST_DATABASE_URL = database_for_worker(GIVEN_DATABASE_URL)
TEST_REDIS_URL = redis_for_worker(GIVEN_REDIS_URL)
REQUIRE_SERVICES = os.environ.get("OPSGRAPH_REQUIRE_SERVICES") == "1"
BACKENDS = [
    b.strip()
    for b in os.environ.get("OPSGRAPH_TEST_BACKENDS", "postgresql,sqlite").split(",")
    if b.strip()
]


def unavailable(service: str, reason: str) -> None:
    message = f"{service} unavailable: {reason}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (OPSGRAPH_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def _unreachable(probe: Callable[[], Coroutine[Any, Any, None]]) -> str | None:
    """Why `probe` could not reach its service, or None when it did."""
    try:
        asyncio.run(probe())
    except Exception as exc:  # any failure to connect is "unreachable"
        return f"{type(exc).__name__}: {exc}"
    return None


def postgres_reachable() -> str | None:
    """Whether the given server answers (a worker's own database may not exist yet)."""

    async def probe() -> None:
        database = Database(GIVEN_DATABASE_URL)
        try:
            await asyncio.wait_for(database.ping(), timeout=5)
        finally:
            await database.dispose()

    return _unreachable(probe)


def redis_reachable() -> str | None:
    async def probe() -> None:
        async with redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2) as client:
            await client.ping()

    return _unreachable(probe)


async def create_worker_database() -> None:
    """The worker's own PostgreSQL database, made beside the given one if missing."""
    if TEST_DATABASE_URL == GIVEN_DATABASE_URL:
        return
    name = make_url(TEST_DATABASE_URL).database
    admin = Database(GIVEN_DATABASE_URL)
    try:
        async with admin.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
