"""What routing does when other domains' events arrive: route an approved or released order,
reroute a declined job."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Order,
)
from domain import routing
from domain.jobs import RoutedBy
from domain.notifications import NotificationPriority, NotificationType
from domain.orders import OrderPriority, OrderStatus, Technique
from domain.routing import (
    CandidateSource,
    ManufacturerSource,
)
from resolvers.domain_events import subscribe
from resolvers.events.jobs import JobDeclined
from resolvers.events.orders import OrderApproved, OrderHoldReleased
from resolvers.notify import about, notify_admins, notify_new_job
from resolvers.routing.rules import (
    announce_job,
    create_job,
    family_of,
    job_count,
    job_items,
    manufacturer_states,
    manufacturers_of,
    record_decision,
    route,
)
from resolvers.transitions import system_actor


@subscribe(OrderApproved)
async def route_approved_order(session: AsyncSession, event: OrderApproved) -> None:
    """Submitted → approved: route, unless the order is on HOLD (routing waits until the
    hold is released)."""
    if event.order.priority is not OrderPriority.HOLD:
        await route(session, system_actor(event.actor), event.order)


@subscribe(OrderHoldReleased)
async def route_released_order(session: AsyncSession, event: OrderHoldReleased) -> None:
    """An approved order that waited on HOLD without being routed is routed now, as the
    caller who released it."""
    order = event.order
    if order.status is OrderStatus.APPROVED and order.routed_at is None:
        await route(session, event.actor, order)


@subscribe(JobDeclined)
async def reroute_declined_job(session: AsyncSession, event: JobDeclined) -> None:
    """BR-8, SPEC §9 #16: a declined job is replaced by a new job for the backup (else the
    family's other assignments by priority), or by a PENDING_ASSIGNMENT job; admins are
    told either way. Nothing happens for an order that was canceled."""
    actor = system_actor(event.actor)
    declined = event.job
    order = await session.get_one(Order, declined.order_id)
    if order.status is OrderStatus.CANCELED:
        return
    items = await job_items(session, declined.id)
    family = await family_of(session, declined.product_family_id)
    wanted = set(manufacturers_of(family))
    if declined.manufacturer_id is not None:
        wanted.add(declined.manufacturer_id)
    states = await manufacturer_states(session, wanted)
    replacement = routing.choose_replacement(
        family,
        states,
        techniques=[Technique(i.technique) for i in items],
        quantity=sum(i.quantity for i in items),
        declined_by=declined.manufacturer_id,
    )
    # The job's cascade level: an assignment row, nobody, or (for the backup, which is no
    # cascade level) none; routed_by fallback and the reason say the rest.
    source: ManufacturerSource | None = None
    if replacement.manufacturer_id is None:
        source = ManufacturerSource.UNASSIGNED
    elif replacement.source is CandidateSource.FAMILY_ASSIGNMENT:
        source = ManufacturerSource.FAMILY_ASSIGNMENT
    job = await create_job(
        session,
        actor,
        order,
        await job_count(session, order.id),
        manufacturer_id=replacement.manufacturer_id,
        family_id=declined.product_family_id,
        items=[(i.order_item_id, i.quantity) for i in items],
        routed_by=RoutedBy.FALLBACK,
        source=source,
        why=[replacement.why],
        original_manufacturer_id=declined.manufacturer_id,
        lead_time_days=replacement.lead_time_days,
        decoration_type=declined.decoration_type,
        quoted_cost=replacement.cost,
        replaces_job_id=declined.id,
    )
    record_decision(
        session,
        actor,
        job,
        replacement.considered,
        replacement.notices,
        previous_manufacturer_id=declined.manufacturer_id,
    )
    await notify_new_job(session, job)
    announce_job(
        session, job, pending_reason=replacement.reason, backup=False, warnings=replacement.warnings
    )
    outcome = (
        f"New job {job.job_number} created for {states[replacement.manufacturer_id].name}, "
        f"original {declined.job_number} marked DECLINED"
        if replacement.manufacturer_id is not None
        else f"No other manufacturer available: {job.job_number} waits for assignment, "
        f"original {declined.job_number} marked DECLINED"
    )
    reason = declined.decline_reason.value if declined.decline_reason else "no reason"
    notify_admins(
        session,
        NotificationType.JOB_DECLINED,
        f"{declined.job_number} declined",
        f"{outcome} (decline reason: {reason})",
        **about(declined),
        priority=NotificationPriority.HIGH,
    )
