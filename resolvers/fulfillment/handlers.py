"""What the 3PL does when other domains' events arrive (resolvers.domain_events), in the
publisher's transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.notifications import NotificationPriority, NotificationType
from resolvers.domain_events import subscribe
from resolvers.events.jobs import JobShipped
from resolvers.events.procurement import (
    LotPassedQc,
    LotRejected,
    LotWithdrawn,
    PurchaseOrderCancelled,
    PurchaseOrderReceived,
    PurchaseOrderSubmitted,
)
from resolvers.fulfillment import purchase_orders
from resolvers.fulfillment.centers import default_center
from resolvers.fulfillment.inbound import expect_shipped_job
from resolvers.notify import about, notify_admins
from resolvers.transitions import system_actor


@subscribe(JobShipped)
async def expect_shipped_goods(session: AsyncSession, event: JobShipped) -> None:
    """A job moving to SHIPPED is expected at the default fulfillment center with its carrier
    and tracking (an EXPECTED inbound shipment, `incoming` raised for its items). Without an
    active default center the job still ships and the admins are told to expect it by hand."""
    center = await default_center(session)
    if center is None:
        notify_admins(
            session,
            NotificationType.INBOUND_UNPLACED,
            f"{event.job.job_number} shipped: no default fulfillment center",
            f"Job {event.job.job_number} shipped but no active default fulfillment center "
            "exists; create its inbound shipment by hand.",
            **about(event.job),
            priority=NotificationPriority.HIGH,
        )
        return
    await expect_shipped_job(session, system_actor(event.actor), event.job, center)


@subscribe(PurchaseOrderSubmitted)
async def expect_purchased_goods(session: AsyncSession, event: PurchaseOrderSubmitted) -> None:
    """BR-19 "PO submit incoming +": the PO's lines are on order at the default center.
    Without one the PO is still submitted and the admins are told."""
    order = event.purchase_order
    actor = system_actor(event.actor)
    center = await default_center(session)
    if center is not None:
        # Issue 27 item 5: its goods are an inbound shipment of the 3PL from now on.
        await purchase_orders.expect_purchase_order(session, actor, order, center)
    if not await purchase_orders.raise_incoming(session, actor, order):
        notify_admins(
            session,
            NotificationType.INBOUND_UNPLACED,
            f"{order.po_number} submitted: no default fulfillment center",
            f"Purchase order {order.po_number} was submitted but no active default "
            "fulfillment center exists; its goods are not counted as incoming.",
            priority=NotificationPriority.HIGH,
        )


@subscribe(PurchaseOrderCancelled)
async def forget_purchased_goods(session: AsyncSession, event: PurchaseOrderCancelled) -> None:
    """BR-19 "PO cancel incoming -": what the PO still holds in incoming goes, and its
    inbound shipment is cancelled."""
    actor = system_actor(event.actor)
    await purchase_orders.lower_incoming(session, actor, event.purchase_order)
    await purchase_orders.cancel_expected(session, actor, event.purchase_order)


@subscribe(PurchaseOrderReceived)
async def receive_purchased_goods(session: AsyncSession, event: PurchaseOrderReceived) -> None:
    """BR-41: the PO's inbound shipment is received with the lots, in the same transaction."""
    await purchase_orders.receive_purchase_order(session, system_actor(event.actor), event)


@subscribe(LotPassedQc)
async def stock_passed_lot(session: AsyncSession, event: LotPassedQc) -> None:
    await purchase_orders.stock_lot(session, system_actor(event.actor), event.lot)


@subscribe(LotRejected)
async def forget_rejected_lot(session: AsyncSession, event: LotRejected) -> None:
    await purchase_orders.reject_lot(session, system_actor(event.actor), event.lot)


@subscribe(LotWithdrawn)
async def withdraw_lot_stock(session: AsyncSession, event: LotWithdrawn) -> None:
    why = str(event.lot.status)
    await purchase_orders.withdraw_lot(session, system_actor(event.actor), event.lot, why)
