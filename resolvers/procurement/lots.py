"""Lots (SPEC §2.6): status moves through LOT_WORKFLOW (their inventory effects are the 3PL's
reactions to the lot events, BR-19), and the daily expiry of lots past their date. Lots are
never deleted."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import Lot
from domain.procurement import LotStatus
from resolvers.procurement.workflow import LOT_WORKFLOW
from resolvers.transitions import TransitionContext, apply, transition


async def change_status(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    target: LotStatus,
    reason: str | None,
    expected_version: int | None,
) -> TransitionContext[LotStatus]:
    reason = reason.strip() if reason else None
    inputs: dict[str, Any] = {"status_reason": reason}
    return await transition(
        session,
        actor,
        LOT_WORKFLOW,
        Lot,
        global_id,
        target,
        expected_version=expected_version,
        inputs=inputs,
        reason=reason,
    )


async def expire_lots(session: AsyncSession, actor: Actor, today: date) -> list[str]:
    """Every active lot whose expiration date has passed moves to EXPIRED (its stock leaves);
    the lot numbers, in order."""
    due = (
        await session.scalars(
            select(Lot)
            .where(Lot.status == LotStatus.ACTIVE, Lot.expiration_date < today)
            .order_by(Lot.lot_number)
            .with_for_update()
        )
    ).all()
    for lot in due:
        await apply(
            session,
            actor,
            LOT_WORKFLOW,
            lot,
            LotStatus.EXPIRED,
            inputs={"status_reason": f"expired on {lot.expiration_date}"},
            reason=f"expired on {lot.expiration_date}",
        )
    return [lot.lot_number for lot in due]
