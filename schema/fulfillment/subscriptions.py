"""`shipmentChanged`: a fulfillment center's shipments as their changes commit, for
warehouse screens."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from db.publications.fulfillment import center_shipments_channel
from schema.fulfillment.types import FulfillmentCenter, OutboundShipment
from schema.node import load_node, visibility
from schema.realtime.events import ChangeEvent, committed_node, event_fields
from schema.realtime.messages import MessageGroup
from schema.realtime.subscribing import AfterCursor, after_cursor, global_pk, not_found

OUTBOUND_TABLE = "outbound_shipments"


@strawberry.type(description="A change of one of a center's shipments.")
class ShipmentChange(ChangeEvent):
    outbound_shipment: OutboundShipment | None = strawberry.field(
        description="The outbound shipment as this change committed it."
    )


async def _shipment_changes(
    info: Info[Any, Any], group: MessageGroup, global_id: str, after: str | None
) -> AsyncGenerator[ShipmentChange, None]:
    pk = global_pk(global_id, "FulfillmentCenter")
    cursor = after_cursor(after)
    if await load_node(info, FulfillmentCenter, pk) is None:
        raise not_found("FulfillmentCenter", global_id)
    seen = visibility(info, OutboundShipment)
    async for record in group.changes(center_shipments_channel(pk), cursor):
        if record.table != OUTBOUND_TABLE:
            continue
        shipment = await committed_node(
            info, OutboundShipment, seen, record.entity_id, record, as_committed=True
        )
        if shipment is None:
            continue
        yield ShipmentChange(
            outbound_shipment=shipment,
            **event_fields(info, record, OutboundShipment, shipment),
        )


@strawberry.type
class FulfillmentSubscription:
    @strawberry.subscription(
        description="Every change of a fulfillment center's outbound shipments as it commits "
        "(created, picked, packed, shipped with tracking, delivered). `after` resumes from a "
        "cursor: no gap, no duplicate."
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
