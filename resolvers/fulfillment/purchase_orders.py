"""What the 3PL does about purchase orders (BR-19): a submitted PO's lines are `incoming` at
the default fulfillment center; a cancelled one takes back exactly what its submit raised
(read from the ledger), so a PO submitted while no center existed cancels cleanly."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import InventoryTransaction, PurchaseOrder, PurchaseOrderLine
from domain.fulfillment import LedgerKind, LedgerReference
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
