"""The outbound shipment workflow (SPEC §2.9 Rec): PENDING → PICKING → PACKING → PACKED →
SHIPPED → (IN_TRANSIT) → DELIVERED, CANCELED before anything is picked. Picking records the
picks in the ledger (on hand and reserved both fall); canceling releases the reservation;
shipping needs carrier and tracking and tells the order."""

from __future__ import annotations

from sqlalchemy import select

from auth.permissions import Permission
from db.models import OrderItem, OutboundShipment, OutboundShipmentItem
from domain.errors import ErrorCode, Problem
from domain.fulfillment import (
    OUTBOUND_LEFT,
    LedgerKind,
    LedgerReference,
    OutboundStatus,
    tracking_url,
)
from domain.workflow import Move, StateMachine
from resolvers.domain_events import publish
from resolvers.events.outbound import OutboundDelivered, OutboundShipped
from resolvers.fulfillment.ledger import record
from resolvers.fulfillment.packages import order_fully_packaged
from resolvers.transitions import TransitionContext

Ctx = TransitionContext[OutboundStatus]
PENDING, PICKING, PACKING, PACKED, SHIPPED, IN_TRANSIT, DELIVERED, CANCELED = (
    OutboundStatus.PENDING,
    OutboundStatus.PICKING,
    OutboundStatus.PACKING,
    OutboundStatus.PACKED,
    OutboundStatus.SHIPPED,
    OutboundStatus.IN_TRANSIT,
    OutboundStatus.DELIVERED,
    OutboundStatus.CANCELED,
)
MANAGE = Permission.MANAGE_OUTBOUND


async def _items(ctx: Ctx) -> list[tuple[OutboundShipmentItem, OrderItem]]:
    rows = await ctx.session.execute(
        select(OutboundShipmentItem, OrderItem)
        .join(OrderItem, OrderItem.id == OutboundShipmentItem.order_item_id)
        .where(OutboundShipmentItem.shipment_id == ctx.entity.id)
        .order_by(OutboundShipmentItem.created_at)
    )
    return [(item, line) for item, line in rows]


async def pick_everything(ctx: Ctx) -> None:
    """Picked: each item leaves the shelf (BR-15: on hand and reserved both fall)."""
    for item, line in await _items(ctx):
        if item.picked_at is not None:
            continue
        await record(
            ctx.session,
            center_id=ctx.entity.fulfillment_center_id,
            variant_id=line.variant_id,
            kind=LedgerKind.PICK,
            quantity=item.quantity,
            reference_type=LedgerReference.OUTBOUND_SHIPMENT,
            reference_id=ctx.entity.id,
            actor=ctx.actor,
        )
        item.picked_at, item.picked_by = ctx.now, ctx.actor.id
    await ctx.session.flush()


async def release_reservation(ctx: Ctx) -> None:
    """Canceled before picking: what was reserved for it is available again (BR-14)."""
    for item, line in await _items(ctx):
        await record(
            ctx.session,
            center_id=ctx.entity.fulfillment_center_id,
            variant_id=line.variant_id,
            kind=LedgerKind.UNRESERVE,
            quantity=item.quantity,
            reference_type=LedgerReference.OUTBOUND_SHIPMENT,
            reference_id=ctx.entity.id,
            actor=ctx.actor,
        )


async def require_tracking_link(ctx: Ctx) -> Problem | None:
    number = ctx.inputs.get("tracking_number")
    if number is not None and len(str(number).strip()) > 100:
        return ctx.problem(ErrorCode.VALIDATION, "at most 100 characters", "tracking_number")
    return None


async def _siblings(ctx: Ctx) -> list[OutboundStatus]:
    rows = await ctx.session.execute(
        select(OutboundShipment.status).where(
            OutboundShipment.order_id == ctx.entity.order_id,
            OutboundShipment.status != CANCELED,
        )
    )
    return [OutboundStatus(s) for s in rows.scalars()]


async def announce_shipped(ctx: Ctx) -> None:
    shipment = ctx.entity
    shipment.tracking_url = tracking_url(
        shipment.carrier.value if shipment.carrier else None, shipment.tracking_number
    )
    await ctx.session.flush()
    statuses = await _siblings(ctx)
    await publish(
        ctx.session,
        OutboundShipped(
            shipment=shipment,
            order_id=shipment.order_id,
            actor=ctx.actor,
            at=ctx.now,
            order_shipped=all(s in OUTBOUND_LEFT for s in statuses),
            packages=len(statuses),
        ),
    )


async def announce_delivered(ctx: Ctx) -> None:
    shipment = ctx.entity
    statuses = await _siblings(ctx)
    every_package = all(s is DELIVERED for s in statuses)
    await publish(
        ctx.session,
        OutboundDelivered(
            shipment=shipment,
            order_id=shipment.order_id,
            actor=ctx.actor,
            at=ctx.now,
            order_delivered=every_package
            and await order_fully_packaged(ctx.session, shipment.order_id),
        ),
    )


def _delivered(source: OutboundStatus) -> Move[OutboundStatus]:
    return Move(
        source,
        DELIVERED,
        MANAGE,
        "Delivered to the customer; the order is fulfilled once every package is.",
        stamps=("delivered_at",),
        effects=(announce_delivered,),
    )


def _cancel(source: OutboundStatus) -> Move[OutboundStatus]:
    return Move(
        source,
        CANCELED,
        MANAGE,
        "Cancel before anything is picked; the reservation is released.",
        requires=("reason",),
        stamps=("canceled_at",),
        effects=(release_reservation,),
    )


OUTBOUND_WORKFLOW = StateMachine(
    entity="OutboundShipment",
    statuses=OutboundStatus,
    initial=PENDING,
    read=Permission.VIEW_OUTBOUND,
    moves=(
        Move(PENDING, PICKING, MANAGE, "Start picking.", stamps=("picking_started_at",)),
        Move(
            PICKING,
            PACKING,
            MANAGE,
            "Everything is picked: the ledger records each pick.",
            effects=(pick_everything,),
        ),
        Move(
            PACKING,
            PACKED,
            MANAGE,
            "Packed: weight and dimensions may be recorded.",
            writes=("weight_kg", "length_cm", "width_cm", "height_cm", "shipping_cost"),
            stamps=("packed_at",),
        ),
        Move(
            PACKED,
            SHIPPED,
            MANAGE,
            "Handed to the carrier: carrier and tracking number are required and reach the order.",
            requires=("carrier", "tracking_number"),
            writes=("carrier", "tracking_number", "shipping_cost"),
            guards=(require_tracking_link,),
            stamps=("shipped_at",),
            effects=(announce_shipped,),
        ),
        Move(SHIPPED, IN_TRANSIT, MANAGE, "The carrier reports it on its way."),
        _delivered(SHIPPED),
        _delivered(IN_TRANSIT),
        _cancel(PENDING),
        _cancel(PICKING),
    ),
)
