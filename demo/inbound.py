"""The demo's 3PL inbound side, played through the inbound services: the centers exist before
any demo job ships (demo/fulfillment.py), so the JobShipped handler expected each shipped
job's goods at the default center, as in production; here they are received and pass QC,
so the demo holds stock that came in through the workflow."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import InboundShipment
from domain.fulfillment import (
    InboundSourceType,
    InboundStatus,
    PackageCondition,
    QcBulk,
    QcResult,
)
from resolvers.fulfillment import inbound, inspections
from resolvers.ids import global_id_of

CHECKLIST = [
    {"item": "Carton count matches", "passed": True, "note": None},
    {"item": "Print and embroidery", "passed": True, "note": None},
    {"item": "Sizes and labels", "passed": True, "note": None},
]


async def receive_shipped_goods(session: AsyncSession, actor: Actor) -> int:
    """Receive every expected job shipment and pass it through QC (stocked); returns how many.
    Purchase orders' shipments are received with their PO, in lots (demo/procurement.py)."""
    expected = (
        await session.scalars(
            select(InboundShipment)
            .where(
                InboundShipment.status == InboundStatus.EXPECTED,
                InboundShipment.source_type == InboundSourceType.MANUFACTURING_JOB,
            )
            .order_by(InboundShipment.shipment_number)
        )
    ).all()
    for shipment in expected:
        shipment_id = global_id_of(shipment)
        await inbound.receive(
            session,
            actor,
            shipment_id,
            inbound.Receipt(PackageCondition.GOOD, reason="Demo: arrived in good order"),
        )
        made = await inspections.create_inspection(session, actor, shipment_id, CHECKLIST)
        inspection_id = global_id_of(made)
        await inspections.start_inspection(session, actor, inspection_id)
        await inspections.complete_inspection(
            session,
            actor,
            inspection_id,
            inspections.Completion(
                result=QcResult.PASS, bulk=QcBulk.PASS_ALL, notes="Demo: all units passed"
            ),
        )
    return len(expected)
