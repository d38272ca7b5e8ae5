"""Timestamps come back as written: aware, in UTC, to the microsecond, on either backend
(PostgreSQL reads them as ISO text, db/engine.py), whatever the server's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from db.engine import Database
from db.models import Customer
from db.reader import Reader

WRITTEN = [
    datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    datetime(2026, 1, 2, 3, 4, 5, 1, tzinfo=UTC),
    datetime(2026, 6, 30, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(1999, 12, 31, 12, 0, 0, 120_000, tzinfo=UTC),
    # Written in another offset: stored as the same instant, read back in UTC.
    datetime(2026, 3, 1, 1, 30, 0, 250_000, tzinfo=timezone(timedelta(hours=5, minutes=30))),
]


async def _write(database: Database) -> None:
    async with database.transaction() as session:
        for index, stamp in enumerate(WRITTEN):
            session.add(Customer(name=f"customer {index}", created_at=stamp))


async def _read(database: Database) -> list[datetime]:
    reader = Reader(database)
    try:
        rows = await reader.fetch(select(Customer.__table__).order_by(Customer.name))
    finally:
        await reader.close()
    return [row.created_at for row in rows]


async def test_timestamps_read_back_as_written_in_utc(database):
    await _write(database)

    read = await _read(database)

    assert read == WRITTEN
    assert all(stamp.utcoffset() == timedelta(0) for stamp in read)
    assert [stamp.microsecond for stamp in read] == [0, 1, 999_999, 120_000, 250_000]


async def test_a_server_in_another_time_zone_still_gives_utc(database):
    if database.dialect != "postgresql":
        pytest.skip("the server's time zone is PostgreSQL's setting")
    await _write(database)
    async with database.engine.connect() as conn:
        name = (await conn.execute(text("SELECT current_database()"))).scalar_one()
        await conn.execute(text(f"ALTER DATABASE \"{name}\" SET timezone TO 'Asia/Kolkata'"))
        await conn.commit()
    elsewhere = Database(database.url)
    try:
        async with elsewhere.engine.connect() as conn:
            assert (await conn.execute(text("SHOW timezone"))).scalar_one() == "UTC"
        read = await _read(elsewhere)
    finally:
        await elsewhere.dispose()
        async with database.engine.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{name}" RESET timezone'))
            await conn.commit()

    assert read == WRITTEN
    assert all(stamp.utcoffset() == timedelta(0) for stamp in read)
