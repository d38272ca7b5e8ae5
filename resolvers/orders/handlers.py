"""What orders do when other domains' events arrive: start production and show a shipped
job on the timeline (jobs); submit a paid draft, hold an unmatched payment and show a
lapsed checkout (checkout)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Order
from domain.orders import OrderPriority, OrderStatus
from resolvers import writes
from resolvers.domain_events import subscribe
from resolvers.events.checkout import (
    CheckoutLapsed,
    CheckoutPaid,
    CheckoutPaymentHeld,
    PaymentRefunded,
    RefundRequested,
)
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


# -- checkout (issue 29) -------------------------------------------------------------------------

# [001]'s webhook inserts exactly this event (SPEC §2.2, BR-48).
PAYMENT_CONFIRMED = "Payment confirmed, order queued for production"


@subscribe(CheckoutPaid)
async def submit_paid_order(session: AsyncSession, event: CheckoutPaid) -> None:
    """BR-48: a paid draft becomes submitted, with the "Queued" event, in the webhook's
    transaction. Only from draft (checkout holds a payment for any other status)."""
    order = await session.get(Order, event.order_id, with_for_update=True)
    if order is None or OrderStatus(order.status) is not OrderStatus.DRAFT:
        return
    await apply(
        session,
        system_actor(event.actor),
        ORDER_WORKFLOW,
        order,
        OrderStatus.SUBMITTED,
        reason=f"Payment confirmed (Stripe session {event.stripe_session_id})",
        inputs={"timeline_message": PAYMENT_CONFIRMED},
    )


@subscribe(CheckoutPaymentHeld)
async def hold_unmatched_payment(session: AsyncSession, event: CheckoutPaymentHeld) -> None:
    """Money that cannot be applied holds the order (priority HOLD, still a draft) until ops
    resolve it; the customer's timeline says it is under review."""
    order = await session.get(Order, event.order_id, with_for_update=True)
    if order is None:
        return
    if OrderStatus(order.status) not in (OrderStatus.FULFILLED, OrderStatus.CANCELED):
        await writes.update(
            session, system_actor(event.actor), order, {"priority": OrderPriority.HOLD}
        )
    add_event(
        session,
        order,
        "Payment received; our team is reviewing it before production",
        occurred_at=event.at,
        metadata={"payment_held": True},
    )


@subscribe(CheckoutLapsed)
async def show_lapsed_checkout(session: AsyncSession, event: CheckoutLapsed) -> None:
    """An expired session or failed delayed payment shows on the timeline; the draft stays
    payable (resumeCheckout)."""
    order = await session.get(Order, event.order_id)
    if order is not None:
        add_event(session, order, event.message, occurred_at=event.at)


@subscribe(RefundRequested)
async def cancel_refunded_order(session: AsyncSession, event: RefundRequested) -> None:
    """refundOrder with cancel: the order is canceled with the refund, in its transaction; a
    move the order machine refuses (a job already accepted) refuses the refund too."""
    order = await session.get(Order, event.order_id, with_for_update=True)
    if order is None:
        return
    if event.cancel and OrderStatus(order.status) is not OrderStatus.CANCELED:
        await apply(
            session,
            system_actor(event.actor),
            ORDER_WORKFLOW,
            order,
            OrderStatus.CANCELED,
            reason=event.reason,
            inputs={"cancel_reason": event.reason, "refunded": True},
        )
    add_event(
        session,
        order,
        f"Refund of {event.amount} {order.currency} requested",
        occurred_at=event.at,
        metadata={"refund": str(event.amount)},
    )


@subscribe(PaymentRefunded)
async def show_refund(session: AsyncSession, event: PaymentRefunded) -> None:
    order = await session.get(Order, event.order_id)
    if order is not None:
        add_event(
            session,
            order,
            f"Refund of {event.amount} {order.currency} confirmed",
            occurred_at=event.at,
            metadata={"refunded": str(event.amount)},
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
