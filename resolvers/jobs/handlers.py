"""What jobs do when other domains' events arrive (resolvers.domain_events), in the same
transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import (
    DeclineReason,
    JobStatus,
)
from resolvers.domain_events import subscribe
from resolvers.events.jobs import JobAssigned, JobReassigned
from resolvers.events.orders import OrderCanceled
from resolvers.jobs.workflow import JOB_WORKFLOW
from resolvers.lookup import jobs_of
from resolvers.transitions import apply, system_actor


@subscribe(JobAssigned)
async def take_assignment(session: AsyncSession, event: JobAssigned) -> None:
    """assignJob: the waiting job moves PENDING_ASSIGNMENT → NEW, which notifies the new
    manufacturer (refused, like any move, for a caller without ASSIGN_JOBS)."""
    await apply(
        session,
        event.actor,
        JOB_WORKFLOW,
        event.job,
        JobStatus.NEW,
        inputs={"manufacturer_id": event.manufacturer_id},
        reason=event.reason,
    )


@subscribe(JobReassigned)
async def withdraw_acceptance(session: AsyncSession, event: JobReassigned) -> None:
    """reassignJob: the new manufacturer has accepted nothing, so ACCEPTED goes back to NEW."""
    if event.job.status is JobStatus.ACCEPTED:
        await apply(
            session, event.actor, JOB_WORKFLOW, event.job, JobStatus.NEW, reason=event.reason
        )


@subscribe(OrderCanceled)
async def withdraw_open_jobs(session: AsyncSession, event: OrderCanceled) -> None:
    """On cancel, the system declines each of the order's jobs still in NEW (its manufacturer
    is notified by the decline's effects; rerouting skips canceled orders). Jobs waiting in
    PENDING_ASSIGNMENT stay, out of the queue because their order is canceled."""
    system = system_actor(event.actor)
    for job in await jobs_of(session, event.order.id, lock=True):
        if JobStatus(job.status) is not JobStatus.NEW:
            continue
        await apply(
            session,
            system,
            JOB_WORKFLOW,
            job,
            JobStatus.DECLINED,
            inputs={"decline_reason": DeclineReason.OTHER, "decline_notes": "Order canceled"},
            reason=f"Order {event.order.reference} canceled",
        )
