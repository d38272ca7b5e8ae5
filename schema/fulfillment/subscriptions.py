"""`shipmentChanged`: a fulfillment center's shipments as their changes commit, for
warehouse screens: outbound shipments, inbound shipments and their inspections, each as the
viewer may read them (a manufacturer: its own inbound; sales: outbound only)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import grant
from db.publications.fulfillment import center_shipments_channel
from resolvers.fulfillment.sources import FULFILLMENT_CENTERS
from schema.context import request_context
from schema.fulfillment.inbound_types import InboundShipment, QcInspection
from schema.fulfillment.types import OutboundShipment
from schema.node import NODE_TYPES, Visibility, visibility
from schema.realtime.events import ChangeEvent, committed_node, event_fields
from schema.realtime.messages import MessageGroup
from schema.realtime.subscribing import AfterCursor, after_cursor, global_pk, not_found

OUTBOUND_TABLE = "outbound_shipments"
INBOUND_TABLE = "inbound_shipments"
INSPECTIONS_TABLE = "qc_inspections"


@strawberry.type(description="A change of one of a center's shipments (or of an inspection).")
class ShipmentChange(ChangeEvent):
    outbound_shipment: OutboundShipment | None = strawberry.field(
        description="The outbound shipment as this change committed it."
    )
    inbound_shipment: InboundShipment | None = strawberry.field(
        description="The inbound shipment as this change left it (the inspected one, for a "
        "change of table `qc_inspections`)."
    )
    inspection: QcInspection | None = strawberry.field(
        description="The inspection changed (table `qc_inspections`)."
    )


def _seen(info: Info[Any, Any], node_type: type[Any]) -> Visibility | None:
    """What of `node_type` the viewer may see, or None when its role reads none of it."""
    actor = request_context(info).actor
    if grant(actor.role, NODE_TYPES[node_type.__name__].read) is None:
        return None
    return visibility(info, node_type)


async def _shipment_changes(
    info: Info[Any, Any], group: MessageGroup, global_id: str, after: str | None
) -> AsyncGenerator[ShipmentChange, None]:
    pk = global_pk(global_id, "FulfillmentCenter")
    cursor = after_cursor(after)
    # Whether the center exists, not whether the viewer may read it: a manufacturer follows
    # its own goods into a center it may not read.
    center = await request_context(info).loaders.by_column(FULFILLMENT_CENTERS, "id").load(pk)
    if center is None:
        raise not_found("FulfillmentCenter", global_id)
    outbound_seen = _seen(info, OutboundShipment)
    inbound_seen = _seen(info, InboundShipment)
    if outbound_seen is None and inbound_seen is None:
        visibility(info, OutboundShipment)  # FORBIDDEN: no shipment is the viewer's to read
    async for record in group.changes(center_shipments_channel(pk), cursor):
        event: ShipmentChange | None = None
        if record.table == OUTBOUND_TABLE and outbound_seen is not None:
            event = await _outbound(info, outbound_seen, record)
        elif record.table in (INBOUND_TABLE, INSPECTIONS_TABLE) and inbound_seen is not None:
            event = await _inbound(info, inbound_seen, record)
        if event is not None:
            yield event


async def _outbound(info: Info[Any, Any], seen: Visibility, record: Any) -> ShipmentChange | None:
    shipment = await committed_node(
        info, OutboundShipment, seen, record.entity_id, record, as_committed=True
    )
    if shipment is None:
        return None
    return ShipmentChange(
        outbound_shipment=shipment,
        inbound_shipment=None,
        inspection=None,
        **event_fields(info, record, OutboundShipment, shipment),
    )


async def _inbound(info: Info[Any, Any], seen: Visibility, record: Any) -> ShipmentChange | None:
    if record.table == INBOUND_TABLE:
        shipment = await committed_node(
            info, InboundShipment, seen, record.entity_id, record, as_committed=True
        )
        if shipment is None:
            return None
        return ShipmentChange(
            outbound_shipment=None,
            inbound_shipment=shipment,
            inspection=None,
            **event_fields(info, record, InboundShipment, shipment),
        )
    inspection = await committed_node(
        info,
        QcInspection,
        visibility(info, QcInspection),
        record.entity_id,
        record,
        as_committed=True,
    )
    if inspection is None or inspection.inbound_shipment_id is None:
        return None
    inspected = await committed_node(
        info, InboundShipment, seen, inspection.inbound_shipment_id, record
    )
    if inspected is None:
        return None
    return ShipmentChange(
        outbound_shipment=None,
        inbound_shipment=inspected,
        inspection=inspection,
        **event_fields(info, record, QcInspection, inspection),
    )


@strawberry.type
class FulfillmentSubscription:
    @strawberry.subscription(
        description="Every change of a fulfillment center's shipments as it commits: "
        "outbound (created, picked, packed, shipped with tracking, delivered), inbound "
        "(expected, received, inspected, stocked) and their inspections, each as you may read "
        "it. `after` resumes from a cursor: no gap, no duplicate."
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
        async for event in group.sent(_shipment_changes(info, group, fulfillment_center_id, after)):
            yield event
