"""What procurement does when other domains' events arrive (resolvers.domain_events), in the
publisher's transaction: the 3PL's QC of a lot moves the lot (issue 27 item 7)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Lot
from domain.procurement import LotStatus
from resolvers.domain_events import subscribe
from resolvers.events.lot_qc import LotQcCompleted, LotQcEvent, LotQcStarted
from resolvers.procurement.workflow import LOT_WORKFLOW, QC_INSPECTION
from resolvers.transitions import apply


async def _lot(session: AsyncSession, event: LotQcEvent) -> Lot:
    lot = await session.get(Lot, event.lot_id, with_for_update=True)
    assert lot is not None, "an inspected lot is never deleted"
    return lot


@subscribe(LotQcStarted)
async def quarantine_inspected_lot(session: AsyncSession, event: LotQcStarted) -> None:
    """QC started (BR-42): PENDING → QUARANTINED, by the inspector (a lot already in
    quarantine — a supplier's quality block, an admin — stays there)."""
    lot = await _lot(session, event)
    if LotStatus(lot.status) is LotStatus.QUARANTINED:
        return
    reason = f"QC {event.inspection.inspection_number} started"
    await apply(
        session,
        event.actor,
        LOT_WORKFLOW,
        lot,
        LotStatus.QUARANTINED,
        inputs={"status_reason": reason, QC_INSPECTION: event.inspection},
        reason=reason,
    )


@subscribe(LotQcCompleted)
async def decide_inspected_lot(session: AsyncSession, event: LotQcCompleted) -> None:
    """QC passed: ACTIVE (stocked, BR-19); failed: REJECTED with the failing tests. The
    inspection goes with the move: only it releases or rejects a lot (LOT_WORKFLOW's guards)."""
    target = LotStatus.ACTIVE if event.passed else LotStatus.REJECTED
    await apply(
        session,
        event.actor,
        LOT_WORKFLOW,
        await _lot(session, event),
        target,
        inputs={"status_reason": event.reason, QC_INSPECTION: event.inspection},
        reason=event.reason,
    )
