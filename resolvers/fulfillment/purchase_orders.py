"""What the 3PL does about purchase orders and their lots (BR-19): a submitted PO's lines are
`incoming` at the default fulfillment center; a cancelled one takes back exactly what its
submit raised (read from the ledger), so a PO submitted while no center existed cancels
cleanly. A lot that passes QC is stocked under its own key (center, variant, lot) and the
PO's incoming goes down; a rejected one only lowers incoming; a recalled or expired one
leaves stock. A submitted PO is also expected as an inbound shipment (source PURCHASE_ORDER),
cancelled with it and received with it (issue 27 item 5)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import (
    FulfillmentCenter,
    InboundShipment,
    InventoryLevel,
    InventoryTransaction,
    Lot,
    PurchaseOrder,
    PurchaseOrderLine,
)
from domain.errors import ErrorCode, UserErrors
from domain.fulfillment import (
    AdjustmentReason,
    InboundSourceType,
    InboundStatus,
    LedgerKind,
    LedgerReference,
)
from resolvers import writes
from resolvers.events.procurement import PurchaseOrderReceived
from resolvers.fulfillment import inbound, ledger
from resolvers.fulfillment.centers import default_center
from resolvers.fulfillment.inbound_workflow import INBOUND_WORKFLOW
from resolvers.transitions import apply


async def raise_incoming(session: AsyncSession, actor: Actor, order: PurchaseOrder) -> bool:
    """`incoming` + each line's quantity at the default center; False when there is none
    (nothing raised, the caller says so)."""
    center = await default_center(session)
    if center is None:
        return False
    lines = await session.scalars(
        select(PurchaseOrderLine)
        .where(PurchaseOrderLine.purchase_order_id == order.id)
        .order_by(PurchaseOrderLine.position)
    )
    for line in lines:
        if line.variant_id is None:  # procurement refuses to submit such a line
            continue
        await ledger.record(
            session,
            center_id=center.id,
            variant_id=line.variant_id,
            kind=LedgerKind.INCOMING,
            quantity=line.quantity_ordered,
            reference_type=LedgerReference.PURCHASE_ORDER,
            reference_id=order.id,
            note=f"Purchase order {order.po_number}",
            actor=actor,
        )
    return True


async def outstanding_incoming(
    session: AsyncSession, purchase_order_id: uuid.UUID
) -> list[tuple[uuid.UUID, uuid.UUID, uuid.UUID | None, int]]:
    """(center, variant, lot, units) the PO still holds in `incoming`: the net of every
    ledger row that names it."""
    t = InventoryTransaction
    rows = await session.execute(
        select(t.fulfillment_center_id, t.variant_id, t.lot_id, func.sum(t.incoming_change))
        .where(
            t.reference_type == LedgerReference.PURCHASE_ORDER,
            t.reference_id == purchase_order_id,
        )
        .group_by(t.fulfillment_center_id, t.variant_id, t.lot_id)
        .order_by(t.fulfillment_center_id, t.variant_id)
    )
    return [(c, v, lot, int(units)) for c, v, lot, units in rows if units]


async def lower_incoming(session: AsyncSession, actor: Actor, order: PurchaseOrder) -> None:
    """Take back what the PO still holds in `incoming` (BR-19 "PO cancel incoming -")."""
    for center_id, variant_id, lot_id, units in await outstanding_incoming(session, order.id):
        await ledger.record(
            session,
            center_id=center_id,
            variant_id=variant_id,
            lot_id=lot_id,
            kind=LedgerKind.INCOMING,
            quantity=-units,
            reference_type=LedgerReference.PURCHASE_ORDER,
            reference_id=order.id,
            note=f"Purchase order {order.po_number} cancelled",
            actor=actor,
        )


# -- lots (BR-19: QC pass, QC fail, recall and expiry) ------------------------------------------


async def _incoming_of(
    session: AsyncSession, purchase_order_id: uuid.UUID, variant_id: uuid.UUID
) -> tuple[uuid.UUID | None, int]:
    """Where the PO's incoming for `variant` is held, and how much of it is left."""
    for center_id, variant, lot_id, units in await outstanding_incoming(session, purchase_order_id):
        if variant == variant_id and lot_id is None:
            return center_id, units
    return None, 0


