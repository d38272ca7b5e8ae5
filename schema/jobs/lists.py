"""Filter and ordering inputs of the job and notification lists, and their SQL."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry
from sqlalchemy import ColumnElement

from domain.jobs import JobStatus, NotificationAudience, NotificationType
from resolvers import job_sources
from resolvers.pagination import SortKey
from schema.connections import OrderDirection
from schema.jobs import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.lists import filter_id

_DIRECTION = "Sort direction; ascending by default."


@strawberry.enum(description="Fields manufacturing jobs can be sorted by.")
class ManufacturingJobOrderField(Enum):
    DUE_DATE = strawberry.enum_value(
        "due_date", description="By due date (jobs without one last when ascending)."
    )
    CREATED_AT = strawberry.enum_value("created_at", description="By creation time.")
    JOB_NUMBER = strawberry.enum_value("job_number", description="By job number.")
    STATUS = strawberry.enum_value("status", description="By status (alphabetically).")


@strawberry.input(description="One sort key for manufacturing jobs.")
class ManufacturingJobOrder:
    field: ManufacturingJobOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


# BR-9's order: overdue first, then by days until due; then by job number.
JOB_DEFAULT_ORDER = (SortKey("due_date"), SortKey("job_number"))
# The assignment queue: oldest first.
PENDING_ORDER = (SortKey("created_at"),)


@strawberry.input(description="Narrows a list of manufacturing jobs. All given fields must match.")
class ManufacturingJobFilter:
    statuses: list[JobStatus] | None = strawberry.field(
        default=None, description="Only jobs in one of these statuses."
    )
    manufacturer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only jobs of this manufacturer."
    )
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only jobs of this order."
    )
    product_family_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only jobs of this product family."
    )
    due_after: date | None = strawberry.field(
        default=None, description="Only jobs due on or after this date."
    )
    due_before: date | None = strawberry.field(
        default=None, description="Only jobs due on or before this date."
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the job number."
    )
    urgent: bool | None = strawberry.field(
        default=None,
        description="Only urgent jobs (true) or only the others (false). Urgent (BR-9): not "
        "shipped or declined, and due within 48 hours or overdue.",
    )

    def conditions(self, today: date) -> list[ColumnElement[bool]]:
        return job_sources.job_conditions(
            statuses=self.statuses,
            manufacturer_id=filter_id(self.manufacturer_id, "Manufacturer", "manufacturerId"),
            order_id=filter_id(self.order_id, "Order", "orderId"),
            product_family_id=filter_id(self.product_family_id, "ProductFamily", "productFamilyId"),
            due_after=self.due_after,
            due_before=self.due_before,
            search=self.search,
            urgent=self.urgent,
            today=today,
        )


@strawberry.input(description="Narrows a list of notifications. All given fields must match.")
class NotificationFilter:
    unread: bool | None = strawberry.field(
        default=None, description="Only unread (true) or only read (false) notifications."
    )
    types: list[NotificationType] | None = strawberry.field(
        default=None, description="Only these types."
    )
    audience: NotificationAudience | None = strawberry.field(
        default=None,
        description="Whose notifications: staff see the admins' by default; a manufacturer "
        "only ever sees its own.",
    )
