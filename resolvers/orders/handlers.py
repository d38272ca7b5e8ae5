"""What orders do when jobs' events arrive: start production, show a shipped job on the
timeline."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Order
from domain.orders import OrderStatus
from resolvers.domain_events import subscribe
from resolvers.events.jobs import JobShipped, JobStartedProduction
from resolvers.events.outbound import OutboundDelivered, OutboundShipped
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


# -- outbound shipments (the 3PL) -------------------------------------------------------------


@subscribe(OutboundShipped)
async def show_tracking(session: AsyncSession, event: OutboundShipped) -> None:
    """A package handed to the carrier puts its tracking on the order's timeline (the
    customer's page follows it live); the last package to leave says the order shipped."""
    shipment = event.shipment
    order = await session.get(Order, event.order_id)
    if order is None:
        return
    carrier = shipment.carrier.value if shipment.carrier else "the carrier"
    message = (
        f"Package {shipment.shipment_number} shipped with {carrier}, "
        f"tracking {shipment.tracking_number}"
    )
    if event.order_shipped and event.packages > 1:
        message += f" (all {event.packages} packages shipped)"
    add_event(
        session,
        order,
        message,
        occurred_at=event.at,
        metadata={
            "outbound_shipment_id": str(shipment.id),
            "shipment_number": shipment.shipment_number,
            "carrier": carrier,
            "tracking_number": shipment.tracking_number,
            "tracking_url": shipment.tracking_url,
            "order_shipped": event.order_shipped,
        },
    )


@subscribe(OutboundDelivered)
async def fulfil_when_delivered(session: AsyncSession, event: OutboundDelivered) -> None:
    """Delivery of the order's last package (every line in one) fulfils the order (SPEC
    §2.9: "delivered sets the order state"); an approved order passes in_production first."""
    order = await session.get(Order, event.order_id, with_for_update=True)
    if order is None:
        return
    add_event(
        session,
        order,
        f"Package {event.shipment.shipment_number} delivered",
        occurred_at=event.at,
        metadata={"outbound_shipment_id": str(event.shipment.id)},
    )
    if not event.order_delivered:
        return
    actor = system_actor(event.actor)
    reason = "Every package was delivered"
    if OrderStatus(order.status) is OrderStatus.APPROVED:
        await apply(session, actor, ORDER_WORKFLOW, order, OrderStatus.IN_PRODUCTION, reason=reason)
    if OrderStatus(order.status) is OrderStatus.IN_PRODUCTION:
        await apply(
            session,
            actor,
            ORDER_WORKFLOW,
            order,
            OrderStatus.FULFILLED,
            reason=reason,
            inputs={"delivered": True},
        )
