"""`purchaseOrderChanged`: a purchase order's changes as they commit (the order, its lines,
payments and lots), checked against the viewer on subscribe and on every event."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from db.publications.procurement import purchase_order_channel
from schema.node import load_node, visibility
from schema.procurement.types import PurchaseOrder
from schema.realtime.events import ChangeEvent, committed_node, event_fields
from schema.realtime.messages import MessageGroup
from schema.realtime.subscribing import AfterCursor, after_cursor, global_pk, not_found

ORDERS_TABLE = "purchase_orders"


@strawberry.type(
    description="A change of one purchase order: the order itself, one of its lines, "
    "payments or lots (`table` says which; the order shows the result)."
)
class PurchaseOrderChange(ChangeEvent):
    purchase_order: PurchaseOrder | None = strawberry.field(
        description="The purchase order after this change; its relations load like any query."
    )


async def _changes(
    info: Info[Any, Any], group: MessageGroup, global_id: str, after: str | None
) -> AsyncGenerator[PurchaseOrderChange, None]:
    seen = visibility(info, PurchaseOrder)
    pk = global_pk(global_id, "PurchaseOrder")
    cursor = after_cursor(after)
    if await load_node(info, PurchaseOrder, pk) is None:
        raise not_found("PurchaseOrder", global_id)
    async for record in group.changes(purchase_order_channel(pk), cursor):
        own = record.table == ORDERS_TABLE
        order = await committed_node(info, PurchaseOrder, seen, pk, record, as_committed=own)
        if order is None:
            continue
        yield PurchaseOrderChange(
            purchase_order=order, **event_fields(info, record, PurchaseOrder, order)
        )


@strawberry.type
class ProcurementSubscription:
    @strawberry.subscription(
        description="Every change of one purchase order as it commits (status, totals, "
        "payments, receipts, lots). With `after` (an event's cursor) every change since is "
        "replayed first, then it continues live."
    )
    async def purchase_order_changed(
        self,
        info: Info[Any, Any],
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The purchase order to follow.")
        ],
        after: AfterCursor = None,
    ) -> AsyncGenerator[PurchaseOrderChange, None]:
        group = MessageGroup(info)
        async for event in group.sent(_changes(info, group, id, after)):
            yield event
