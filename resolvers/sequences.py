"""Per-year reference numbers (ORD-2026-001, MFG-…, later PO-2026-0042), gap-free under
concurrency (db/counters.py)."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from db.counters import increment
from db.models import ReferenceSequence


async def next_value(session: AsyncSession, name: str, year: int) -> int:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    table = ReferenceSequence.__table__
    assert isinstance(table, Table)
    statement = increment(dialect, table, {"name": name, "year": year})
    return int((await session.execute(statement)).scalar_one())
