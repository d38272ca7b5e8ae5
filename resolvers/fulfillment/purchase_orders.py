"""What the 3PL does about purchase orders and their lots (BR-19): a submitted PO's lines are
`incoming` at the default fulfillment center; a cancelled one takes back exactly what its
submit raised (read from the ledger), so a PO submitted while no center existed cancels
cleanly. A lot that passes QC is stocked under its own key (center, variant, lot) and the
PO's incoming goes down; a rejected one only lowers incoming; a recalled or expired one
leaves stock."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import (
    InventoryLevel,
    InventoryTransaction,
    Lot,
    PurchaseOrder,
    PurchaseOrderLine,
)
from domain.errors import ErrorCode, UserErrors
from domain.fulfillment import AdjustmentReason, LedgerKind, LedgerReference
from resolvers.fulfillment import ledger
from resolvers.fulfillment.centers import default_center


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


async def stock_lot(session: AsyncSession, actor: Actor, lot: Lot) -> None:
    """QC passed: the lot's units are on hand at the center its PO was expected at (else the
    default center), under the lot's own key; the PO's incoming goes down by as much."""
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
    """QC failed: the lot's units will not arrive as stock; the PO's incoming goes down."""
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
