"""SPEC §2.4's cascade of a supplier's status change, applied in the same transaction: its
draft POs cancelled, its open POs flagged, blocked or cancelled, its price lists deactivated
or flagged (domain.procurement.CASCADE holds the table). Every cascaded change is written
through the shared paths (a PO's cancel through its state machine), so each is audited, and
its audit entry names the supplier change that caused it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import PurchaseOrder, SupplierPriceList
from domain.enums import AuditAction
from domain.procurement import (
    CANCELLABLE_PO_STATUSES,
    CASCADE,
    OPEN_PO_STATUSES,
    DraftPoEffect,
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
    ctx: TransitionContext[SupplierStatus], po_machine: StateMachine[PurchaseOrderStatus]
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
