"""Read the database directly, to prove what a mutation did (or did not) change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from db.base import Base
from db.engine import Database
from db.models import AuditLog


async def row_counts(database: Database) -> dict[str, int]:
    counts = {}
    async with database.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = (
                await conn.execute(select(func.count()).select_from(table))
            ).scalar_one()
    return counts


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: equal snapshots mean nothing changed."""
    result = {}
    async with database.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = (await conn.execute(select(table).order_by(*table.primary_key.columns))).all()
            result[table.name] = [tuple(r) for r in rows]
    return result


async def audit_entries(database: Database) -> list[AuditLog]:
    async with database.transaction() as session:
        return list((await session.scalars(select(AuditLog).order_by(AuditLog.occurred_at))).all())
