"""The 3PL's tables (SPEC §1.7): inbound shipments with their items, QC inspections with
their lines and photos, and the issues failed goods raise."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity, JSONValue
from db.columns import enum_column
from domain.fulfillment import (
    InboundIssueResolution,
    InboundSourceType,
    InboundStatus,
    PackageCondition,
    QcPhotoKind,
    QcResult,
    QcStatus,
    QcSubjectType,
)
from domain.jobs import ShippingCarrier


class InboundShipment(Entity):
    """Goods on their way to a fulfillment center (SPEC §1.7, §2.8 Rec)."""

    __tablename__ = "inbound_shipments"
    __table_args__ = (
        # A source (a job; later a purchase order) is a kind and an id: no foreign key.
        Index("ix_inbound_shipments_source", "source_type", "source_id"),
        CheckConstraint(
            "temperature_on_arrival IS NULL OR temperature_on_arrival BETWEEN -100 AND 100",
            name="temperature_range",
        ),
    )

    shipment_number: Mapped[str] = mapped_column(String(32), unique=True)
    source_type: Mapped[InboundSourceType] = mapped_column(enum_column(InboundSourceType))
    source_id: Mapped[uuid.UUID] = mapped_column()
    # Whose goods (the job's manufacturer): a manufacturer sees its own shipments only.
    manufacturer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturers.id", ondelete="RESTRICT"), index=True
    )
    fulfillment_center_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("fulfillment_centers.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[InboundStatus] = mapped_column(
        enum_column(InboundStatus), default=InboundStatus.EXPECTED, index=True
    )
    carrier: Mapped[ShippingCarrier | None] = mapped_column(enum_column(ShippingCarrier))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    tracking_url: Mapped[str | None] = mapped_column(String(500))
    shipped_at: Mapped[datetime | None] = mapped_column(default=None)
    expected_arrival: Mapped[date | None] = mapped_column(default=None, index=True)
    in_transit_at: Mapped[datetime | None] = mapped_column(default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
    received_at: Mapped[datetime | None] = mapped_column(default=None)
    received_by: Mapped[str | None] = mapped_column(String(64))
    inspection_started_at: Mapped[datetime | None] = mapped_column(default=None)
    stocked_at: Mapped[datetime | None] = mapped_column(default=None)
    issue_at: Mapped[datetime | None] = mapped_column(default=None)
    package_condition: Mapped[PackageCondition | None] = mapped_column(
        enum_column(PackageCondition)
    )
    # Degrees Celsius on arrival.
    temperature_on_arrival: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    # BR-23: set by `app.py flag-lost-shipments` once, when the shipment is overdue.
    lost_flagged_at: Mapped[datetime | None] = mapped_column(default=None)


class InboundShipmentItem(Entity):
    """One variant on an inbound shipment: expected, received, and what QC made of it."""

    __tablename__ = "inbound_shipment_items"
    __table_args__ = (
        CheckConstraint("expected_quantity > 0", name="expected_positive"),
        CheckConstraint(
            "received_quantity IS NULL OR received_quantity >= 0", name="received_not_negative"
        ),
        CheckConstraint(
            "passed_quantity >= 0 AND failed_quantity >= 0", name="verdict_not_negative"
        ),
    )

    shipment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inbound_shipments.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("variants.id", ondelete="RESTRICT"), index=True
    )
    # The source's line (a job item; later a purchase order line), when there is one.
    source_line_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    expected_quantity: Mapped[int] = mapped_column(Integer)
    received_quantity: Mapped[int | None] = mapped_column(Integer, default=None)
    # Totals of the completed inspections' lines (stocked = passed).
    passed_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    qc_notes: Mapped[str | None] = mapped_column(Text)
    inspected_at: Mapped[datetime | None] = mapped_column(default=None)
    inspected_by: Mapped[str | None] = mapped_column(String(64))


class QcInspection(Entity):
    """A QC inspection of a subject (an inbound shipment; later a lot), SPEC §1.7 merged and
    §2.11: a status, a result once completed, a checklist."""

    __tablename__ = "qc_inspections"
    __table_args__ = (
        Index("ix_qc_inspections_subject", "subject_type", "subject_id"),
        CheckConstraint(
            "(status = 'COMPLETED') = (result IS NOT NULL)", name="result_when_completed"
        ),
    )

    inspection_number: Mapped[str] = mapped_column(String(32), unique=True)
    subject_type: Mapped[QcSubjectType] = mapped_column(enum_column(QcSubjectType))
    subject_id: Mapped[uuid.UUID] = mapped_column()
    # The subject's owner (an inbound shipment's manufacturer), for manufacturers' reads.
    manufacturer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturers.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[QcStatus] = mapped_column(
        enum_column(QcStatus), default=QcStatus.PENDING, index=True
    )
    result: Mapped[QcResult | None] = mapped_column(enum_column(QcResult), default=None)
    # [{"item": "Stitching", "passed": true, "note": "…"}, …]
    checklist: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONValue, default=None)
    notes: Mapped[str | None] = mapped_column(Text)
    inspector: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)


class QcInspectionLine(Entity):
    """What an inspection found on one line of its subject (an inbound item)."""

    __tablename__ = "qc_inspection_lines"
    __table_args__ = (
        CheckConstraint(
            "passed_quantity >= 0 AND failed_quantity >= 0", name="verdict_not_negative"
        ),
    )

    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("qc_inspections.id", ondelete="CASCADE"), index=True
    )
    subject_line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    passed_quantity: Mapped[int] = mapped_column(Integer)
    failed_quantity: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)


class QcPhoto(Entity):
    """A photo taken during an inspection (files mechanism); failures need a DEFECT one."""

    __tablename__ = "qc_photos"

    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("qc_inspections.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("files.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[QcPhotoKind] = mapped_column(enum_column(QcPhotoKind))
    caption: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))


class InboundIssue(Entity):
    """Failed (or held) goods of an inbound shipment (BR-21): the manufacturer is told, and
    the issue stays open until ops record what happens to them."""

    __tablename__ = "inbound_issues"

    shipment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inbound_shipments.id", ondelete="CASCADE"), index=True
    )
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("qc_inspections.id", ondelete="CASCADE"), index=True
    )
    manufacturer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturers.id", ondelete="RESTRICT"), index=True
    )
    result: Mapped[QcResult] = mapped_column(enum_column(QcResult))
    failed_quantity: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    resolution: Mapped[InboundIssueResolution | None] = mapped_column(
        enum_column(InboundIssueResolution), default=None
    )
    resolution_notes: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
