"""What checkout does when other domains' events arrive: a production order placed gets its
first checkout attempt, in the same transaction (resolvers.checkout.sessions)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.checkout.sessions import record_attempt
from resolvers.domain_events import subscribe
from resolvers.events.checkout import ProductionOrderPlaced


@subscribe(ProductionOrderPlaced)
async def first_attempt(session: AsyncSession, event: ProductionOrderPlaced) -> None:
    await record_attempt(session, event.actor, event.order)
