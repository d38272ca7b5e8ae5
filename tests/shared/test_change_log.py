"""The change log: what a committed transaction records, and what a rolled-back one does not.

Subscriptions are only as good as this: one record per changed row per commit, channels that
reach the right followers, cursors in commit order without gaps.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db.change_log import changes_since, cursor_state, prune
from db.models import ChangeRecord, JobNote, ManufacturingJob, Order
from domain.enums import ChangeType
from domain.jobs import NoteAuthorRole
from domain.orders import OrderPriority, OrderStatus
from resolvers.ids import decode_id
from tests.support import factories, seeding


async def _log(database, after: int = 0):
    async with database.read_connection() as conn:
        return await changes_since(conn, after)


async def test_one_record_per_row_per_commit_with_the_values_before_the_transaction(database):
    order = await seeding.order(database)
    start, _ = await _cursor(database)
    async with database.transaction() as session:
        row = await session.get(Order, order.id)
        assert row is not None
        row.priority = OrderPriority.RUSH
        await session.flush()
        row.status, row.notes = OrderStatus.SUBMITTED, "twice in one transaction"
    (record,) = await _log(database, start)
    assert record.event_type is ChangeType.UPDATE and record.table == "orders"
    assert record.changed_fields == ("notes", "priority", "status")
    assert record.old == {"priority": "standard", "status": "draft", "notes": None}
    assert record.new["status"] == "submitted" and record.new["priority"] == "rush"
    assert record.channels == (f"order:{order.id}",)
    assert record.cursor == start + 1


async def _cursor(database) -> tuple[int, int]:
    async with database.read_connection() as conn:
        return await cursor_state(conn)


async def test_a_rollback_records_nothing_and_draws_no_cursor(database):
    order = await seeding.order(database)
    start = await _cursor(database)
    with pytest.raises(RuntimeError):
        async with database.transaction() as session:
            row = await session.get(Order, order.id)
            assert row is not None
            row.notes = "never"
            await session.flush()
            raise RuntimeError("fails after the write")
    assert await _cursor(database) == start
    assert await _log(database, start[0]) == []


async def test_created_and_deleted_in_one_transaction_is_no_change(database):
    job = await seeding.job(database, manufacturer_id=None)
    start, _ = await _cursor(database)
    async with database.transaction() as session:
        note = JobNote(job_id=job.id, content="oops", author_role=NoteAuthorRole.ADMIN)
        session.add(note)
        await session.flush()
        await session.delete(note)
    assert await _log(database, start) == []


async def test_a_reassigned_job_reaches_both_manufacturers_and_a_note_its_manufacturer(
    database, client
):
    first, second = [decode_id((await factories.manufacturer(client))["id"])[1] for _ in "ab"]
    job = await seeding.job(database, manufacturer_id=first)
    start, _ = await _cursor(database)
    async with database.transaction() as session:
        row = await session.get(ManufacturingJob, job.id)
        assert row is not None
        row.manufacturer_id = second
        session.add(JobNote(job_id=job.id, content="moved", author_role=NoteAuthorRole.ADMIN))
    by_table = {r.table: r for r in await _log(database, start)}
    moved, noted = by_table["manufacturing_jobs"], by_table["job_notes"]
    assert set(moved.channels) == {
        f"job:{job.id}",
        "jobs",
        f"manufacturer:{first}:jobs",
        f"manufacturer:{second}:jobs",
    }
    assert moved.old == {"manufacturer_id": str(first)}
    assert noted.table == "job_notes" and noted.event_type is ChangeType.INSERT
    assert set(noted.channels) == {f"job:{job.id}", "jobs", f"manufacturer:{second}:jobs"}


async def test_concurrent_commits_get_gap_free_cursors_in_commit_order(database):
    orders = [await seeding.order(database) for _ in range(12)]
    start, _ = await _cursor(database)

    async def touch(order_id) -> None:
        async with database.transaction() as session:
            row = await session.get(Order, order_id, with_for_update=True)
            assert row is not None
            row.notes = "touched"
            await asyncio.sleep(0)

    await asyncio.gather(*(touch(o.id) for o in orders))
    records = await _log(database, start)
    assert [r.cursor for r in records] == list(range(start + 1, start + 13))
    stamps = [r.committed_at for r in records]
    assert stamps == sorted(stamps)
    assert {r.entity_id for r in records} == {o.id for o in orders}


async def test_pruning_forgets_old_changes_and_remembers_how_far(database):
    await seeding.order(database)
    newest, _ = await _cursor(database)
    async with database.transaction() as session:
        assert await prune(session, datetime.now(UTC) - timedelta(days=1)) == 0
        removed = await prune(session, datetime.now(UTC) + timedelta(seconds=1))
    assert removed == newest
    assert await _cursor(database) == (newest, newest)
    async with database.transaction() as session:
        assert (await session.scalars(select(ChangeRecord))).all() == []


def test_prune_changes_command(settings, tmp_path):
    env = {
        "DATABASE_URL": settings.database_url,
        "OPSGRAPH_CHANGE_RETENTION_DAYS": "7",
        "OPSGRAPH_DEV_SECRETS_FILE": str(tmp_path / "secrets.json"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "app.py", "prune-changes"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "older than 7 days removed" in done.stdout
