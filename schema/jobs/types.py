"""Manufacturing job object types. Fields read what the row holds; relations go through
loaders; what may move where comes from JOB_WORKFLOW."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

import strawberry
from strawberry.types import Info

from auth.actor import Actor
from auth.file_links import Variant as LinkVariant
from auth.permissions import Permission
from domain import jobs as job_enums
from domain.clock import today
from domain.jobs import JobStatus
from domain.orders import Technique
from domain.routing import ManufacturerSource
from resolvers.jobs import sources as job_sources
from resolvers.jobs.rules import days_until_due
from resolvers.jobs.workflow import JOB_WORKFLOW
from resolvers.pagination import SortKey
from schema.catalog.types import Manufacturer, ProductFamily, Variant
from schema.context import request_context
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.execution.relations import Lazy, children, to_one
from schema.files import file_of, signed_url
from schema.jobs import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.jobs.lists import PHOTOS
from schema.money import Money, money
from schema.node import Node
from schema.orders import enums as _order_enums  # noqa: F401 - Technique, registered there
from schema.permissions import requires
from schema.routing.reasons import RoutingReasonDetail, reason_details, reason_text
from schema.workflow import (
    ALLOWED_DESCRIPTION,
    HISTORY_DESCRIPTION,
    StatusChange,
    allowed_transitions,
    status_history,
)

_OLDEST_FIRST = (SortKey("created_at"),)


def _old_routing_reason(actor: Actor, job: Any, old: Mapping[str, Any]) -> str | None:
    """A jobChanged event's old routingReason, built for its viewer as the field is."""
    return reason_text(
        actor,
        job,
        old.get("routing_reason"),
        old.get("routing_reason_detail"),
        old.get("routed_by") or job.routed_by,
    )


