"""Inbound shipments and QC inspections as object types. Fields read what the row holds;
relations go through loaders; what may move where comes from the workflows."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from auth.file_links import Variant as LinkVariant
from domain.clock import today
from domain.fulfillment import (
    INBOUND_ON_THE_WAY,
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
from resolvers.fulfillment.inbound_workflow import INBOUND_WORKFLOW, QC_WORKFLOW
from resolvers.pagination import SortKey
from schema.catalog.types import Manufacturer, Variant
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.execution.relations import Lazy, children, to_one
from schema.files import signed_url
from schema.fulfillment import inbound_enums as _enums  # noqa: F401 - their descriptions
from schema.jobs import enums as _job_enums  # noqa: F401 - ShippingCarrier, registered there
from schema.node import Node
from schema.workflow import (
    ALLOWED_DESCRIPTION,
    HISTORY_DESCRIPTION,
    StatusChange,
    allowed_transitions,
    status_history,
)

_OLDEST_FIRST = (SortKey("created_at"),)


@strawberry.type(description="One entry of an inspection's checklist.")
class ChecklistEntry:
    item: str = strawberry.field(description='What was checked, e.g. "Stitching".')
    passed: bool = strawberry.field(description="Whether it was fine.")
    note: str | None = strawberry.field(description="What the inspector noted.")


def checklist_of(value: list[dict[str, Any]] | None) -> list[ChecklistEntry] | None:
    if value is None:
        return None
    return [
        ChecklistEntry(
            item=str(entry.get("item", "")),
            passed=bool(entry.get("passed", False)),
            note=entry.get("note"),
        )
        for entry in value
    ]


@strawberry.type(description="One test of a lot's QC inspection (issue 27 item 7).")
class QcInspectionItem:
    parameter: str = strawberry.field(description='What was tested, e.g. "Purity".')
    test_method: str | None = strawberry.field(description='How, e.g. "HPLC".')
    expected: str | None = strawberry.field(description='The specification, e.g. ">= 98.0".')
    observed: str | None = strawberry.field(description='What was measured, e.g. "99.2".')
    unit: str | None = strawberry.field(description='The unit, e.g. "%".')
    passes: bool = strawberry.field(description="Whether the observation meets the spec.")


def qc_items_of(value: list[dict[str, Any]] | None) -> list[QcInspectionItem]:
    return [
        QcInspectionItem(
            parameter=str(entry.get("parameter", "")),
            test_method=entry.get("test_method"),
            expected=entry.get("expected"),
            observed=entry.get("observed"),
            unit=entry.get("unit"),
            passes=bool(entry.get("passes", False)),
        )
        for entry in value or []
    ]


@strawberry.type(
    description="Goods on their way to a fulfillment center, received and inspected there "
    "(SPEC §2.8): made when a job ships, or by hand."
)
class InboundShipment(Node):
    pk: strawberry.Private[uuid.UUID]
    shipment_number: str = strawberry.field(description='Human reference, e.g. "INB-2026-0001".')
    status: InboundStatus = strawberry.field(description="Where the shipment is.")
    source_type: InboundSourceType = strawberry.field(description="What the goods come from.")
    carrier: ShippingCarrier | None = strawberry.field(description="Who carries it.")
    tracking_number: str | None = strawberry.field(description="The carrier's tracking number.")
    tracking_url: str | None = strawberry.field(
        description="Where to follow it (BR-40: FedEx, UPS, USPS and DHL); null for others."
    )
    shipped_at: datetime | None = strawberry.field(description="When it left the sender.")
    expected_arrival: date | None = strawberry.field(description="When it is expected.")
    in_transit_at: datetime | None = strawberry.field(description="When it was marked in transit.")
    delivered_at: datetime | None = strawberry.field(description="When it reached the dock.")
    received_at: datetime | None = strawberry.field(description="When it was received.")
    received_by: str | None = strawberry.field(description="Who received it (token subject).")
    inspection_started_at: datetime | None = strawberry.field(description="When QC started.")
    stocked_at: datetime | None = strawberry.field(description="When it was stocked.")
    issue_at: datetime | None = strawberry.field(description="When QC raised an issue.")
    package_condition: PackageCondition | None = strawberry.field(
        description="The package's condition on arrival."
    )
    temperature_on_arrival: Decimal | None = strawberry.field(
        description="Temperature on arrival, °C."
    )
    notes: str | None = strawberry.field(description="Notes.")
    lost_flagged_at: datetime | None = strawberry.field(
        description="When it was flagged lost (BR-23); null unless overdue."
    )
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    source_id: strawberry.Private[uuid.UUID]
    source_job_id: strawberry.Private[uuid.UUID | None]
    source_purchase_order_id: strawberry.Private[uuid.UUID | None]
    manufacturer_id: strawberry.Private[uuid.UUID | None]
    fulfillment_center_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="Flagged lost and still on its way (BR-23).")
    def is_lost(self) -> bool:
        return self.lost_flagged_at is not None and self.status in INBOUND_ON_THE_WAY

    @strawberry.field(
        description="Days from today (UTC) to the expected arrival; negative when late."
    )
    def days_until_expected(self) -> int | None:
        if self.expected_arrival is None:
            return None
        return (self.expected_arrival - today()).days

    source_job = to_one(
        Lazy("ManufacturingJob", "schema.jobs.types"),
        "source_job_id",
        description="The job the goods come from (sourceType MANUFACTURING_JOB).",
    )
    source_purchase_order = to_one(
        Lazy("PurchaseOrder", "schema.procurement.types"),
        "source_purchase_order_id",
        description="The purchase order the goods come from (sourceType PURCHASE_ORDER; null "
        "with FORBIDDEN for viewers who may not read procurement).",
    )
    lots = children(
        Lazy("Lot", "schema.procurement.types"),
        "inbound_shipment_id",
        description="The lots received on it (a purchase order's shipment), by number; null "
        "with FORBIDDEN for viewers who may not read procurement.",
        order=(SortKey("lot_number"),),
        nullable=True,
    )
    manufacturer = to_one(Manufacturer, "manufacturer_id", description="Whose goods these are.")
    fulfillment_center = to_one(
        Lazy("FulfillmentCenter", "schema.fulfillment.types"),
        "fulfillment_center_id",
        description="Where it goes (null with FORBIDDEN for viewers who may not read centers).",
    )
    items = children(
        Lazy("InboundShipmentItem", __name__),
        "shipment_id",
        description="What it holds, in order.",
        order=(SortKey("position"),),
    )
    inspections = children(
        Lazy("QcInspection", __name__),
        "inbound_shipment_id",
        description="Its QC inspections, oldest first.",
        order=_OLDEST_FIRST,
    )
    issues = children(
        Lazy("InboundIssue", __name__),
        "shipment_id",
        description="Issues its failed or held goods raised, oldest first.",
        order=_OLDEST_FIRST,
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[InboundStatus]:
        allowed = allowed_transitions(info, INBOUND_WORKFLOW, self.status, self.manufacturer_id)
        if self.source_type != InboundSourceType.PURCHASE_ORDER:
            # Only a purchase order's shipment is cancelled (with its PO; a guard says so).
            return [status for status in allowed if status is not InboundStatus.CANCELLED]
        return allowed


@strawberry.type(description="One variant on an inbound shipment.")
class InboundShipmentItem(Node):
    pk: strawberry.Private[uuid.UUID]
    position: int = strawberry.field(description="Its place on the shipment, from 0.")
    expected_quantity: int = strawberry.field(description="Units expected.")
    received_quantity: int | None = strawberry.field(
        description="Units counted on receipt; null until received."
    )
    passed_quantity: int = strawberry.field(description="Units that passed QC (stocked).")
    failed_quantity: int = strawberry.field(
        description="Units that failed QC or are held (not stocked)."
    )
    qc_notes: str | None = strawberry.field(description="The inspector's notes on the line.")
    inspected_at: datetime | None = strawberry.field(description="When it was inspected.")
    inspected_by: str | None = strawberry.field(description="Who inspected it.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    shipment_id: strawberry.Private[uuid.UUID]
    variant_id: strawberry.Private[uuid.UUID]
    source_line_id: strawberry.Private[uuid.UUID | None]
    manufacturer_id: strawberry.Private[uuid.UUID | None]

    shipment = to_one(InboundShipment, "shipment_id", description="The shipment.", required=True)
    variant = to_one(Variant, "variant_id", description="The variant.")


@strawberry.type(
    description="A QC inspection (SPEC §2.11): PENDING → IN_PROGRESS → COMPLETED with a "
    "result; of an inbound shipment (its lines) or of a lot (its test items)."
)
class QcInspection(Node):
    pk: strawberry.Private[uuid.UUID]
    inspection_number: str = strawberry.field(description='Human reference, "QC-2026-0001".')
    subject_type: QcSubjectType = strawberry.field(description="What it inspects.")
    status: QcStatus = strawberry.field(description="Where the inspection is.")
    result: QcResult | None = strawberry.field(description="The verdict once COMPLETED.")
    notes: str | None = strawberry.field(description="The inspector's notes.")
    inspector: str | None = strawberry.field(description="Who inspects (token subject).")
    started_at: datetime | None = strawberry.field(description="When it started.")
    completed_at: datetime | None = strawberry.field(description="When it was completed.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    subject_id: strawberry.Private[uuid.UUID]
    inbound_shipment_id: strawberry.Private[uuid.UUID | None]
    lot_id: strawberry.Private[uuid.UUID | None]
    manufacturer_id: strawberry.Private[uuid.UUID | None]
    checklist: strawberry.Private[list[dict[str, Any]] | None]
    items: strawberry.Private[list[dict[str, Any]] | None]

    @strawberry.field(name="checklist", description="What was checked, in order.")
    def checklist_entries(self) -> list[ChecklistEntry] | None:
        return checklist_of(self.checklist)

    @strawberry.field(
        name="items",
        description="A lot's tests, in order (subjectType LOT): parameter, method, expected, "
        "observed, unit and whether it passes. Final once COMPLETED.",
    )
    def test_items(self) -> list[QcInspectionItem]:
        return qc_items_of(self.items)

    lot = to_one(
        Lazy("Lot", "schema.procurement.types"),
        "lot_id",
        description="The inspected lot (subjectType LOT); null with FORBIDDEN for viewers who "
        "may not read procurement.",
    )

    inbound_shipment = to_one(
        InboundShipment,
        "inbound_shipment_id",
        description="The inspected shipment (subjectType INBOUND_SHIPMENT).",
    )
    lines = children(
        Lazy("QcInspectionLine", __name__),
        "inspection_id",
        description="Each line's passed and failed units.",
        order=_OLDEST_FIRST,
    )
    photos = children(
        Lazy("QcPhoto", __name__),
        "inspection_id",
        description="Its photos, oldest first.",
        order=_OLDEST_FIRST,
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[QcStatus]:
        return allowed_transitions(info, QC_WORKFLOW, self.status, self.manufacturer_id)


@strawberry.type(description="What an inspection found on one inbound line.")
class QcInspectionLine(Node):
    pk: strawberry.Private[uuid.UUID]
    passed_quantity: int = strawberry.field(description="Units that passed.")
    failed_quantity: int = strawberry.field(description="Units that failed.")
    notes: str | None = strawberry.field(description="Notes on the line.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    inspection_id: strawberry.Private[uuid.UUID]
    subject_line_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID | None]

    item = to_one(InboundShipmentItem, "subject_line_id", description="The inbound line inspected.")


@strawberry.type(description="A photo taken during an inspection.")
class QcPhoto(Node):
    pk: strawberry.Private[uuid.UUID]
    kind: QcPhotoKind = strawberry.field(description="Overview, defect or comparison.")
    caption: str | None = strawberry.field(description="What it shows.")
    created_by: str | None = strawberry.field(description="Who added it.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    inspection_id: strawberry.Private[uuid.UUID]
    file_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="The image: a signed, expiring link.")
    def url(self, info: Info[Any, Any]) -> str:
        return signed_url(info, self.file_id, LinkVariant.ORIGINAL)

    @strawberry.field(description="A small version of it, linked as `url`.")
    def thumbnail_url(self, info: Info[Any, Any]) -> str:
        return signed_url(info, self.file_id, LinkVariant.THUMBNAIL)


@strawberry.type(
    description="Failed (or held) goods of an inbound shipment (BR-21), open until ops "
    "record what happens to them."
)
class InboundIssue(Node):
    pk: strawberry.Private[uuid.UUID]
    result: QcResult = strawberry.field(description="The inspection result that raised it.")
    failed_quantity: int = strawberry.field(description="Units failed or held.")
    description: str = strawberry.field(description="What happened.")
    resolution: InboundIssueResolution | None = strawberry.field(
        description="What was decided; null while open."
    )
    resolution_notes: str | None = strawberry.field(description="More about the decision.")
    resolved_at: datetime | None = strawberry.field(description="When it was resolved.")
    resolved_by: str | None = strawberry.field(description="Who resolved it.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    shipment_id: strawberry.Private[uuid.UUID]
    inspection_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="True while unresolved.")
    def is_open(self) -> bool:
        return self.resolved_at is None

    shipment = to_one(InboundShipment, "shipment_id", description="The shipment.", required=True)
    inspection = to_one(QcInspection, "inspection_id", description="The inspection.", required=True)
