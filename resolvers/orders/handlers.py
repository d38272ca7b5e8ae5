"""What orders do when jobs' events arrive: start production, show a shipped job on the
timeline."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Order
from domain.orders import OrderStatus
from resolvers.domain_events import subscribe
from resolvers.events.jobs import JobShipped, JobStartedProduction
from resolvers.lookup import jobs_of
from resolvers.orders.timeline import add_event, job_progress
from resolvers.orders.workflow import ORDER_WORKFLOW
from resolvers.transitions import apply, system_actor


@subscribe(JobStartedProduction)
async def start_production(session: AsyncSession, event: JobStartedProduction) -> None:
    """The first job to start production moves an approved order to in_production."""
    order = await session.get(Order, event.job.order_id, with_for_update=True)
    if order is not None and OrderStatus(order.status) is OrderStatus.APPROVED:
        await apply(
            session,
            system_actor(event.actor),
            ORDER_WORKFLOW,
            order,
            OrderStatus.IN_PRODUCTION,
            reason=f"Job {event.job.job_number} started production",
        )


@subscribe(JobShipped)
async def show_shipped_job(session: AsyncSession, event: JobShipped) -> None:
    """A shipped job shows on the order's timeline ("2 of 3 ready"). Fulfilment stays a
    deliberate step (ops mark the order fulfilled)."""
    job = event.job
    order = await session.get(Order, job.order_id)
    if order is None:
        return
    progress = job_progress([j.status for j in await jobs_of(session, order.id)])
    add_event(
        session,
        order,
        f"Job {job.job_number} shipped ({progress.label})",
        occurred_at=event.at,
        metadata={"job_id": str(job.id), "shipped": progress.shipped, "total": progress.total},
    )
