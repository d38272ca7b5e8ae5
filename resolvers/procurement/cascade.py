"""SPEC §2.4's cascade of a supplier's status change, applied in the same transaction: its
draft POs cancelled, its open POs flagged, blocked or cancelled, its price lists deactivated
or flagged, its lots flagged or (a quality block) quarantined (domain.procurement.CASCADE
holds the table). Every cascaded change is written through the shared paths (a PO's cancel
and a lot's quarantine through their state machines), so each is audited, and its audit
entry names the supplier change that caused it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from auth.actor import Actor
from db.models import Lot, PurchaseOrder, SupplierPriceList
from domain.enums import AuditAction
from domain.procurement import (
    CANCELLABLE_PO_STATUSES,
    CASCADE,
    OPEN_PO_STATUSES,
    BlockKind,
    DraftPoEffect,
    LotEffect,
    LotStatus,
    OpenPoEffect,
    PriceListEffect,
    PurchaseOrderStatus,
    SupplierHold,
    SupplierStatus,
)
from domain.workflow import StateMachine
from resolvers import writes
from resolvers.transitions import TransitionContext, apply, system_actor

P = PurchaseOrderStatus


async def apply_cascade(
    ctx: TransitionContext[SupplierStatus],
    po_machine: StateMachine[PurchaseOrderStatus],
    lot_machine: StateMachine[LotStatus],
) -> None:
    supplier = ctx.entity
    target = SupplierStatus(ctx.move.target)
    row = CASCADE[target]
    reason = f"Supplier {supplier.code} {target.value}: {ctx.inputs.get('status_reason')}"
    context = {"cascade": "supplier_status", "supplier_id": str(supplier.id), "to": target.value}
    actor = system_actor(ctx.actor)  # the system, acting on the caller's request

    async def cancel(order: PurchaseOrder) -> None:
        await apply(
            ctx.session,
            actor,
            po_machine,
            order,
            P.CANCELLED,
            inputs={"cancel_reason": reason},
            reason=reason,
        )

    async def hold(order: Any, mark: SupplierHold) -> None:
        values: dict[str, Any] = {"supplier_hold": mark}
        if isinstance(order, PurchaseOrder):
            values["supplier_hold_reason"] = reason
        await writes.update(ctx.session, actor, order, values, context=context)

    orders = (
        await ctx.session.scalars(
            select(PurchaseOrder)
            .where(
                PurchaseOrder.supplier_id == supplier.id,
                PurchaseOrder.deleted_at.is_(None),
                PurchaseOrder.status.in_([P.DRAFT, *OPEN_PO_STATUSES]),
            )
            .order_by(PurchaseOrder.created_at, PurchaseOrder.id)
            .with_for_update()
        )
    ).all()
    for order in orders:
        status = P(order.status)
        if status is P.DRAFT:
            if row.draft_pos is DraftPoEffect.CANCEL:
                await cancel(order)
        elif row.open_pos is OpenPoEffect.FLAG:
            await hold(order, SupplierHold.FLAGGED)
        elif row.open_pos is OpenPoEffect.BLOCK:
            await hold(order, SupplierHold.BLOCKED)
        elif row.open_pos is OpenPoEffect.CANCEL:
            # §9 #18: cancel where the PO machine allows it, flag the ones past confirmed.
            if status in CANCELLABLE_PO_STATUSES:
                await cancel(order)
            else:
                await hold(order, SupplierHold.FLAGGED)

    await _cascade_lots(ctx, row.lots, lot_machine, actor, reason, context)
    if row.price_lists is PriceListEffect.NONE:
        return
    price_lists = (
        await ctx.session.scalars(
            select(SupplierPriceList)
            .where(
                SupplierPriceList.supplier_id == supplier.id,
                SupplierPriceList.deleted_at.is_(None),
                SupplierPriceList.is_active.is_(True),
            )
            .order_by(SupplierPriceList.created_at, SupplierPriceList.id)
            .with_for_update()
        )
    ).all()
    for price_list in price_lists:
        if row.price_lists is PriceListEffect.DEACTIVATE:
            await writes.update(
                ctx.session,
                actor,
                price_list,
                {"is_active": False},
                action=AuditAction.DEACTIVATED,
                context=context,
            )
        else:
            await hold(price_list, SupplierHold.FLAGGED)


_OPEN_LOTS = (LotStatus.PENDING, LotStatus.QUARANTINED, LotStatus.ACTIVE)


async def _cascade_lots(
    ctx: TransitionContext[SupplierStatus],
    effect: LotEffect,
    lot_machine: StateMachine[LotStatus],
    actor: Actor,
    reason: str,
    context: dict[str, Any],
) -> None:
    """Suspended: its open lots are flagged. Blocked for quality: its pending and active lots
    are quarantined (SPEC §9 #18); for a business reason they stay as they are."""
    quality = ctx.inputs.get("block_kind") == BlockKind.QUALITY
    if effect is LotEffect.NONE or (effect is LotEffect.QUARANTINE_IF_QUALITY and not quality):
        return
    lots = (
        await ctx.session.scalars(
            select(Lot)
            .where(Lot.supplier_id == ctx.entity.id, Lot.status.in_(_OPEN_LOTS))
            .order_by(Lot.lot_number)
            .with_for_update()
        )
    ).all()
    for lot in lots:
        if effect is LotEffect.FLAG:
            values = {"supplier_hold": SupplierHold.FLAGGED}
            await writes.update(ctx.session, actor, lot, values, context=context)
        elif LotStatus(lot.status) is not LotStatus.QUARANTINED:
            await apply(
                ctx.session,
                actor,
                lot_machine,
                lot,
                LotStatus.QUARANTINED,
                inputs={"status_reason": reason},
                reason=reason,
            )
