"""What the catalog does when other domains' events arrive, in the same transaction: it
owns the manufacturer row, so it writes the balances finance recalculates there."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Manufacturer
from resolvers import writes
from resolvers.domain_events import subscribe
from resolvers.events.manufacturers import ManufacturerAccountRecalculated
from resolvers.transitions import system_actor


@subscribe(ManufacturerAccountRecalculated)
async def record_account(session: AsyncSession, event: ManufacturerAccountRecalculated) -> None:
    """BR-24's inputs stay current: balance, credit and standing as finance computed them.
    A credit hold (BR-25) is switched on, never off: lifting one is a person's decision."""
    manufacturer = await session.get_one(Manufacturer, event.manufacturer_id)
    values: dict[str, Any] = {
        "current_balance": event.current_balance,
        "credit_balance": event.credit_balance,
        "payment_standing": event.payment_standing,
    }
    if event.credit_hold:
        values["credit_hold_enabled"] = True
    await writes.update(session, system_actor(event.actor), manufacturer, values)
