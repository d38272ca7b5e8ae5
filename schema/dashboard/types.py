"""The dashboard (SPEC §5 manufacturer portal: dashboard stats, urgent jobs, activity; BR-9,
BR-10), scoped to the viewer like the jobs list: a manufacturer sees its own jobs, staff
holding VIEW_JOBS for every record see them all.

The whole dashboard costs a fixed number of SQL statements: one for the stats, one for the
urgent jobs, one for the activity feed, and one batched load per relation the query selects.
Payment due (BR-10 `paymentDue`, NET30/NET60) is finance's report (schema/finance/reports.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import ColumnElement, FromClause
from strawberry.types import Info

from auth.permissions import Permission, grant
from resolvers.dashboard import sources as dashboard
from schema.context import request_context
from schema.errors import bad_user_input
from schema.execution.relations import Lazy
from schema.node import build_nodes, load_node, visibility
from schema.signatures import declare

if TYPE_CHECKING:
    from domain.jobs import JobStatus
    from schema.finance.reports import PaymentDue
    from schema.jobs.types import ManufacturingJob

_ACTIVE = (
    "Active means not finished: every status but SHIPPED and DECLINED (BR-10 counts jobs not "
    "shipped; a declined job's work continues in its backup job, so it is not counted twice). "
    "Jobs waiting for assignment are active."
)


def _job_type() -> type[Any]:
    from schema.jobs.types import ManufacturingJob

    return ManufacturingJob


def _order_type() -> type[Any]:
    from schema.orders.types import Order

    return Order


@strawberry.enum(description="What kind of record an activity entry is about.")
class ActivityEntityType(Enum):
    MANUFACTURING_JOB = strawberry.enum_value(
        dashboard.JOB_ENTITY, description="A manufacturing job (its `job` is set)."
    )
    ORDER = strawberry.enum_value(
        dashboard.ORDER_ENTITY, description="An order (its `order` is set)."
    )


@strawberry.type(description="How many of the visible jobs are in one status.")
class JobStatusCount:
    status: Annotated[JobStatus, strawberry.lazy("schema.jobs.types")] = strawberry.field(
        description="The status."
    )
    count: int = strawberry.field(description="How many visible jobs are in it (0 included).")


@strawberry.type(description="Counts over the jobs you may see (BR-10).")
class DashboardStats:
    active_jobs: int = strawberry.field(description=f"Jobs still to finish. {_ACTIVE}")
    due_this_week: int = strawberry.field(
        description="Active jobs due from today (UTC) to 7 days from today, both included."
    )
    overdue_count: int = strawberry.field(
        description="Active jobs whose due date has passed (before today, UTC)."
    )
    jobs_by_status: list[JobStatusCount] = strawberry.field(
        description="Every job status with its count, zeros included, in workflow order."
    )


def _changed(kind: ActivityEntityType, target: Lazy, description: str) -> Any:
    """The record an entry is about, on the field of its kind (null on the other one)."""

    async def resolve(self: Any, info: Info[Any, Any]) -> Any:
        if self.entity_type is not kind:
            return None
        return await load_node(info, target.resolve(), self.entity_id)

    declare(resolve, [], target.annotation() | None)
    return strawberry.field(resolver=resolve, description=description)


@strawberry.type(description="One status change of a job or an order you may see.")
class ActivityEntry:
    entity_id: strawberry.Private[uuid.UUID]
    occurred_at: datetime = strawberry.field(description="When it happened (UTC).")
    entity_type: ActivityEntityType = strawberry.field(
        description="What changed: a job or an order."
    )
    from_status: str = strawberry.field(description="The status before (raw value).")
    to_status: str = strawberry.field(description="The status after (raw value).")
    reason: str | None = strawberry.field(description="Why, when the move takes a reason.")
    actor_role: str | None = strawberry.field(
        description="The role of who made the change; null for the system."
    )
    summary: str = strawberry.field(description='One line, e.g. "MFG-2026-001A moved to QC".')

    job = _changed(
        ActivityEntityType.MANUFACTURING_JOB,
        Lazy("ManufacturingJob", "schema.jobs.types"),
        "The job that changed (null for an order's change).",
    )
    order = _changed(
        ActivityEntityType.ORDER,
        Lazy("Order", "schema.orders.types"),
        "The order that changed (null for a job's change).",
    )


# Answers a dashboard list, given the dashboard, the request and the checked limit.
Load = Callable[[Any, Info[Any, Any], int], Awaitable[Any]]


def _at_most(maximum: int, limit: str, description: str, returns: Any, load: Load) -> Any:
    """A dashboard list of `limit: Int! = maximum` items, refused unless 1 to `maximum`."""

    async def resolve(self: Any, info: Info[Any, Any], limit: int) -> Any:
        if not 1 <= limit <= maximum:
            raise bad_user_input(f"limit must be between 1 and {maximum}")
        return await load(self, info, limit)

    argument = Annotated[int, strawberry.argument(description=limit)]
    declare(resolve, [("limit", argument)], returns, default=maximum)
    return strawberry.field(resolver=resolve, description=description)


async def _urgent_jobs(board: Dashboard, info: Info[Any, Any], limit: int) -> list[Any]:
    context = request_context(info)
    rows = await dashboard.urgent_jobs(
        context.reader, board.jobs, board.conditions, board.today, limit
    )
    context.loaders.prime(board.jobs, rows)
    job_type = _job_type()
    return build_nodes(job_type, rows)


async def _activity(board: Dashboard, info: Info[Any, Any], limit: int) -> list[ActivityEntry]:
    context = request_context(info)
    orders: tuple[FromClause, list[ColumnElement[bool]]] | None = None
    if grant(context.actor.role, Permission.VIEW_ORDERS) is not None:
        seen = visibility(info, _order_type())
        orders = (seen.binding.source, seen.conditions())
    entries = await dashboard.activity(context.reader, board.jobs, board.conditions, orders, limit)
    return [
        ActivityEntry(
            entity_id=entry.entity_id,
            occurred_at=entry.occurred_at,
            entity_type=ActivityEntityType(entry.entity_type),
            from_status=entry.from_status,
            to_status=entry.to_status,
            reason=entry.reason,
            actor_role=entry.actor_role,
            summary=entry.summary,
        )
        for entry in entries
    ]


@strawberry.type(
    description="Your dashboard: counts, urgent jobs and recent activity over the jobs you "
    "may see (a manufacturer: its own; staff: all)."
)
class Dashboard:
    jobs: strawberry.Private[FromClause]
    conditions: strawberry.Private[list[ColumnElement[bool]]]
    today: date = strawberry.field(
        description="The date (UTC) the due dates are compared with: today."
    )

    @strawberry.field(description="Job counts (BR-10); payment due is `paymentDue`.")
    async def stats(self, info: Info[Any, Any]) -> DashboardStats:
        reader = request_context(info).reader
        stats = await dashboard.job_stats(reader, self.jobs, self.conditions, self.today)
        return DashboardStats(
            active_jobs=stats.active_jobs,
            due_this_week=stats.due_this_week,
            overdue_count=stats.overdue_count,
            jobs_by_status=[
                JobStatusCount(status=status, count=count)
                for status, count in stats.jobs_by_status.items()
            ],
        )

    @strawberry.field(
        description="What we owe that falls due within `withinDays` days (overdue included), "
        "split by payment terms (BR-10: NET30 and NET60), per currency: every manufacturer "
        "for finance, a manufacturer what we owe it; null (FORBIDDEN) for roles that may not "
        "read invoices.",
    )
    async def payment_due(
        self,
        info: Info[Any, Any],
        within_days: Annotated[
            int,
            strawberry.argument(
                description="Due within this many days from today, 0 to 3650 (overdue included)."
            ),
        ] = 30,
    ) -> list[Annotated[PaymentDue, strawberry.lazy("schema.finance.reports")]] | None:
        from schema.finance.reports import owed_payment_due

        return await owed_payment_due(info, within_days)

    urgent_jobs = _at_most(
        dashboard.URGENT_LIMIT,
        f"How many, 1 to {dashboard.URGENT_LIMIT} (a dashboard shows 5).",
        "Active jobs due within 48 hours or overdue (BR-9): overdue first, then "
        "by days until due, ascending (ties by job number).",
        list[Annotated["ManufacturingJob", strawberry.lazy("schema.jobs.types")]],
        _urgent_jobs,
    )

    activity = _at_most(
        dashboard.ACTIVITY_LIMIT,
        f"How many, 1 to {dashboard.ACTIVITY_LIMIT}.",
        "The latest status changes, newest first: of the jobs you may see and, if "
        "you may read orders, of the orders you may see.",
        list[ActivityEntry],
        _activity,
    )