@strawberry.type(
    description="One manufacturer's share of one order (BR-5), moving through SPEC §2.1."
)
class ManufacturingJob(Node):
    pk: strawberry.Private[uuid.UUID]
    job_number: str = strawberry.field(description='Human reference, e.g. "MFG-2026-001A".')
    status: JobStatus = strawberry.field(description="Where the job is.")
    due_date: date | None = strawberry.field(description="When it must ship (BR-6).")
    estimated_completion_date: date | None = strawberry.field(
        description="When the manufacturer expects to finish (given on accept)."
    )
    progress_percent: int | None = strawberry.field(
        description="0-100, reported while IN_PRODUCTION."
    )
    accepted_at: datetime | None = strawberry.field(description="When it was accepted.")
    started_at: datetime | None = strawberry.field(description="When production started.")
    qc_started_at: datetime | None = strawberry.field(description="When QC started.")
    qc_passed_at: datetime | None = strawberry.field(description="When QC passed.")
    ready_to_ship_at: datetime | None = strawberry.field(description="When it became ready.")
    shipped_at: datetime | None = strawberry.field(description="When it shipped.")
    completed_at: datetime | None = strawberry.field(description="When it was completed.")
    declined_at: datetime | None = strawberry.field(description="When it was declined.")
    tracking_number: str | None = strawberry.field(description="Carrier tracking number.")
    shipping_carrier: job_enums.ShippingCarrier | None = strawberry.field(
        description="The carrier."
    )
    routed_by: job_enums.RoutedBy = strawberry.field(description="How it got its manufacturer.")
    routing_source: ManufacturerSource | None = strawberry.field(
        description="The cascade level the manufacturer came from (BR-1)."
    )
    quantity: int = strawberry.field(description="Units to make, over all its items.")
    decoration_type: Technique | None = strawberry.field(description="How it is decorated.")
    notes: str | None = strawberry.field(description="Instructions for the manufacturer.")
    customer_notes: str | None = strawberry.field(description="The customer's notes.")
    artwork_url: str | None = strawberry.field(description="Artwork to print or embroider.")
    decline_reason: job_enums.DeclineReason | None = strawberry.field(
        description="Why it was declined."
    )
    decline_notes: str | None = strawberry.field(description="More about the decline.")
    has_open_issue: bool = strawberry.field(description="An issue reported on it is unresolved.")
    on_hold: bool = strawberry.field(
        description="An open issue holds it: it cannot move forward until resolved."
    )
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    order_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID | None]
    original_manufacturer_id: strawberry.Private[uuid.UUID | None]
    product_family_id: strawberry.Private[uuid.UUID | None]
    replaces_job_id: strawberry.Private[uuid.UUID | None]
    quoted_cost: strawberry.Private[Decimal | None]
    actual_cost: strawberry.Private[Decimal | None]
    routing_reason: strawberry.Private[str | None]
    routing_reason_detail: strawberry.Private[list[dict[str, Any]] | None]
    # jobChanged's old values built for each viewer (schema/realtime/events.py).
    old_values_for_viewer: ClassVar[Mapping[str, Any]] = {"routing_reason": _old_routing_reason}

    @strawberry.field(
        name="routingReason",
        description="Why this manufacturer; names and figures you may not see are left out.",
    )
    def routing_reason_for_viewer(self, info: Info[Any, Any]) -> str | None:
        actor = request_context(info).actor
        return reason_text(
            actor, self, self.routing_reason, self.routing_reason_detail, self.routed_by
        )

    @strawberry.field(
        description="Why this manufacturer, as data (one per order line routed alike); null "
        "for jobs routed before reasons had codes."
    )
    def routing_reason_details(self) -> list[RoutingReasonDetail] | None:
        return reason_details(self.routing_reason_detail, self)

    @strawberry.field(
        name="quotedCost",
        description="What we agreed to pay for the job (cost data).",
        extensions=requires(Permission.VIEW_COSTS),
    )
    def quoted_cost_money(self) -> Money | None:
        return money(self.quoted_cost)

    @strawberry.field(
        name="actualCost",
        description="What the job actually cost (cost data; its manufacturer reads the cost "
        "it entered, enterJobActualCost).",
        extensions=requires(Permission.VIEW_ACTUAL_COSTS),
    )
    def actual_cost_money(self) -> Money | None:
        return money(self.actual_cost)

    manufacturer = to_one(
        Manufacturer,
        "manufacturer_id",
        description="The manufacturer making it; null while PENDING_ASSIGNMENT.",
    )

    original_manufacturer = to_one(
        Manufacturer,
        "original_manufacturer_id",
        description="The manufacturer routing picked first, when it changed since.",
    )

    product_family = to_one(
        ProductFamily,
        "product_family_id",
        description="The product family the job's items belong to.",
    )

    order = to_one(
        Lazy("Order", "schema.orders.types"),
        "order_id",
        description="The order this job is part of (null with FORBIDDEN for viewers who may "
        "not read orders).",
    )

    replaces_job = to_one(
        Lazy("ManufacturingJob", __name__),
        "replaces_job_id",
        description="The declined job this one replaces (BR-8), if any.",
    )

    items = children(
        Lazy("JobItem", __name__),
        "job_id",
        description="The order lines it makes, in the order's line order.",
        order=(SortKey("position"),),
    )

    job_notes = children(
        Lazy("JobNote", __name__),
        "job_id",
        description="Notes on the job, oldest first.",
        order=_OLDEST_FIRST,
    )

    photos = PHOTOS.field(
        "Photos of the job, newest first.",
        parent="job_id",
        filter_description="Only photos of this stage.",
    )

    issues = children(
        Lazy("JobIssue", __name__),
        "job_id",
        description="Issues reported on the job, oldest first.",
        order=_OLDEST_FIRST,
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[JobStatus]:
        return allowed_transitions(info, JOB_WORKFLOW, self.status, self.manufacturer_id)

    @strawberry.field(
        description="BR-9: not shipped or declined, and due within 48 hours or overdue."
    )
    def is_urgent(self) -> bool:
        return job_sources.is_urgent(self.status, self.due_date, today())

    @strawberry.field(
        description="Days from today (UTC) to the due date; negative when overdue, null "
        "without a due date."
    )
    def days_until_due(self) -> int | None:
        return days_until_due(self.due_date, today())


@strawberry.type(description="Which order line a job makes, and how many of it.")
class JobItem(Node):
    pk: strawberry.Private[uuid.UUID]
    quantity: int = strawberry.field(description="Units of the line this job makes.")
    size: str = strawberry.field(description='The line\'s size, e.g. "M".')
    technique: Technique = strawberry.field(description="The line's decoration technique.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    job_id: strawberry.Private[uuid.UUID]
    order_item_id: strawberry.Private[uuid.UUID]
    variant_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID | None]

    job = to_one(ManufacturingJob, "job_id", description="The job.", required=True)

    order_item = to_one(
        Lazy("OrderItem", "schema.orders.types"),
        "order_item_id",
        description="The order line (null with FORBIDDEN for viewers who may not read orders).",
    )

    variant = to_one(Variant, "variant_id", description="The variant the line orders.")


@strawberry.type(description="A note on a job, by the manufacturer, our staff or the customer.")
class JobNote(Node):
    pk: strawberry.Private[uuid.UUID]
    content: str = strawberry.field(description="The text.")
    author_role: job_enums.NoteAuthorRole = strawberry.field(description="Who wrote it.")
    author_id: str | None = strawberry.field(description="The author (token subject).")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    job_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID | None]

    job = to_one(ManufacturingJob, "job_id", description="The job.", required=True)


