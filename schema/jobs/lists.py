"""The job lists: their filter inputs (and their SQL), sort keys, defaults."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.clock import today
from domain.jobs import JobStatus, PhotoStage
from resolvers.jobs import sources as job_sources
from resolvers.pagination import SortKey
from schema.inputs import optional
from schema.jobs import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.lists import ListOf, filter_values, order_input

ManufacturingJobOrder = order_input(
    "ManufacturingJob",
    "manufacturing jobs",
    due_date="By due date (jobs without one last when ascending).",
    created_at="By creation time.",
    job_number="By job number.",
    status="By status (alphabetically).",
)


_URGENT = (
    "Only urgent jobs (true) or only the others (false). Urgent (BR-9): not "
    "shipped or declined, and due within 48 hours or overdue."
)


@strawberry.input(description="Narrows a list of manufacturing jobs. All given fields must match.")
class ManufacturingJobFilter:
    statuses: list[JobStatus] | None = optional("Only jobs in one of these statuses.")
    manufacturer_id: strawberry.ID | None = optional("Only jobs of this manufacturer.")
    order_id: strawberry.ID | None = optional("Only jobs of this order.")
    product_family_id: strawberry.ID | None = optional("Only jobs of this product family.")
    due_after: date | None = optional("Only jobs due on or after this date.")
    due_before: date | None = optional("Only jobs due on or before this date.")
    search: str | None = optional("Case-insensitive substring of the job number.")
    urgent: bool | None = optional(_URGENT)

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return job_sources.job_conditions(
            **filter_values(
                self,
                manufacturer_id="Manufacturer",
                order_id="Order",
                product_family_id="ProductFamily",
            ),
            today=today(),
        )


def _pending_assignment(info: Info[Any, Any], _: None) -> Sequence[ColumnElement[bool]]:
    return job_sources.pending_assignment_conditions()


def _photos_of_stage(info: Info[Any, Any], stage: PhotoStage | None) -> list[ColumnElement[bool]]:
    return [] if stage is None else [job_sources.JOB_PHOTOS.c.stage == stage]


_TYPES = "schema.jobs.types"

JOBS = ListOf(
    "ManufacturingJob",
    _TYPES,
    job_sources.JOBS,
    # BR-9's order: overdue first, then by days until due; then by job number.
    default_order=(SortKey("due_date"), SortKey("job_number")),
    filter=ManufacturingJobFilter,
    order=ManufacturingJobOrder,
    permission=Permission.VIEW_JOBS,
)
PENDING_ASSIGNMENTS = ListOf(
    "ManufacturingJob",
    _TYPES,
    job_sources.JOBS,
    default_order=(SortKey("created_at"),),  # the assignment queue: oldest first
    where=_pending_assignment,
    permission=Permission.VIEW_ROUTING,
)
PHOTOS = ListOf(
    "JobPhoto",
    _TYPES,
    job_sources.JOB_PHOTOS,
    default_order=(SortKey("created_at", descending=True),),
    filter=PhotoStage,
    filter_argument="stage",
    where=_photos_of_stage,
)
