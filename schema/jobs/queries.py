"""Job root query fields: the jobs list and lookup, the assignment queue, notifications."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from resolvers import job_sources
from schema.jobs.lists import JOBS, NOTIFICATIONS, PENDING_ASSIGNMENTS
from schema.jobs.types import ManufacturingJob
from schema.lookups import lookup_node
from schema.permissions import requires


@strawberry.type
class JobQuery:
    manufacturing_jobs = JOBS.field(
        description="Manufacturing jobs you may see (a manufacturer: its own), by due date "
        "(overdue first) unless ordered."
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

    pending_assignments = PENDING_ASSIGNMENTS.field(
        description="Jobs waiting for a manufacturer (PENDING_ASSIGNMENT) whose order is not "
        "canceled, oldest first: the manual assignment queue."
    )

    notifications = NOTIFICATIONS.field(
        description="In-app notifications, newest first: a manufacturer's own; for staff the "
        "admins' unless `filter.audience` says otherwise."
    )
