"""Outbound shipments: creating one for an order (reserving its stock), the pick list, and
consolidation (BR-22): an order whose every remaining line is available at one center gets
a PENDING shipment proposed there, rush orders first, then oldest; lines available only
across several centers are reported, never shipped twice."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import (
    FulfillmentCenter,
    InventoryLevel,
    Order,
    OrderItem,
    OutboundShipment,
    OutboundShipmentItem,
)
from domain.errors import ErrorCode, Problem, UserErrors
from domain.fulfillment import CenterCapability, LedgerKind, LedgerReference, OutboundStatus
from domain.orders import OrderPriority, OrderStatus
from resolvers import writes
from resolvers.fulfillment.centers import default_center
from resolvers.fulfillment.ledger import record
from resolvers.fulfillment.packages import remaining
from resolvers.ids import decode_input_id
from resolvers.lookup import not_found
from resolvers.sequences import next_value

# Orders whose goods may leave: approved and not yet fulfilled or canceled.
SHIPPABLE_ORDERS = frozenset({OrderStatus.APPROVED, OrderStatus.IN_PRODUCTION})


@dataclass(frozen=True)
class Wanted:
    order_item_id: uuid.UUID
    quantity: int


async def _shipment_number(session: AsyncSession) -> str:
    year = datetime.now(UTC).year
    return f"OUT-{year}-{await next_value(session, 'OUT', year):04d}"


async def _shipping_center(
    session: AsyncSession, center_global_id: str | None
) -> FulfillmentCenter:
    if center_global_id is None:
        center = await default_center(session)
        if center is None:
            raise UserErrors.one(
                ErrorCode.VALIDATION,
                "There is no default fulfillment center; name one",
                ("input", "centerId"),
            )
        return center
    pk = decode_input_id(center_global_id, "FulfillmentCenter", "centerId")
    found = await session.get(FulfillmentCenter, pk)
    if found is None:
        raise not_found("FulfillmentCenter", center_global_id, "centerId")
    if not found.is_active or CenterCapability.SHIP.value not in (found.capabilities or ()):
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"{found.code} does not ship (inactive, or without the ship capability)",
            ("input", "centerId"),
        )
    return found


async def create_outbound(
    session: AsyncSession,
    actor: Actor,
    order_global_id: str,
    *,
    center_global_id: str | None = None,
    items: Sequence[tuple[str, int]] | None = None,
) -> OutboundShipment:
    """A PENDING shipment of the order from a center (the default unless named), holding
    `items` (order line ID, quantity) or else every unit no live shipment holds yet; its
    stock is reserved now (INSUFFICIENT_STOCK otherwise, and nothing is created). Asking
    again for what is already in a shipment is CONFLICT: a line is never reserved twice."""
    order_id = decode_input_id(order_global_id, "Order", "orderId")
    order = await session.get(Order, order_id, with_for_update=True)
    if order is None:
        raise not_found("Order", order_global_id, "orderId")
    center = await _shipping_center(session, center_global_id)
    wanted: list[Wanted] = []
    if items is not None:
        problems: list[Problem] = []
        for n, (line_global_id, quantity) in enumerate(items):
            line_id = decode_input_id(line_global_id, "OrderItem", f"items.{n}.orderItemId")
            if quantity <= 0:
                problems.append(
                    Problem(
                        ErrorCode.VALIDATION,
                        "must be positive",
                        ("input", "items", str(n), "quantity"),
                    )
                )
            wanted.append(Wanted(line_id, quantity))
        if problems:
            raise UserErrors(problems)
    return await _create(session, actor, order, center, wanted if items is not None else None)


async def _create(
    session: AsyncSession,
    actor: Actor,
    order: Order,
    center: FulfillmentCenter,
    wanted: list[Wanted] | None,
    *,
    proposed: bool = False,
) -> OutboundShipment:
    if OrderStatus(order.status) not in SHIPPABLE_ORDERS:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Order {order.reference} is {order.status}; only approved orders in production ship",
            ("input", "orderId"),
        )
    left = {line.id: (line, units) for line, units in await remaining(session, order.id)}
    if wanted is None:
        wanted = [Wanted(line.id, units) for line, units in left.values() if units > 0]
        if not wanted:
            raise UserErrors.one(
                ErrorCode.CONFLICT,
                f"Every line of {order.reference} is already in an outbound shipment",
                ("input", "orderId"),
            )
    problems: list[Problem] = []
    for n, want in enumerate(wanted):
        if want.order_item_id not in left:
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND,
                    f"Not a line of {order.reference}",
                    ("input", "items", str(n), "orderItemId"),
                )
            )
        elif want.quantity > left[want.order_item_id][1]:
            problems.append(
                Problem(
                    ErrorCode.CONFLICT,
                    f"Only {max(left[want.order_item_id][1], 0)} units of this line are not in "
                    "a shipment yet",
                    ("input", "items", str(n), "quantity"),
                )
            )
    if problems:
        raise UserErrors(problems)
    shipment = await writes.create(
        session,
        actor,
        OutboundShipment(
            shipment_number=await _shipment_number(session),
            order_id=order.id,
            fulfillment_center_id=center.id,
            status=OutboundStatus.PENDING,
            proposed=proposed,
        ),
    )
    for want in wanted:
        line = left[want.order_item_id][0]
        level = await record(
            session,
            center_id=center.id,
            variant_id=line.variant_id,
            kind=LedgerKind.RESERVE,
            quantity=want.quantity,
            reference_type=LedgerReference.OUTBOUND_SHIPMENT,
            reference_id=shipment.id,
            actor=actor,
        )
        await writes.create(
            session,
            actor,
            OutboundShipmentItem(
                shipment_id=shipment.id,
                order_item_id=line.id,
                level_id=level.id,
                quantity=want.quantity,
            ),
        )
    return shipment


# -- consolidation (BR-22) --------------------------------------------------------------------


@dataclass
class Readiness:
    """Where an order's remaining lines could ship from."""

    order: Order
    # line → units still to ship
    lines: dict[uuid.UUID, int] = field(default_factory=dict)
    # the center every remaining line is available at (the default preferred), if any
    center: FulfillmentCenter | None = None
    # lines available only at some center each, not all at one: reported, not shipped
    split: bool = False
    # lines no center can fill yet
    missing: list[uuid.UUID] = field(default_factory=list)


