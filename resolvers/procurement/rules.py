"""Rules every procurement record shares: a PO's totals from its lines, its payment status
from its confirmed payments, and the guarded delete of BR-46."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import PurchaseOrder, PurchaseOrderLine, PurchaseOrderPayment
from domain.errors import ErrorCode, UserErrors
from domain.procurement import PoPaymentStatus, PurchaseOrderStatus, payment_status
from resolvers import writes

CENT = Decimal("0.01")


async def line_subtotal(session: AsyncSession, purchase_order_id: uuid.UUID) -> Decimal:
    """Σ quantity * unit cost over the PO's lines."""
    lines = await session.scalars(
        select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == purchase_order_id)
    )
    total = sum((line.unit_cost * line.quantity_ordered for line in lines), Decimal("0.00"))
    return total.quantize(CENT)


def totals(subtotal: Decimal, shipping_cost: Decimal, tax_amount: Decimal) -> dict[str, Decimal]:
    """The PO's money columns: subtotal, shipping and tax as given, total their sum."""
    return {
        "subtotal": subtotal,
        "shipping_cost": shipping_cost,
        "tax_amount": tax_amount,
        "total": (subtotal + shipping_cost + tax_amount).quantize(CENT),
    }


async def refresh_totals(
    session: AsyncSession, actor: Actor, order: PurchaseOrder, values: dict[str, object]
) -> PurchaseOrder:
    """Write `values` and the totals that follow from the lines, audited as one update."""
    shipping = values.get("shipping_cost", order.shipping_cost)
    tax = values.get("tax_amount", order.tax_amount)
    assert isinstance(shipping, Decimal) and isinstance(tax, Decimal)
    subtotal = await line_subtotal(session, order.id)
    return await writes.update(session, actor, order, {**values, **totals(subtotal, shipping, tax)})


async def refresh_payment_status(
    session: AsyncSession, actor: Actor, purchase_order_id: uuid.UUID
) -> PurchaseOrder:
    """Set the PO's payment status from its confirmed payments (SPEC §2.5), locking it."""
    order = await session.get(PurchaseOrder, purchase_order_id, with_for_update=True)
    assert order is not None  # a payment's PO is never removed (ON DELETE RESTRICT)
    confirmed = await session.scalars(
        select(PurchaseOrderPayment.amount_usd).where(
            PurchaseOrderPayment.purchase_order_id == purchase_order_id,
            PurchaseOrderPayment.status == PoPaymentStatus.CONFIRMED,
        )
    )
    status = payment_status(order.total, confirmed)
    return await writes.update(session, actor, order, {"payment_status": status})


def not_deletable(kind: str, label: str, why: str) -> UserErrors:
    """BR-46's refusal: what is kept and why."""
    return UserErrors.one(
        ErrorCode.NOT_DELETABLE, f"{kind} {label} cannot be deleted: {why}", ("input", "id")
    )


def require_draft(order: PurchaseOrder, what: str) -> None:
    """Lines, supplier and money of a PO change only while it is a draft."""
    status = PurchaseOrderStatus(order.status)
    if status is not PurchaseOrderStatus.DRAFT:
        raise UserErrors.one(
            ErrorCode.IMMUTABLE,
            f"Purchase order {order.po_number} is {status.value}; {what} only while it is a draft",
            ("input", "id"),
        )


def require_reason(reason: str | None, why: str) -> str:
    """A move's reason, trimmed; VALIDATION at input.reason when it is missing or blank."""
    reason = reason.strip() if reason else None
    if not reason:
        raise UserErrors.one(ErrorCode.VALIDATION, f"reason is required {why}", ("input", "reason"))
    return reason
