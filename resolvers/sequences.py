"""Per-year reference numbers (ORD-2026-001, MFG-…, later PO-2026-0042), gap-free under
concurrency: one atomic upsert increments the counter row and returns the new value, so two
transactions can never draw the same number (the second waits on the first's row lock)."""

from __future__ import annotations

from sqlalchemy import Table, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ReferenceSequence


async def next_value(session: AsyncSession, name: str, year: int) -> int:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ReferenceSequence.__table__
    assert isinstance(table, Table)
    statement = (
        insert(table)
        .values(name=name, year=year, value=1)
        .on_conflict_do_update(
            index_elements=[table.c.name, table.c.year],
            set_={"value": table.c.value + literal(1)},
        )
        .returning(table.c.value)
    )
    return int((await session.execute(statement)).scalar_one())