async def readiness(session: AsyncSession, order: Order) -> Readiness:
    lines = [(line, units) for line, units in await remaining(session, order.id) if units > 0]
    report = Readiness(order, {line.id: units for line, units in lines})
    if not lines:
        return report
    per_variant: dict[uuid.UUID, int] = defaultdict(int)
    for line, units in lines:
        per_variant[line.variant_id] += units
    rows = await session.execute(
        select(
            FulfillmentCenter,
            InventoryLevel.variant_id,
            (InventoryLevel.on_hand - InventoryLevel.reserved).label("available"),
        )
        .join(InventoryLevel, InventoryLevel.fulfillment_center_id == FulfillmentCenter.id)
        .where(
            FulfillmentCenter.is_active.is_(True),
            InventoryLevel.variant_id.in_(list(per_variant)),
            InventoryLevel.lot_id.is_(None),
        )
        .order_by(FulfillmentCenter.is_default.desc(), FulfillmentCenter.code)
    )
    centers: dict[uuid.UUID, FulfillmentCenter] = {}
    covered: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)  # center → variants it fills
    anywhere: set[uuid.UUID] = set()
    for center, variant_id, available in rows:
        if CenterCapability.SHIP.value not in (center.capabilities or ()):
            continue
        centers.setdefault(center.id, center)
        if available >= per_variant[variant_id]:
            covered[center.id].add(variant_id)
            anywhere.add(variant_id)
    for center_id, center in centers.items():
        if covered[center_id] >= per_variant.keys():
            report.center = center
            return report
    report.missing = [line.id for line, _ in lines if line.variant_id not in anywhere]
    report.split = not report.missing
    return report


@dataclass(frozen=True)
class Consolidated:
    order: Order
    shipment: OutboundShipment | None
    readiness: Readiness


async def consolidate(
    session: AsyncSession, actor: Actor, *, variant_ids: Sequence[uuid.UUID] | None = None
) -> list[Consolidated]:
    """BR-22 over every approved order not fully in shipments (those with a line of
    `variant_ids` only, when given: what a stock-in may have made ready), rush first, then
    oldest: each order whose remaining lines are all available at one center gets a
    PENDING shipment there with its stock reserved. Earlier orders reserve first, so a
    later one sees only what is left. Orders on HOLD wait."""
    statement = (
        select(Order)
        .where(
            Order.status.in_([s.value for s in SHIPPABLE_ORDERS]),
            Order.priority != OrderPriority.HOLD,
        )
        .order_by(
            case((Order.priority == OrderPriority.RUSH, 0), else_=1), Order.created_at, Order.id
        )
    )
    if variant_ids is not None:
        statement = statement.where(
            Order.id.in_(
                select(OrderItem.order_id).where(OrderItem.variant_id.in_(list(variant_ids)))
            )
        )
    results = []
    for order in (await session.scalars(statement)).all():
        report = await readiness(session, order)
        shipment = None
        if report.center is not None and report.lines:
            shipment = await _create(session, actor, order, report.center, None, proposed=True)
        if report.lines:
            results.append(Consolidated(order, shipment, report))
    return results
