"""BR-9's notices: a manufacturer hears once when a job falls due within 48 hours and once
when it is overdue. Run daily (`uv run app.py notify-due`); running it again sends nothing
twice, so a missed or repeated run is harmless."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ManufacturingJob, Notification
from domain.jobs import INACTIVE_JOB_STATUSES
from domain.notifications import NotificationPriority, NotificationType
from observability.progress import progress
from resolvers.jobs.sources import URGENT_WITHIN
from resolvers.notify import about, notify_manufacturer


async def send_due_notices(session: AsyncSession, today: date) -> int:
    """Notify each manufacturer of its active jobs due soon or overdue; returns how many
    notifications were written."""
    jobs = (
        await session.scalars(
            select(ManufacturingJob).where(
                ManufacturingJob.status.not_in(INACTIVE_JOB_STATUSES),
                ManufacturingJob.manufacturer_id.is_not(None),
                ManufacturingJob.due_date <= today + URGENT_WITHIN,
            )
        )
    ).all()
    if not jobs:
        return 0
    found = await session.execute(
        select(Notification.job_id, Notification.type).where(
            Notification.job_id.in_([job.id for job in jobs]),
            Notification.type.in_([NotificationType.DUE_SOON, NotificationType.OVERDUE]),
        )
    )
    already = {(job_id, kind) for job_id, kind in found}
    sent = 0
    for job in progress(jobs, "due notices", total=len(jobs)):
        assert job.due_date is not None and job.manufacturer_id is not None
        overdue = job.due_date < today
        kind = NotificationType.OVERDUE if overdue else NotificationType.DUE_SOON
        if (job.id, kind) in already:
            continue
        when = f"was due {job.due_date.isoformat()}" if overdue else f"is due {job.due_date}"
        notify_manufacturer(
            session,
            job.manufacturer_id,
            kind,
            f"{job.job_number} {'overdue' if overdue else 'due soon'}",
            f"Job {job.job_number} {when} and is {job.status.value}.",
            **about(job),
            priority=NotificationPriority.HIGH if overdue else NotificationPriority.NORMAL,
        )
        sent += 1
    return sent
