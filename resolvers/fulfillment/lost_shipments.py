"""BR-23: inbound shipments still on their way OPSGRAPH_SHIPMENT_LOST_DAYS days after their
expected date are flagged lost and the admins alerted. Run daily (`uv run app.py
flag-lost-shipments`); a shipment is flagged once, so repeated runs alert nobody twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import SYSTEM
from db.models import InboundShipment
from domain.fulfillment import INBOUND_ON_THE_WAY, is_lost
from domain.notifications import NotificationPriority, NotificationType
from resolvers import writes
from resolvers.notify import notify_admins


async def flag_lost_shipments(session: AsyncSession, today: date, lost_days: int) -> int:
    """Flag each overdue shipment not flagged yet and alert the admins; returns how many."""
    latest_expected = today - timedelta(days=lost_days)
    overdue = (
        await session.scalars(
            select(InboundShipment)
            .where(
                InboundShipment.status.in_(INBOUND_ON_THE_WAY),
                InboundShipment.lost_flagged_at.is_(None),
                InboundShipment.expected_arrival <= latest_expected,
            )
            .order_by(InboundShipment.expected_arrival, InboundShipment.shipment_number)
            .with_for_update()
        )
    ).all()
    now = datetime.now(UTC)
    flagged = 0
    for shipment in overdue:
        if not is_lost(shipment.status, shipment.expected_arrival, today, lost_days):
            continue
        await writes.update(session, SYSTEM, shipment, {"lost_flagged_at": now})
        tracking = (
            f" ({shipment.carrier.value} {shipment.tracking_number})"
            if shipment.carrier and shipment.tracking_number
            else ""
        )
        notify_admins(
            session,
            NotificationType.SHIPMENT_LOST,
            f"{shipment.shipment_number} may be lost",
            f"Inbound shipment {shipment.shipment_number}{tracking} was expected on "
            f"{shipment.expected_arrival} and is still {shipment.status.value} after "
            f"{lost_days} days.",
            priority=NotificationPriority.HIGH,
        )
        flagged += 1
    return flagged
