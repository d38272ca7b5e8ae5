"""BR-9: notices at 48 hours before the due date and when overdue, each sent once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from db.models import Notification
from domain.jobs import JobStatus
from domain.notifications import NotificationType
from resolvers.ids import decode_id
from resolvers.jobs.due_notices import send_due_notices
from tests.support import factories, seeding


async def test_due_soon_and_overdue_notices_are_sent_once(client, database):
    manufacturer = decode_id((await factories.manufacturer(client))["id"])[1]
    today = datetime.now(UTC).date()
    due_soon = await seeding.job(
        database, manufacturer_id=manufacturer, due_date=today + timedelta(days=1)
    )
    overdue = await seeding.job(
        database,
        manufacturer_id=manufacturer,
        status=JobStatus.IN_PRODUCTION,
        due_date=today - timedelta(days=3),
    )
    # Not notified: due later, already shipped, waiting for a manufacturer.
    await seeding.job(database, manufacturer_id=manufacturer, due_date=today + timedelta(days=9))
    await seeding.job(
        database, manufacturer_id=manufacturer, status=JobStatus.SHIPPED, due_date=today
    )
    await seeding.job(
        database, manufacturer_id=None, status=JobStatus.PENDING_ASSIGNMENT, due_date=today
    )

    async with database.transaction() as session:
        assert await send_due_notices(session, today) == 2
    async with database.transaction() as session:
        assert await send_due_notices(session, today) == 0
        rows = (await session.scalars(select(Notification))).all()
    assert {(n.job_id, n.type, n.manufacturer_id) for n in rows} == {
        (due_soon.id, NotificationType.DUE_SOON, manufacturer),
        (overdue.id, NotificationType.OVERDUE, manufacturer),
    }

    # The due-soon job passes its date: now it is overdue, and says so once.
    async with database.transaction() as session:
        assert await send_due_notices(session, today + timedelta(days=2)) == 1