@strawberry.type(description="A photo of a job at one production stage.")
class JobPhoto(Node):
    pk: strawberry.Private[uuid.UUID]
    caption: str | None = strawberry.field(description="What it shows.")
    stage: job_enums.PhotoStage = strawberry.field(description="The stage it shows.")
    created_by: str | None = strawberry.field(description="Who added it (token subject).")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    job_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID | None]
    file_id: strawberry.Private[uuid.UUID | None]
    # Photos added before uploads existed: a link given by the client.
    url: strawberry.Private[str | None]
    thumbnail_url: strawberry.Private[str | None]

    @strawberry.field(
        name="url",
        description="The image: a signed, expiring link to the uploaded photo (its `file`'s "
        "`url`); for photos added before uploads, the link given then.",
    )
    def link(self, info: Info[Any, Any]) -> str:
        if self.file_id is None:
            return self.url or ""
        return signed_url(info, self.file_id, LinkVariant.ORIGINAL)

    @strawberry.field(name="thumbnailUrl", description="A small version of it, linked as `url`.")
    def thumbnail_link(self, info: Info[Any, Any]) -> str | None:
        if self.file_id is None:
            return self.thumbnail_url
        return signed_url(info, self.file_id, LinkVariant.THUMBNAIL)

    job = to_one(ManufacturingJob, "job_id", description="The job.", required=True)
    file = file_of(
        job_sources.JOB_PHOTO_FILES,
        "file_id",
        description="The uploaded photo (null for photos added before uploads); its links "
        "follow the photo's rule.",
    )


@strawberry.type(description="A problem reported on a job; it may hold the job until resolved.")
class JobIssue(Node):
    pk: strawberry.Private[uuid.UUID]
    type: job_enums.IssueType = strawberry.field(description="What kind of problem.")
    severity: job_enums.IssueSeverity = strawberry.field(description="How serious.")
    impact: job_enums.IssueImpact | None = strawberry.field(description="What it does to delivery.")
    description: str = strawberry.field(description="What happened.")
    holds_job: bool = strawberry.field(description="It holds the job while open.")
    reported_by: str | None = strawberry.field(description="Who reported it (token subject).")
    resolved_at: datetime | None = strawberry.field(description="When it was resolved.")
    resolution: str | None = strawberry.field(description="How it was resolved.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    job_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="True while unresolved.")
    def is_open(self) -> bool:
        return self.resolved_at is None

    job = to_one(ManufacturingJob, "job_id", description="The job.", required=True)
