"""Reusable helper: how many SQL statements a GraphQL request runs.

    async with count_sql() as stats:
        await client(query)
    assert stats.count == 5

Any engine in this process is counted while the block runs (the app runs in the test's task
under httpx's ASGI transport), so later domains use it as is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from db.sql_stats import SqlStats, track_sql


@asynccontextmanager
async def count_sql() -> AsyncIterator[SqlStats]:
    with track_sql() as stats:
        yield stats
