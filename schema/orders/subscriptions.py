"""`orderChanged`: an order's changes as they commit, checked against the viewer on subscribe
and on every event."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission, grant
from db.publications.orders import (
    order_channel,
)
from schema.context import request_context
from schema.fulfillment.types import OutboundShipment
from schema.node import load_node, visibility
from schema.orders.types import FulfillmentEvent, Order
from schema.realtime.events import (
    ChangeEvent,
    ColumnValues,
    committed_node,
    committed_values,
    event_fields,
)
from schema.realtime.messages import MessageGroup
from schema.realtime.subscribing import AfterCursor, after_cursor, global_pk, not_found

ORDERS_TABLE = "orders"
OUTBOUND_TABLE = "outbound_shipments"


@strawberry.type(
    description="A change of one order: the order updated, a timeline entry added, or one of "
    "its outbound shipments changed."
)
class OrderChange(ChangeEvent):
    order: Order | None = strawberry.field(
        description="The order as this change committed it; its relations (jobs, lines, "
        "timeline) load like any query."
    )
    fulfillment_event: FulfillmentEvent | None = strawberry.field(
        description="The timeline entry this change added (table `fulfillment_events`)."
    )
    outbound_shipment: OutboundShipment | None = strawberry.field(
        description="One of the order's outbound shipments as this change committed it "
        "(table `outbound_shipments`: created, packed, shipped with tracking, delivered); null "
        "for viewers who may not read outbound shipments (the timeline entry shows tracking)."
    )


async def _order_changes(
    info: Info[Any, Any], group: MessageGroup, global_id: str, after: str | None
) -> AsyncGenerator[OrderChange, None]:
    seen = visibility(info, Order)
    pk = global_pk(global_id, "Order")
    cursor = after_cursor(after)
    if await load_node(info, Order, pk) is None:
        raise not_found("Order", global_id)
    async for record in group.changes(order_channel(pk), cursor):
        outbound = None
        if record.table == ORDERS_TABLE:
            order = await committed_node(info, Order, seen, pk, record, as_committed=True)
            event = None
        elif record.table == OUTBOUND_TABLE:
            order = await committed_node(info, Order, seen, pk, record)
            event = None
            if grant(request_context(info).actor.role, Permission.VIEW_OUTBOUND) is not None:
                outbound = await committed_node(
                    info,
                    OutboundShipment,
                    visibility(info, OutboundShipment),
                    record.entity_id,
                    record,
                    as_committed=True,
                )
        else:
            order = await committed_node(info, Order, seen, pk, record)
            event = FulfillmentEvent.from_row(ColumnValues(committed_values(record)))
        if order is None:
            continue
        yield OrderChange(
            order=order,
            fulfillment_event=event,
            outbound_shipment=outbound,
            **event_fields(info, record, Order, order),
        )


@strawberry.type
class OrderSubscription:
    @strawberry.subscription(
        description="Every change of one order as it commits: the order's updates and each "
        "new fulfillment event. With `after` (an event's cursor) every change since is "
        "replayed first, then it continues live: no gap, no duplicate."
    )
    async def order_changed(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="The order to follow.")],
        after: AfterCursor = None,
    ) -> AsyncGenerator[OrderChange, None]:
        group = MessageGroup(info)
        async for event in group.sent(_order_changes(info, group, id, after)):
            yield event
