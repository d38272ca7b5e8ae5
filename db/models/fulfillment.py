"""The 3PL's tables (SPEC §1.7): fulfillment centers, inventory levels and their append-only
ledger, adjustments waiting for approval, outbound shipments and their items, inbound
shipments with their items, QC inspections with their lines and photos, and the issues
failed goods raise.

Levels change only through resolvers/fulfillment/ledger.py, which writes the transaction in
the same database transaction; the CHECK constraints below hold the invariants even against
a write that bypassed it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Entity, JSONValue, utcnow
from db.columns import amount_column, enum_column
from domain.bounds import AMOUNT
from domain.fulfillment import (
    AdjustmentReason,
    AdjustmentStatus,
    InboundIssueResolution,
    InboundSourceType,
    InboundStatus,
    LedgerKind,
    LedgerReference,
    OutboundStatus,
    PackageCondition,
    QcPhotoKind,
    QcResult,
    QcStatus,
    QcSubjectType,
)
from domain.jobs import ShippingCarrier


class FulfillmentCenter(Entity):
    """A 3PL warehouse (SPEC §1.7 FulfillmentCenter); exactly one active center is the
    default, where inbound shipments go unless told otherwise."""

    __tablename__ = "fulfillment_centers"
    __table_args__ = (
        # At most one default, on both PostgreSQL and SQLite (a partial unique index).
        Index(
            "uq_fulfillment_centers_default",
            "is_default",
            unique=True,
            postgresql_where=text("is_default"),
            sqlite_where=text("is_default"),
        ),
    )

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(255))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    # Free text per day ("mon": "08:00-17:00"); a schedule the UI shows, not one we enforce.
    operating_hours: Mapped[dict[str, Any]] = mapped_column(JSONValue, default=dict)
    # domain.fulfillment.CenterCapability values.
    capabilities: Mapped[list[str]] = mapped_column(JSONValue, default=list)
    # Carriers in the order this center prefers them (domain.jobs.ShippingCarrier values).
    carrier_preferences: Mapped[list[str]] = mapped_column(JSONValue, default=list)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


def _level_key_index(name: str, *columns: str, lot: bool) -> Index:
    # The level key is (center, variant, lot) with lot nullable; NULLs are distinct in a
    # plain unique key on both databases, so the key is two partial unique indexes.
    condition = text("lot_id IS NOT NULL" if lot else "lot_id IS NULL")
    return Index(name, *columns, unique=True, postgresql_where=condition, sqlite_where=condition)


class InventoryLevel(Entity):
    """How much of one variant (and lot, once lots exist) one center holds (SPEC §1.7
    Inventory; BR-11..BR-19)."""

    __tablename__ = "inventory_levels"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
        CheckConstraint("incoming >= 0", name="incoming_not_negative"),
        _level_key_index(
            "uq_inventory_levels_no_lot", "fulfillment_center_id", "variant_id", lot=False
        ),
        _level_key_index(
            "uq_inventory_levels_lot", "fulfillment_center_id", "variant_id", "lot_id", lot=True
        ),
    )

    fulfillment_center_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("fulfillment_centers.id", ondelete="RESTRICT"), index=True
    )
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("variants.id", ondelete="RESTRICT"), index=True
    )
    # Procurement's lots (issue 27) join the key here; no foreign key until that table exists.
    lot_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), default=None)
    on_hand: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    incoming: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bin_location: Mapped[str | None] = mapped_column(String(50))
    reorder_point: Mapped[int | None] = mapped_column(Integer)
    max_threshold: Mapped[int | None] = mapped_column(Integer)
    cost_per_unit: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    last_counted_at: Mapped[datetime | None] = mapped_column(default=None)
    # The last transaction's time: aging alerts (BR-18) read it.
    last_movement_at: Mapped[datetime | None] = mapped_column(default=None)


class InventoryTransaction(Base):
    """One change to one level, append-only (BR-17): rows are inserted, never changed
    (enforced in the database). A level always equals the sum of its transactions."""

    __tablename__ = "inventory_transactions"
    __table_args__ = (Index("ix_inventory_transactions_level_time", "level_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    level_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inventory_levels.id", ondelete="RESTRICT")
    )
    # Copied from the level so that lists filter without a join.
    fulfillment_center_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("fulfillment_centers.id", ondelete="RESTRICT"), index=True
    )
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("variants.id", ondelete="RESTRICT"), index=True
    )
    lot_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), default=None)
    kind: Mapped[LedgerKind] = mapped_column(enum_column(LedgerKind), index=True)
    # As given: positive, or signed for adjustments and incoming.
    quantity: Mapped[int] = mapped_column(Integer)
    # What it did to each quantity of the level, and the level's quantities after it.
    on_hand_change: Mapped[int] = mapped_column(Integer, default=0)
    reserved_change: Mapped[int] = mapped_column(Integer, default=0)
    incoming_change: Mapped[int] = mapped_column(Integer, default=0)
    on_hand_after: Mapped[int] = mapped_column(Integer)
    reserved_after: Mapped[int] = mapped_column(Integer)
    incoming_after: Mapped[int] = mapped_column(Integer)
    reference_type: Mapped[LedgerReference] = mapped_column(enum_column(LedgerReference))
    reference_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), index=True)
    reason_code: Mapped[AdjustmentReason | None] = mapped_column(enum_column(AdjustmentReason))
    note: Mapped[str | None] = mapped_column(Text)
    performed_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class InventoryAdjustment(Entity):
    """A requested change to on hand with a BR-16 reason; above the approval threshold it
    waits for an admin, otherwise it is applied when made."""

    __tablename__ = "inventory_adjustments"
    __table_args__ = (CheckConstraint("quantity <> 0", name="quantity_not_zero"),)

    level_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inventory_levels.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[AdjustmentReason] = mapped_column(enum_column(AdjustmentReason))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[AdjustmentStatus] = mapped_column(enum_column(AdjustmentStatus), index=True)
    requested_by: Mapped[str | None] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decision_note: Mapped[str | None] = mapped_column(Text)


class OutboundShipment(Entity):
    """A package leaving a center for a customer (SPEC §1.7, §2.9). An order may ship in
    several."""

    __tablename__ = "outbound_shipments"

    # OUT-YYYY-NNNN, from the per-year sequence.
    shipment_number: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="RESTRICT"), index=True
    )
    fulfillment_center_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("fulfillment_centers.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[OutboundStatus] = mapped_column(
        enum_column(OutboundStatus), default=OutboundStatus.PENDING, index=True
    )
    # Made by consolidation (BR-22) rather than by hand.
    proposed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    carrier: Mapped[ShippingCarrier | None] = mapped_column(enum_column(ShippingCarrier))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    tracking_url: Mapped[str | None] = mapped_column(String(500))
    weight_kg: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    length_cm: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    width_cm: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    height_cm: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    shipping_cost: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    picking_started_at: Mapped[datetime | None] = mapped_column(default=None)
    packed_at: Mapped[datetime | None] = mapped_column(default=None)
    shipped_at: Mapped[datetime | None] = mapped_column(default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
    canceled_at: Mapped[datetime | None] = mapped_column(default=None)


class OutboundShipmentItem(Entity):
    """How many of one order line go in the package, from which level."""

    __tablename__ = "outbound_shipment_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    shipment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("outbound_shipments.id", ondelete="CASCADE"), index=True
    )
    order_item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("order_items.id", ondelete="RESTRICT"), index=True
    )
    level_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inventory_levels.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    picked_at: Mapped[datetime | None] = mapped_column(default=None)
    picked_by: Mapped[str | None] = mapped_column(String(64))


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
    # A lot's tests (issue 27 item 7): [{"parameter": "Purity", "test_method": "HPLC",
    # "expected": ">= 98.0", "observed": "99.2", "unit": "%", "passes": true}, …]; fixed once
    # the inspection is completed.
    items: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONValue, default=None)
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
