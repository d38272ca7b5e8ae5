"""The demo's 3PL inbound side, played through the 3PL's own services: the fulfillment
centers exist before any job ships (so a shipped job is expected at the default center by
the JobShipped handler, as in production), and afterwards every shipped job's goods are
received and pass QC, so the demo holds stock that came in through the workflow."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import FulfillmentCenter, InboundShipment
from domain.fulfillment import (
    CenterCapability,
    InboundStatus,
    PackageCondition,
    QcBulk,
    QcResult,
)
from domain.jobs import ShippingCarrier
from resolvers.fulfillment import inbound, inspections
from resolvers.fulfillment.rules import create_center
from resolvers.ids import global_id_of

# SPEC §8: "Medallion LA" is the default; "East Coast Warehouse" is FC-EAST.
CENTERS: tuple[dict[str, Any], ...] = (
    {
        "code": "FC-LA",
        "name": "Medallion LA",
        "city": "Los Angeles",
        "region": "CA",
        "country": "US",
        "contact_name": "Logos Distribution",
        "capabilities": list(CenterCapability),
        "carrier_preferences": [ShippingCarrier.UPS, ShippingCarrier.FEDEX],
        "is_default": True,
    },
    {
        "code": "FC-EAST",
        "name": "East Coast Warehouse",
        "city": "Newark",
        "region": "NJ",
        "country": "US",
        "capabilities": list(CenterCapability),
        "carrier_preferences": [ShippingCarrier.FEDEX],
        "is_default": False,
    },
)
CHECKLIST = [
    {"item": "Carton count matches", "passed": True, "note": None},
    {"item": "Print and embroidery", "passed": True, "note": None},
    {"item": "Sizes and labels", "passed": True, "note": None},
]


async def ensure_centers(session: AsyncSession, actor: Actor) -> None:
    """The demo's centers, made through createFulfillmentCenter's rule unless there."""
    codes = set((await session.scalars(select(FulfillmentCenter.code))).all())
    for values in CENTERS:
        if values["code"] not in codes:
            await create_center(session, actor, dict(values))


async def receive_shipped_goods(session: AsyncSession, actor: Actor) -> int:
    """Receive every expected shipment and pass it through QC (stocked); returns how many."""
    expected = (
        await session.scalars(
            select(InboundShipment)
            .where(InboundShipment.status == InboundStatus.EXPECTED)
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
