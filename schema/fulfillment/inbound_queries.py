"""Inbound root query fields: shipments and inspections, listed and looked up."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from resolvers.fulfillment import inbound_sources as sources
from schema.fulfillment.inbound_lists import INBOUND_SHIPMENTS, QC_INSPECTIONS
from schema.fulfillment.inbound_types import InboundShipment, QcInspection
from schema.lookups import lookup_field


@strawberry.type
class InboundQuery:
    inbound_shipments = INBOUND_SHIPMENTS.field(
        description="Inbound shipments you may see (a manufacturer: its own jobs'), by expected "
        "arrival unless ordered; `filter: {statuses: [EXPECTED, IN_TRANSIT]}` is the awaiting "
        "list."
    )

    inbound_shipment = lookup_field(
        InboundShipment,
        sources.INBOUND_SHIPMENTS,
        Permission.VIEW_INBOUND,
        "One inbound shipment by ID or number; null when it does not exist or is not yours.",
        id="Its ID.",
        shipment_number='Its number, e.g. "INB-2026-0001".',
    )

    qc_inspections = QC_INSPECTIONS.field(
        description="QC inspections you may see, newest first unless ordered."
    )

    qc_inspection = lookup_field(
        QcInspection,
        sources.QC_INSPECTIONS,
        Permission.VIEW_INBOUND,
        "One QC inspection by ID or number; null when it does not exist or is not yours.",
        id="Its ID.",
        inspection_number='Its number, e.g. "QC-2026-0001".',
    )
