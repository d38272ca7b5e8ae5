"""Writing notifications, for every domain: a notice is added in the transaction of the change
it announces, so a rolled-back change notifies nobody (SPEC §1.2 Notification).

`about(job)` and `notify_new_job` are about jobs, but live here because jobs and routing both
send them and may not import each other."""

from __future__ import annotations

import uuid
from typing import TypedDict, Unpack

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ManufacturingJob, Notification
from domain.notifications import NotificationAudience, NotificationPriority, NotificationType


class Link(TypedDict, total=False):
    """What a notification links to (nothing by default)."""

    job_id: uuid.UUID
    order_id: uuid.UUID


class Notice(Link, total=False):
    priority: NotificationPriority  # NORMAL by default


def about(job: ManufacturingJob) -> Link:
    """A notice about a job links to the job and its order."""
    return {"job_id": job.id, "order_id": job.order_id}


def notify_manufacturer(
    session: AsyncSession,
    manufacturer_id: uuid.UUID,
    type: NotificationType,
    title: str,
    message: str,
    **notice: Unpack[Notice],
) -> Notification:
    return _add(
        session, NotificationAudience.MANUFACTURER, manufacturer_id, notice, type, title, message
    )


def notify_admins(
    session: AsyncSession,
    type: NotificationType,
    title: str,
    message: str,
    **notice: Unpack[Notice],
) -> Notification:
    return _add(session, NotificationAudience.ADMIN, None, notice, type, title, message)


def _add(
    session: AsyncSession,
    audience: NotificationAudience,
    manufacturer_id: uuid.UUID | None,
    notice: Notice,
    type: NotificationType,
    title: str,
    message: str,
) -> Notification:
    notification = Notification(
        audience=audience,
        manufacturer_id=manufacturer_id,
        type=type,
        title=title,
        message=message,
        **{"priority": NotificationPriority.NORMAL, **notice},
    )
    session.add(notification)
    return notification


async def notify_new_job(session: AsyncSession, job: ManufacturingJob) -> None:
    """The manufacturer a job was routed or assigned to hears about it."""
    if job.manufacturer_id is None:
        return
    due = f", due {job.due_date.isoformat()}" if job.due_date else ""
    notify_manufacturer(
        session,
        job.manufacturer_id,
        NotificationType.NEW_JOB,
        f"New job {job.job_number}",
        f"Job {job.job_number} ({job.quantity} units{due}) is waiting for you to accept it.",
        **about(job),
    )
