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

from db.engine import Database

TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
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
    async def probe() -> None:
        database = Database(TEST_DATABASE_URL)
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
