"""How much of each order line is already in an outbound shipment (canceled ones aside):
what creating another would still have to ship, and whether the order is fully packaged."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import OrderItem, OutboundShipment, OutboundShipmentItem
from domain.fulfillment import OutboundStatus


async def remaining(session: AsyncSession, order_id: uuid.UUID) -> list[tuple[OrderItem, int]]:
    """Each line of the order with the units no live shipment holds yet, in line order."""
    packaged = (
        select(
            OutboundShipmentItem.order_item_id,
            func.sum(OutboundShipmentItem.quantity).label("packaged"),
        )
        .join(OutboundShipment, OutboundShipment.id == OutboundShipmentItem.shipment_id)
        .where(
            OutboundShipment.order_id == order_id,
            OutboundShipment.status != OutboundStatus.CANCELED,
        )
        .group_by(OutboundShipmentItem.order_item_id)
        .subquery()
    )
    rows = await session.execute(
        select(OrderItem, func.coalesce(packaged.c.packaged, 0))
        .outerjoin(packaged, packaged.c.order_item_id == OrderItem.id)
        .where(OrderItem.order_id == order_id)
        .order_by(OrderItem.position, OrderItem.created_at)
    )
    return [(line, line.quantity - int(done)) for line, done in rows]


async def order_fully_packaged(session: AsyncSession, order_id: uuid.UUID) -> bool:
    return all(left <= 0 for _, left in await remaining(session, order_id))
