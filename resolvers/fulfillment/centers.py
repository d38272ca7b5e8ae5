"""Which fulfillment center: the default one, where goods go unless told otherwise."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FulfillmentCenter


async def default_center(session: AsyncSession) -> FulfillmentCenter | None:
    """The active default fulfillment center (at most one is the default, a unique index
    says so), or None when there is none or it was deactivated."""
    statement = select(FulfillmentCenter).where(
        FulfillmentCenter.is_default.is_(True), FulfillmentCenter.is_active.is_(True)
    )
    return (await session.execute(statement)).scalar_one_or_none()
