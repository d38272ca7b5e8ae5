"""Job root query fields: the jobs list and lookup, the assignment queue, notifications."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from domain.clock import today
from resolvers import job_sources
from resolvers.notifications import followed_audience
from resolvers.pagination import SortKey
from schema.connections import (
    After,
    Before,
    Connection,
    First,
    Last,
    Window,
    resolve_connection,
    sort_keys,
)
from schema.jobs.lists import (
    JOB_DEFAULT_ORDER,
    PENDING_ORDER,
    ManufacturingJobFilter,
    ManufacturingJobOrder,
    NotificationFilter,
)
from schema.jobs.types import ManufacturingJob, Notification
from schema.lookups import lookup_node
from schema.node import visibility
from schema.permissions import requires

OrderArg = strawberry.argument(description="Sort keys, in order; ties are broken by ID.")
FilterArg = strawberry.argument(description="Only items matching every given field.")
_NEWEST_FIRST = [SortKey("created_at", descending=True)]


@strawberry.type
class JobQuery:
    @strawberry.field(
        description="Manufacturing jobs you may see (a manufacturer: its own), by due date "
        "(overdue first) unless ordered.",
        extensions=requires(Permission.VIEW_JOBS),
    )
    async def manufacturing_jobs(
        self,
        info: Info[Any, Any],
        filter: Annotated[ManufacturingJobFilter | None, FilterArg] = None,
        order_by: Annotated[list[ManufacturingJobOrder] | None, OrderArg] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ManufacturingJob]:
        return await resolve_connection(
            info,
            ManufacturingJob,
            job_sources.JOBS,
            window=Window(first, after, last, before),
            order=sort_keys(order_by, JOB_DEFAULT_ORDER),
            conditions=filter.conditions(today()) if filter else [],
        )

    @strawberry.field(
        description="One manufacturing job by ID or by job number; null when it does not "
        "exist or is not yours to see.",
        extensions=requires(Permission.VIEW_JOBS),
    )
    async def manufacturing_job(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID | None, strawberry.argument(description="Its ID.")] = None,
        job_number: Annotated[
            str | None, strawberry.argument(description='Its job number, e.g. "MFG-2026-001A".')
        ] = None,
    ) -> ManufacturingJob | None:
        return await lookup_node(
            info, ManufacturingJob, job_sources.JOBS, {"id": id, "job_number": job_number}
        )

    @strawberry.field(
        description="Jobs waiting for a manufacturer (PENDING_ASSIGNMENT) whose order is not "
        "canceled, oldest first: the manual assignment queue.",
        extensions=requires(Permission.VIEW_ROUTING),
    )
    async def pending_assignments(
        self,
        info: Info[Any, Any],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ManufacturingJob]:
        return await resolve_connection(
            info,
            ManufacturingJob,
            job_sources.JOBS,
            window=Window(first, after, last, before),
            order=PENDING_ORDER,
            conditions=job_sources.pending_assignment_conditions(),
        )

    @strawberry.field(
        description="In-app notifications, newest first: a manufacturer's own; for staff the "
        "admins' unless `filter.audience` says otherwise.",
        extensions=requires(Permission.VIEW_NOTIFICATIONS),
    )
    async def notifications(
        self,
        info: Info[Any, Any],
        filter: Annotated[NotificationFilter | None, FilterArg] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Notification]:
        audience = filter.audience if filter else None
        if not visibility(info, Notification).restricted:
            audience = followed_audience(False, audience)
        conditions = job_sources.notification_conditions(
            audience=audience,
            unread=filter.unread if filter else None,
            types=filter.types if filter else None,
        )
        return await resolve_connection(
            info,
            Notification,
            job_sources.NOTIFICATIONS,
            window=Window(first, after, last, before),
            order=_NEWEST_FIRST,
            conditions=conditions,
        )
