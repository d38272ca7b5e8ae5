"""Writing notifications, for every domain: a notice is added in the transaction of the change
it announces, so a rolled-back change notifies nobody (SPEC §1.2 Notification)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ManufacturingJob, Notification
from domain.notifications import NotificationAudience, NotificationPriority, NotificationType


def notify_manufacturer(
    session: AsyncSession,
    manufacturer_id: uuid.UUID,
    type: NotificationType,
    title: str,
    message: str,
    *,
    job_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    priority: NotificationPriority = NotificationPriority.NORMAL,
) -> Notification:
    notification = Notification(
        audience=NotificationAudience.MANUFACTURER,
        manufacturer_id=manufacturer_id,
        type=type,
        title=title,
        message=message,
        job_id=job_id,
        order_id=order_id,
        priority=priority,
    )
    session.add(notification)
    return notification


def notify_admins(
    session: AsyncSession,
    type: NotificationType,
    title: str,
    message: str,
    *,
    job_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    priority: NotificationPriority = NotificationPriority.NORMAL,
) -> Notification:
    notification = Notification(
        audience=NotificationAudience.ADMIN,
        type=type,
        title=title,
        message=message,
        job_id=job_id,
        order_id=order_id,
        priority=priority,
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
        job_id=job.id,
        order_id=job.order_id,
    )
