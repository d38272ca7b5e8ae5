"""`shipmentChanged`: every shipment into one fulfillment center as it changes, for its
warehouse screens (inbound shipments and their inspections; outbound shipments join through
the same channel, db/publications/fulfillment.py)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from db.publications.fulfillment import center_shipments_channel
from schema.fulfillment.inbound_types import InboundShipment, QcInspection
from schema.node import visibility
from schema.realtime.events import ChangeEvent, committed_node, event_fields
from schema.realtime.messages import MessageGroup
from schema.realtime.subscribing import AfterCursor, after_cursor, global_pk

SHIPMENTS_TABLE = "inbound_shipments"
INSPECTIONS_TABLE = "qc_inspections"


@strawberry.type(description="A change of a shipment of one center (or of its inspection).")
class ShipmentChange(ChangeEvent):
    inbound_shipment: InboundShipment | None = strawberry.field(
        description="The inbound shipment as this change left it (its inspection's, for a "
        "change of table `qc_inspections`)."
    )
    inspection: QcInspection | None = strawberry.field(
        description="The inspection changed (table `qc_inspections`)."
    )


async def _shipment_changes(
    info: Info[Any, Any], group: MessageGroup, center_id: str, after: str | None
) -> AsyncGenerator[ShipmentChange, None]:
    seen = visibility(info, InboundShipment)
    center_pk = global_pk(center_id, "FulfillmentCenter")
    cursor = after_cursor(after)
    async for record in group.changes(center_shipments_channel(center_pk), cursor):
        inspection = None
        if record.table == SHIPMENTS_TABLE:
            shipment = await committed_node(
                info, InboundShipment, seen, record.entity_id, record, as_committed=True
            )
        elif record.table == INSPECTIONS_TABLE:
            inspection = await committed_node(
                info,
                QcInspection,
                visibility(info, QcInspection),
                record.entity_id,
                record,
                as_committed=True,
            )
            if inspection is None or inspection.inbound_shipment_id is None:
                continue
            shipment = await committed_node(
                info, InboundShipment, seen, inspection.inbound_shipment_id, record
            )
        else:
            continue
        if shipment is None:
            continue
        node_type: type[Any] = QcInspection if inspection is not None else InboundShipment
        yield ShipmentChange(
            inbound_shipment=shipment,
            inspection=inspection,
            **event_fields(info, record, node_type, inspection or shipment),
        )


@strawberry.type
class FulfillmentSubscription:
    @strawberry.subscription(
        description="Every change of the shipments of one fulfillment center as it commits "
        "(a warehouse screen): inbound shipments (a manufacturer: its own) and their "
        "inspections. `after` resumes from an event's cursor."
    )
    async def shipment_changed(
        self,
        info: Info[Any, Any],
        fulfillment_center_id: Annotated[
            strawberry.ID, strawberry.argument(description="The center to follow.")
        ],
        after: AfterCursor = None,
    ) -> AsyncGenerator[ShipmentChange, None]:
        group = MessageGroup(info)
        events = _shipment_changes(info, group, fulfillment_center_id, after)
        async for event in group.sent(events):
            yield event
