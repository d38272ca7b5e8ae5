"""Job root query fields: the jobs list and lookup, the assignment queue."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from resolvers.jobs import sources as job_sources
from schema.jobs.lists import JOBS, PENDING_ASSIGNMENTS
from schema.jobs.types import ManufacturingJob
from schema.lookups import lookup_field


@strawberry.type
class JobQuery:
    manufacturing_jobs = JOBS.field(
        description="Manufacturing jobs you may see (a manufacturer: its own), by due date "
        "(overdue first) unless ordered."
    )

    manufacturing_job = lookup_field(
        ManufacturingJob,
        job_sources.JOBS,
        Permission.VIEW_JOBS,
        "One manufacturing job by ID or by job number; null when it does not "
        "exist or is not yours to see.",
        id="Its ID.",
        job_number='Its job number, e.g. "MFG-2026-001A".',
    )

    pending_assignments = PENDING_ASSIGNMENTS.field(
        description="Jobs waiting for a manufacturer (PENDING_ASSIGNMENT) whose order is not "
        "canceled, oldest first: the manual assignment queue."
    )