async def _lower(
    session: AsyncSession, actor: Actor, lot: Lot, center_id: uuid.UUID, units: int, why: str
) -> None:
    if units:
        await ledger.record(
            session,
            center_id=center_id,
            variant_id=lot.variant_id,
            kind=LedgerKind.INCOMING,
            quantity=-units,
            reference_type=LedgerReference.PURCHASE_ORDER,
            reference_id=lot.purchase_order_id,
            note=f"Lot {lot.lot_number} {why}",
            actor=actor,
        )


async def _stocked(session: AsyncSession, lot: Lot) -> bool:
    """Whether the lot's units were stocked once: a lot quarantined again (an admin, a
    supplier's quality block) keeps them, so its next inspection must not count them twice."""
    entry = await session.scalar(
        select(InventoryTransaction.id)
        .where(
            InventoryTransaction.lot_id == lot.id,
            InventoryTransaction.kind == LedgerKind.STOCK_IN,
            InventoryTransaction.reference_type == LedgerReference.LOT,
        )
        .limit(1)
    )
    return entry is not None


async def stock_lot(session: AsyncSession, actor: Actor, lot: Lot) -> None:
    """QC passed: the lot's units are on hand at the center its PO was expected at (else the
    default center), under the lot's own key; the PO's incoming goes down by as much. A lot
    released again after a new quarantine is already stocked: nothing changes."""
    if await _stocked(session, lot):
        return
    center_id, outstanding = await _incoming_of(session, lot.purchase_order_id, lot.variant_id)
    if center_id is None:
        center = await default_center(session)
        if center is None:
            raise UserErrors.one(
                ErrorCode.VALIDATION,
                "No active default fulfillment center to stock the lot in; create one first",
                ("input", "id"),
            )
        center_id = center.id
    await ledger.record(
        session,
        center_id=center_id,
        variant_id=lot.variant_id,
        lot_id=lot.id,
        kind=LedgerKind.STOCK_IN,
        quantity=lot.received_quantity,
        reference_type=LedgerReference.LOT,
        reference_id=lot.id,
        note=f"Lot {lot.lot_number} passed QC",
        actor=actor,
    )
    await _lower(
        session, actor, lot, center_id, min(outstanding, lot.received_quantity), "in stock"
    )


async def reject_lot(session: AsyncSession, actor: Actor, lot: Lot) -> None:
    """QC failed: the lot's units will not arrive as stock; the PO's incoming goes down. A lot
    stocked before (quarantined again, then failed) loses its stock like a recalled one."""
    if await _stocked(session, lot):
        await withdraw_lot(session, actor, lot, "rejected")
        return
    center_id, outstanding = await _incoming_of(session, lot.purchase_order_id, lot.variant_id)
    if center_id is not None:
        await _lower(
            session, actor, lot, center_id, min(outstanding, lot.received_quantity), "rejected"
        )


async def withdraw_lot(session: AsyncSession, actor: Actor, lot: Lot, why: str) -> None:
    """Recalled or expired: min(received quantity, on hand) of the lot leaves every level it
    is stocked at (SPEC §9 #19), as an adjustment with its reason."""
    levels = await session.scalars(
        select(InventoryLevel)
        .where(InventoryLevel.lot_id == lot.id)
        .order_by(InventoryLevel.fulfillment_center_id)
    )
    left = lot.received_quantity
    for level in levels:
        units = min(left, level.on_hand)
        if units <= 0:
            continue
        await ledger.record(
            session,
            center_id=level.fulfillment_center_id,
            variant_id=lot.variant_id,
            lot_id=lot.id,
            kind=LedgerKind.ADJUSTMENT,
            quantity=-units,
            reason=AdjustmentReason.LOT_WITHDRAWN,
            reference_type=LedgerReference.LOT,
            reference_id=lot.id,
            note=f"Lot {lot.lot_number} {why}",
            actor=actor,
        )
        left -= units


