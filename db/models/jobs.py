"""Manufacturing jobs and what hangs off them: items, notes, photos, issues (SPEC §1.4,
BR-5..BR-8)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity, JSONValue
from db.columns import amount_column, enum_column
from domain.bounds import AMOUNT
from domain.jobs import (
    DeclineReason,
    IssueImpact,
    IssueSeverity,
    IssueType,
    JobStatus,
    NoteAuthorRole,
    PhotoStage,
    RoutedBy,
    ShippingCarrier,
)
from domain.orders import Technique
from domain.routing import ManufacturerSource


def _job_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("manufacturing_jobs.id", ondelete="CASCADE"), index=True)


class ManufacturingJob(Entity):
    """One manufacturer's share of one order (BR-5), moving through SPEC §2.1."""

    __tablename__ = "manufacturing_jobs"
    __table_args__ = (
        CheckConstraint(
            "progress_percent IS NULL OR (progress_percent BETWEEN 0 AND 100)",
            name="progress_range",
        ),
    )

    # MFG-YYYY-NNNX: the order's year and number, a letter per job of the order.
    job_number: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="RESTRICT"), index=True
    )
    # NULL while PENDING_ASSIGNMENT.
    manufacturer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturers.id", ondelete="RESTRICT"), index=True
    )
    product_family_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("product_families.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus), default=JobStatus.NEW, server_default="NEW", index=True
    )
    due_date: Mapped[date | None] = mapped_column(default=None, index=True)
    estimated_completion_date: Mapped[date | None] = mapped_column(default=None)
    progress_percent: Mapped[int | None] = mapped_column(Integer)
    # Stage timestamps (SPEC §2.1 side effects).
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    qc_started_at: Mapped[datetime | None] = mapped_column(default=None)
    qc_passed_at: Mapped[datetime | None] = mapped_column(default=None)
    ready_to_ship_at: Mapped[datetime | None] = mapped_column(default=None)
    shipped_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    declined_at: Mapped[datetime | None] = mapped_column(default=None)
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    shipping_carrier: Mapped[ShippingCarrier | None] = mapped_column(enum_column(ShippingCarrier))
    # Routing (BR-5, BR-7): how and why this manufacturer, and whom it replaced.
    routed_by: Mapped[RoutedBy] = mapped_column(enum_column(RoutedBy), default=RoutedBy.AUTO)
    routing_source: Mapped[ManufacturerSource | None] = mapped_column(
        enum_column(ManufacturerSource)
    )
    # The reason as the full text, and as data (domain.routing_reasons) from which each
    # viewer's text is built; NULL for jobs routed before reasons were structured.
    routing_reason: Mapped[str | None] = mapped_column(Text)
    routing_reason_detail: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONValue)
    original_manufacturer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturers.id", ondelete="SET NULL")
    )
    # A job created for the backup after a decline points at the declined one (BR-8).
    replaces_job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturing_jobs.id", ondelete="SET NULL")
    )
    quoted_cost: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    actual_cost: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    decoration_type: Mapped[Technique | None] = mapped_column(enum_column(Technique))
    notes: Mapped[str | None] = mapped_column(Text)
    customer_notes: Mapped[str | None] = mapped_column(Text)
    artwork_url: Mapped[str | None] = mapped_column(String(500))
    decline_reason: Mapped[DeclineReason | None] = mapped_column(enum_column(DeclineReason))
    decline_notes: Mapped[str | None] = mapped_column(Text)
    has_open_issue: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    on_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class JobItem(Entity):
    """Which order lines a job makes, and how many (SPEC §9 #11)."""

    __tablename__ = "manufacturing_job_items"
    __table_args__ = (UniqueConstraint("job_id", "order_item_id"),)

    job_id: Mapped[uuid.UUID] = _job_fk()
    order_item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("order_items.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)


class JobNote(Entity):
    __tablename__ = "job_notes"

    job_id: Mapped[uuid.UUID] = _job_fk()
    content: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(String(64))
    author_role: Mapped[NoteAuthorRole] = mapped_column(enum_column(NoteAuthorRole))


class JobPhoto(Entity):
    __tablename__ = "job_photos"
    __table_args__ = (
        CheckConstraint("url IS NOT NULL OR file_id IS NOT NULL", name="url_or_file"),
    )

    job_id: Mapped[uuid.UUID] = _job_fk()
    # The uploaded photo (db/models/files.py); photos added before uploads hold a `url`.
    file_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("files.id", ondelete="RESTRICT"), index=True, default=None
    )
    url: Mapped[str | None] = mapped_column(String(500), default=None)
    thumbnail_url: Mapped[str | None] = mapped_column(String(500), default=None)
    caption: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[PhotoStage] = mapped_column(enum_column(PhotoStage), index=True)
    created_by: Mapped[str | None] = mapped_column(String(64))


class JobIssue(Entity):
    """A problem a manufacturer reports on a job (SPEC §1.4 Rec JobIssue); may hold it."""

    __tablename__ = "job_issues"

    job_id: Mapped[uuid.UUID] = _job_fk()
    type: Mapped[IssueType] = mapped_column(enum_column(IssueType))
    severity: Mapped[IssueSeverity] = mapped_column(enum_column(IssueSeverity))
    impact: Mapped[IssueImpact | None] = mapped_column(enum_column(IssueImpact))
    description: Mapped[str] = mapped_column(Text)
    holds_job: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    reported_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution: Mapped[str | None] = mapped_column(Text)
