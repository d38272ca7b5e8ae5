"""What the job lists read from, and how their filters become SQL.

Rows hanging off a job (items, notes, photos, issues) are read joined with their job, so each
row carries the job's `manufacturer_id`: the ownership rule (a manufacturer sees only its own
jobs' rows) is applied where the rows are loaded, like for the jobs themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import ColumnElement, FromClause, Table, and_, select

from db.models import (
    JobIssue,
    JobItem,
    JobNote,
    JobPhoto,
    ManufacturingJob,
    Order,
    OrderItem,
)
from domain.jobs import JobStatus
from domain.orders import OrderStatus
from resolvers.files import FILES, held_files
from resolvers.filters import containing, equal, one_of

# Lists read the table itself: sorting by `due_date` (nulls last, resolvers.pagination) uses
# its index, where a computed sort value made every page sort the whole table.
JOBS: Table = ManufacturingJob.__table__  # type: ignore[assignment]

# BR-9: urgent means due within 48 hours (today, tomorrow or the day after) or overdue.
URGENT_WITHIN = timedelta(days=2)
# Jobs that are done with (or never started): never urgent.
NOT_URGENT_STATUSES = (JobStatus.SHIPPED, JobStatus.DECLINED)


def _with_job(table: Table, name: str, *extra: ColumnElement[object]) -> FromClause:
    """`table`'s rows with their job's manufacturer (the owner of the row)."""
    return (
        select(table, JOBS.c.manufacturer_id, *extra)
        .select_from(table.join(JOBS, JOBS.c.id == table.c.job_id))
        .subquery(name)
    )


def _job_items() -> FromClause:
    items: Table = JobItem.__table__  # type: ignore[assignment]
    lines: Table = OrderItem.__table__  # type: ignore[assignment]
    return (
        select(
            items,
            lines.c.variant_id,
            lines.c.size,
            lines.c.technique,
            lines.c.position,
            JOBS.c.manufacturer_id,
        )
        .select_from(
            items.join(lines, lines.c.id == items.c.order_item_id).join(
                JOBS, JOBS.c.id == items.c.job_id
            )
        )
        .subquery("job_items_with_line")
    )


JOB_ITEMS: FromClause = _job_items()
JOB_NOTES: FromClause = _with_job(JobNote.__table__, "job_notes_with_owner")  # type: ignore[arg-type]
JOB_PHOTOS: FromClause = _with_job(JobPhoto.__table__, "job_photos_with_owner")  # type: ignore[arg-type]
JOB_ISSUES: FromClause = _with_job(JobIssue.__table__, "job_issues_with_owner")  # type: ignore[arg-type]


def _job_photo_files() -> FromClause:
    """Stored files of job photos: read with the photo's rule (its job's manufacturer owns
    the file)."""
    photos: Table = JobPhoto.__table__  # type: ignore[assignment]
    joined = FILES.join(photos, photos.c.file_id == FILES.c.id).join(
        JOBS, JOBS.c.id == photos.c.job_id
    )
    return held_files("JobPhoto", joined, JOBS.c.manufacturer_id)


JOB_PHOTO_FILES: FromClause = _job_photo_files()


def is_urgent(status: JobStatus, due_date: date | None, today: date) -> bool:
    """BR-9 for one job."""
    if due_date is None or status in NOT_URGENT_STATUSES:
        return False
    return due_date <= today + URGENT_WITHIN


def urgent_condition(today: date, urgent: bool = True) -> ColumnElement[bool]:
    """BR-9 in SQL, the same rule as `is_urgent`."""
    t = JOBS.c
    condition = and_(
        t.due_date.is_not(None),
        t.status.not_in(NOT_URGENT_STATUSES),
        t.due_date <= today + URGENT_WITHIN,
    )
    return condition if urgent else ~condition


def job_conditions(
    *,
    statuses: Sequence[JobStatus] | None = None,
    manufacturer_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    product_family_id: uuid.UUID | None = None,
    due_after: date | None = None,
    due_before: date | None = None,
    search: str | None = None,
    urgent: bool | None = None,
    today: date,
) -> list[ColumnElement[bool]]:
    t = JOBS.c
    conditions = [
        *one_of(t.status, statuses),
        *equal(
            (t.manufacturer_id, manufacturer_id),
            (t.order_id, order_id),
            (t.product_family_id, product_family_id),
        ),
    ]
    if due_after is not None:
        conditions.append(t.due_date >= due_after)
    if due_before is not None:
        conditions.append(t.due_date <= due_before)
    conditions += containing([t.job_number], search)
    if urgent is not None:
        conditions.append(urgent_condition(today, urgent))
    return conditions


def pending_assignment_conditions() -> list[ColumnElement[bool]]:
    """Jobs waiting for a manufacturer whose order still stands."""
    orders = Order.__table__
    live_orders = select(orders.c.id).where(orders.c.status != OrderStatus.CANCELED)
    return [
        JOBS.c.status == JobStatus.PENDING_ASSIGNMENT,
        JOBS.c.order_id.in_(live_orders),
    ]
