"""The benchmarks' own PostgreSQL databases: created when missing, never any other."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine


async def ensure_database(url: str) -> None:
    """Create the database `url` names when it does not exist (a postgresql+asyncpg URL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit("the benchmarks run on PostgreSQL: pass a postgresql+asyncpg:// URL")
    # CREATE DATABASE cannot run in a transaction: autocommit, on the maintenance database.
    server = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as conn:
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            )
            if not exists:
                await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        await server.dispose()
