"""In-app notifications (SPEC §1.2 Notification): written in the transaction of the change
they announce, so a rolled-back change notifies nobody."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypedDict, Unpack

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import owns
from auth.actor import Actor
from auth.permissions import Permission, Scope, grant
from db.models import ManufacturingJob, Notification
from domain.errors import ErrorCode, Problem, UserErrors
from domain.jobs import NotificationAudience, NotificationPriority, NotificationType
from resolvers import writes
from resolvers.ids import decode_input_id
from resolvers.owners import MANUFACTURER_RECORD

MAX_MARK = 100


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


async def notify_admins_of_job_change(ctx: Any) -> None:
    """SPEC §2.1: every job transition gives the admins a low-priority notice."""
    job: ManufacturingJob = ctx.entity
    move = ctx.move
    notify_admins(
        ctx.session,
        NotificationType.STATUS_CHANGED,
        f"{job.job_number}: {move.source.value} → {move.target.value}",
        f"Job {job.job_number} moved from {move.source.value} to {move.target.value}"
        + (f" ({ctx.reason})" if ctx.reason else ""),
        **about(job),
        priority=NotificationPriority.LOW,
    )


# -- reading them --------------------------------------------------------------------------


async def mark_read(session: AsyncSession, actor: Actor, ids: Sequence[str]) -> list[Notification]:
    """Mark the named notifications read; any the caller may not see is NOT_FOUND (and none
    is marked)."""
    if len(ids) > MAX_MARK:
        raise UserErrors.one(
            ErrorCode.VALIDATION, f"At most {MAX_MARK} ids per call", ("input", "ids")
        )
    problems: list[Problem] = []
    found: list[Notification] = []
    for index, global_id in enumerate(ids):
        field = ("input", "ids", str(index))
        try:
            pk = decode_input_id(global_id, "Notification", "ids")
        except UserErrors as exc:
            problems.extend(Problem(p.code, p.message, field) for p in exc.problems)
            continue
        notification = await session.get(Notification, pk)
        if notification is None or not owns(
            actor, Permission.VIEW_NOTIFICATIONS, MANUFACTURER_RECORD, notification.manufacturer_id
        ):
            problems.append(
                Problem(ErrorCode.NOT_FOUND, f"No Notification with ID {global_id}", field)
            )
            continue
        found.append(notification)
    if problems:
        raise UserErrors(problems)
    for notification in found:
        await _mark(session, actor, notification)
    return found


def followed_audience(
    restricted: bool, asked: NotificationAudience | None
) -> NotificationAudience | None:
    """Whose notifications a viewer follows: staff the audience they ask for (the admins'
    by default); a manufacturer only its own (MANUFACTURER), and none when it asks for
    another audience."""
    if not restricted:
        return asked or NotificationAudience.ADMIN
    if asked in (None, NotificationAudience.MANUFACTURER):
        return NotificationAudience.MANUFACTURER
    return None


async def mark_all_read(
    session: AsyncSession, actor: Actor, audience: NotificationAudience | None
) -> int:
    """Mark every unread notification of the caller read: a manufacturer's own; for staff
    those of `audience` (the admins' by default). Returns how many were marked."""
    restricted = grant(actor.role, Permission.VIEW_NOTIFICATIONS) is not Scope.ALL
    followed = followed_audience(restricted, audience)
    if followed is None:
        return 0
    stmt = select(Notification).where(
        Notification.is_read.is_(False), Notification.audience == followed
    )
    if restricted:
        stmt = stmt.where(Notification.manufacturer_id == actor.manufacturer_id)
    unread = list((await session.scalars(stmt.with_for_update())).all())
    for notification in unread:
        await _mark(session, actor, notification)
    return len(unread)


async def _mark(session: AsyncSession, actor: Actor, notification: Notification) -> None:
    if not notification.is_read:
        await writes.update(
            session, actor, notification, {"is_read": True, "read_at": datetime.now(UTC)}
        )