# -- the PO's inbound shipment (issue 27 item 5) ------------------------------------------------

# Where a PO's shipment may still be cancelled: its goods have not been received.
_NOT_ARRIVED = (InboundStatus.EXPECTED, InboundStatus.IN_TRANSIT, InboundStatus.DELIVERED)


async def expect_purchase_order(
    session: AsyncSession, actor: Actor, order: PurchaseOrder, center: FulfillmentCenter
) -> InboundShipment | None:
    """The submitted PO's goods, expected at `center` as an inbound shipment with source
    PURCHASE_ORDER, one item per PO line. Its `incoming` is the PO's own (raise_incoming),
    so the shipment raises none: lots' QC lowers it under the PO's reference."""
    kind = InboundSourceType.PURCHASE_ORDER
    if await inbound.shipment_of_source(session, kind, order.id) is not None:
        return None
    lines = [
        inbound.ExpectedLine(line.variant_id, line.quantity_ordered, line.id)
        for line in await session.scalars(
            select(PurchaseOrderLine)
            .where(PurchaseOrderLine.purchase_order_id == order.id)
            .order_by(PurchaseOrderLine.position)
        )
        if line.variant_id is not None
    ]
    if not lines:
        return None
    return await inbound.create_shipment(
        session,
        actor,
        inbound.NewShipment(
            source_type=kind,
            source_id=order.id,
            manufacturer_id=None,
            fulfillment_center_id=center.id,
            lines=lines,
            expected_arrival=order.expected_at.date() if order.expected_at else None,
            notes=f"Purchase order {order.po_number}",
            raises_incoming=False,
        ),
    )


async def cancel_expected(session: AsyncSession, actor: Actor, order: PurchaseOrder) -> None:
    """The cancelled PO's shipment will not come: CANCELLED, if it has not arrived."""
    shipment = await inbound.shipment_of_source(session, InboundSourceType.PURCHASE_ORDER, order.id)
    if shipment is not None and shipment.status in _NOT_ARRIVED:
        await apply(
            session,
            actor,
            INBOUND_WORKFLOW,
            shipment,
            InboundStatus.CANCELLED,
            reason=f"Purchase order {order.po_number} cancelled",
        )


async def receive_purchase_order(
    session: AsyncSession, actor: Actor, event: PurchaseOrderReceived
) -> None:
    """The PO's goods were received into lots: its shipment is RECEIVED with the same
    who/when, condition and temperature (a later delivery of the same PO adds its units to
    the items), each item counting the units received on its PO line."""
    if event.shipment_id is None:
        return
    shipment = await session.get(InboundShipment, event.shipment_id, with_for_update=True)
    assert shipment is not None, "procurement named a shipment that exists"
    if shipment.status is InboundStatus.IN_TRANSIT:
        # It reached the dock: received goods have been delivered.
        await apply(session, actor, INBOUND_WORKFLOW, shipment, InboundStatus.DELIVERED)
    if shipment.status in (InboundStatus.EXPECTED, InboundStatus.DELIVERED):
        await apply(
            session,
            actor,
            INBOUND_WORKFLOW,
            shipment,
            InboundStatus.RECEIVED,
            inputs={
                "package_condition": event.package_condition,
                "temperature_on_arrival": event.temperature_on_arrival,
                "received_by": event.actor.id,
            },
            reason=f"Purchase order {event.purchase_order.po_number} received",
        )
        # When the goods came, as the receiver gave it (the move stamps now).
        await writes.update(session, actor, shipment, {"received_at": event.received_at})
    for item in await inbound.items_of(session, shipment.id):
        units = event.units_by_line.get(item.source_line_id) if item.source_line_id else None
        if units:
            received = (item.received_quantity or 0) + units
            await writes.update(session, actor, item, {"received_quantity": received})
