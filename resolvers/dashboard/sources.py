"""The manufacturer-portal dashboard (SPEC §5 "dashboard/stats|urgent|activity", BR-9, BR-10).

Every figure is computed in SQL over the jobs the viewer may see (the caller passes the
visibility conditions of the jobs list), one statement per part: the stats, the urgent jobs
and the activity feed cost one statement each whatever the number of jobs.

Definitions (the descriptions in schema/dashboard/types.py say the same):
- active: not finished, i.e. not in a terminal status of the job workflow (SHIPPED, and
  DECLINED, whose work continues in its backup job). BR-10 says "not shipped"; a declined
  job counted too would count the same work twice. PENDING_ASSIGNMENT jobs are active: they
  still have to be made (only staff see them; they have no manufacturer).
- due this week: active with a due date from today to today + 7 days.
- overdue: active with a due date before today.
- urgent (BR-9): active and due within 48 hours (today + 2 days) or overdue; overdue first,
  then by days until due ascending, which is the due date ascending.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Row, and_, case, func, select, union_all

from db.models import StatusChange
from db.reader import Reader
from domain.jobs import JobStatus
from domain.orders import OrderStatus
from resolvers.jobs.sources import urgent_condition
from resolvers.jobs.workflow import JOB_WORKFLOW

JOB_ENTITY = "ManufacturingJob"
ORDER_ENTITY = "Order"

URGENT_LIMIT = 10
ACTIVITY_LIMIT = 50
DUE_THIS_WEEK = timedelta(days=7)

HISTORY: FromClause = StatusChange.__table__


def terminal_job_statuses() -> frozenset[JobStatus]:
    """The statuses the job workflow declares no move from (SHIPPED, DECLINED)."""
    return frozenset(status for status in JobStatus if JOB_WORKFLOW.is_terminal(status))


@dataclass(frozen=True)
class JobStats:
    active_jobs: int
    due_this_week: int
    overdue_count: int
    # Every JobStatus, zeros included, in the workflow's declaration order.
    jobs_by_status: dict[JobStatus, int]


async def job_stats(
    reader: Reader, jobs: FromClause, conditions: Sequence[ColumnElement[bool]], on: date
) -> JobStats:
    """BR-10's counts in one statement: per status, how many jobs, how many of them are due
    this week and how many overdue; the totals over the active statuses follow."""
    due = jobs.c.due_date
    this_week = and_(due >= on, due <= on + DUE_THIS_WEEK)
    stmt = (
        select(
            jobs.c.status,
            func.count().label("jobs"),
            func.sum(case((this_week, 1), else_=0)).label("due_this_week"),
            func.sum(case((due < on, 1), else_=0)).label("overdue"),
        )
        .where(*conditions)
        .group_by(jobs.c.status)
    )
    rows = await reader.fetch(stmt)
    by_status = dict.fromkeys(JobStatus, 0)
    terminal = terminal_job_statuses()
    active = due_this_week = overdue = 0
    for row in rows:
        status = JobStatus(row.status)
        by_status[status] = int(row.jobs)
        if status not in terminal:
            active += int(row.jobs)
            due_this_week += int(row.due_this_week or 0)
            overdue += int(row.overdue or 0)
    return JobStats(active, due_this_week, overdue, by_status)


async def urgent_jobs(
    reader: Reader,
    jobs: FromClause,
    conditions: Sequence[ColumnElement[bool]],
    on: date,
    limit: int = URGENT_LIMIT,
) -> Sequence[Row[Any]]:
    """BR-9: active jobs due within 48 hours or overdue, overdue first, then by days until
    due (both are the due date ascending); ties by job number."""
    # The same rule as ManufacturingJob.isUrgent and the jobs list's `urgent` filter (`jobs`
    # is the jobs table, resolvers.jobs.sources.JOBS, which the rule is written for).
    stmt = (
        select(jobs)
        .where(*conditions, urgent_condition(on))
        .order_by(jobs.c.due_date, jobs.c.job_number, jobs.c.id)
        .limit(limit)
    )
    return await reader.fetch(stmt)


@dataclass(frozen=True)
class Activity:
    """One status change the viewer may see, with the reference of what changed."""

    occurred_at: datetime
    entity_type: str
    entity_id: uuid.UUID
    from_status: str
    to_status: str
    reason: str | None
    actor_role: str | None
    reference: str

    @property
    def summary(self) -> str:
        """ "MFG-2026-001A moved to QC"."""
        return f"{self.reference} moved to {_label(self.entity_type, self.to_status)}"


def _label(entity_type: str, status: str) -> str:
    if entity_type == ORDER_ENTITY:
        try:
            return OrderStatus(status).value.replace("_", " ")
        except ValueError:
            return status
    return status


async def activity(
    reader: Reader,
    jobs: FromClause,
    job_conditions: Sequence[ColumnElement[bool]],
    orders: tuple[FromClause, Sequence[ColumnElement[bool]]] | None,
    limit: int = ACTIVITY_LIMIT,
) -> list[Activity]:
    """The newest status changes of the visible jobs and, when `orders` is given (the viewer
    reads orders), of the visible orders: one statement."""
    h = HISTORY.c

    def changes(source: FromClause, reference: ColumnElement[Any], entity: str) -> Any:
        return select(
            h.occurred_at,
            h.version,
            h.id,
            h.entity_type,
            h.entity_id,
            h.from_status,
            h.to_status,
            h.reason,
            h.actor_role,
            reference.label("reference"),
        ).select_from(
            HISTORY.join(source, and_(h.entity_type == entity, source.c.id == h.entity_id))
        )

    parts = [changes(jobs, jobs.c.job_number, JOB_ENTITY).where(*job_conditions)]
    if orders is not None:
        order_source, order_conditions = orders
        parts.append(
            changes(order_source, order_source.c.reference, ORDER_ENTITY).where(*order_conditions)
        )
    feed = union_all(*parts).subquery("feed") if len(parts) > 1 else parts[0].subquery("feed")
    # The rows hold Activity's fields, by name (version and id only order them).
    stmt = (
        select(*(feed.c[f.name] for f in fields(Activity)))
        .order_by(feed.c.occurred_at.desc(), feed.c.version.desc(), feed.c.id.desc())
        .limit(limit)
    )
    return [Activity(**row._mapping) for row in await reader.fetch(stmt)]
