"""The inbound and QC lists: their filter inputs (and their SQL), sort keys, defaults."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.fulfillment import InboundStatus, QcResult, QcStatus
from resolvers.fulfillment import inbound_sources as sources
from resolvers.pagination import SortKey
from schema.fulfillment import inbound_enums as _enums  # noqa: F401 - their descriptions
from schema.inputs import optional
from schema.lists import ListOf, filter_values, order_input

InboundShipmentOrder = order_input(
    "InboundShipment",
    "inbound shipments",
    expected_arrival="By expected arrival (those without one last when ascending).",
    created_at="By creation time.",
    shipment_number="By shipment number.",
    status="By status (alphabetically).",
)


@strawberry.input(description="Narrows a list of inbound shipments. All given fields must match.")
class InboundShipmentFilter:
    statuses: list[InboundStatus] | None = optional("Only shipments in one of these statuses.")
    fulfillment_center_id: strawberry.ID | None = optional("Only shipments to this center.")
    manufacturer_id: strawberry.ID | None = optional("Only this manufacturer's shipments.")
    source_job_id: strawberry.ID | None = optional("Only shipments of this job.")
    source_purchase_order_id: strawberry.ID | None = optional(
        "Only shipments of this purchase order."
    )
    expected_before: date | None = optional("Only shipments expected on or before this date.")
    expected_after: date | None = optional("Only shipments expected on or after this date.")
    lost: bool | None = optional("Only shipments flagged lost (true) or only the others.")
    search: str | None = optional("Case-insensitive substring of the shipment or tracking number.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.shipment_conditions(
            **filter_values(
                self,
                fulfillment_center_id="FulfillmentCenter",
                manufacturer_id="Manufacturer",
                source_job_id="ManufacturingJob",
                source_purchase_order_id="PurchaseOrder",
            )
        )


QcInspectionOrder = order_input(
    "QcInspection",
    "QC inspections",
    created_at="By creation time.",
    inspection_number="By inspection number.",
    completed_at="By completion time (open ones last when ascending).",
)


@strawberry.input(description="Narrows a list of QC inspections. All given fields must match.")
class QcInspectionFilter:
    statuses: list[QcStatus] | None = optional("Only inspections in one of these statuses.")
    results: list[QcResult] | None = optional("Only inspections with one of these results.")
    inbound_shipment_id: strawberry.ID | None = optional("Only inspections of this shipment.")
    lot_id: strawberry.ID | None = optional("Only inspections of this lot.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.inspection_conditions(
            **filter_values(self, inbound_shipment_id="InboundShipment", lot_id="Lot")
        )


_TYPES = "schema.fulfillment.inbound_types"

INBOUND_SHIPMENTS = ListOf(
    "InboundShipment",
    _TYPES,
    sources.INBOUND_SHIPMENTS,
    # The receiving dock's order: what arrives first, then by number.
    default_order=(SortKey("expected_arrival"), SortKey("shipment_number")),
    filter=InboundShipmentFilter,
    order=InboundShipmentOrder,
    permission=Permission.VIEW_INBOUND,
)
QC_INSPECTIONS = ListOf(
    "QcInspection",
    _TYPES,
    sources.QC_INSPECTIONS,
    default_order=(SortKey("created_at", descending=True),),
    filter=QcInspectionFilter,
    order=QcInspectionOrder,
    permission=Permission.VIEW_INBOUND,
)
