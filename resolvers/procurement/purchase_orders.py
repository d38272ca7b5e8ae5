"""Purchase orders (SPEC §1.6, §2.5): drafts and their lines with unit costs from the
effective price (BR-43), totals, status changes through PURCHASE_ORDER_WORKFLOW, and the
guarded deletes of BR-46."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import (
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
    SupplierPriceList,
    Variant,
)
from domain.bounds import LARGE_AMOUNT
from domain.enums import AuditAction
from domain.errors import ErrorCode, Problem, UserErrors
from domain.procurement import CAN_ORDER, PurchaseOrderStatus, SupplierStatus
from domain.validation import Checks
from resolvers import audit, writes
from resolvers.ids import decode_input_id
from resolvers.lookup import get_for_update, not_found, resolve_references
from resolvers.procurement.price_lists import effective_price
from resolvers.procurement.rules import (
    not_deletable,
    refresh_totals,
    require_draft,
    require_reason,
)
from resolvers.procurement.workflow import PURCHASE_ORDER_WORKFLOW
from resolvers.transitions import TransitionContext, transition

P = PurchaseOrderStatus


@dataclass(frozen=True)
class LineSpec:
    """One line as a client gave it (IDs still global)."""

    product_id: str
    quantity: int
    variant_id: str | None = None
    unit_cost: Decimal | None = None
    supplier_sku: str | None = None


def _check_order_fields(checks: Checks, values: dict[str, Any]) -> None:
    checks.text(
        "supplier_reference", values.get("supplier_reference"), max_length=100, required=False
    )
    checks.text("notes", values.get("notes"), max_length=10_000, required=False)
    for field in ("shipping_cost", "tax_amount"):
        checks.money(field, values.get(field), kind=LARGE_AMOUNT)
    checks.not_null(values, ("shipping_cost", "tax_amount"))


async def _orderable_supplier(session: AsyncSession, global_id: str) -> Supplier:
    pk = decode_input_id(global_id, "Supplier", "supplier_id")
    supplier = await session.get(Supplier, pk)
    if supplier is None or supplier.deleted_at is not None:
        raise not_found("Supplier", global_id, "supplier_id")
    if SupplierStatus(supplier.status) not in CAN_ORDER:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Supplier {supplier.code} is {supplier.status}; only an active supplier can be "
            "ordered from",
            ("input", "supplierId"),
        )
    return supplier


async def _build_line(
    session: AsyncSession,
    order: PurchaseOrder,
    spec: LineSpec,
    position: int,
    path: tuple[str, ...],
) -> PurchaseOrderLine:
    """Validate one line (every problem at its path) and build it: the unit cost and
    supplier SKU come from the supplier's effective price unless given; a quantity under
    the price list's minimum is refused."""
    problems: list[Problem] = []
    values: dict[str, Any] = {"product_id": spec.product_id, "variant_id": spec.variant_id}
    try:
        await resolve_references(session, values, {"product_id": Product, "variant_id": Variant})
    except UserErrors as exc:
        raise UserErrors([_at(p, path) for p in exc.problems]) from exc
    product_id: uuid.UUID = values["product_id"]
    variant_id: uuid.UUID | None = values["variant_id"]
    if variant_id is None:
        variant_id = await _only_variant(session, product_id)
    elif variant_id is not None:
        variant = await session.get(Variant, variant_id)
        if variant is not None and variant.product_id != product_id:
            problems.append(
                Problem(
                    ErrorCode.VALIDATION,
                    "variantId must be a variant of the line's product",
                    (*path, "variantId"),
                )
            )
    if spec.quantity <= 0:
        problems.append(
            Problem(ErrorCode.VALIDATION, "quantity must be greater than zero", (*path, "quantity"))
        )
    checks = Checks()
    checks.money("unit_cost", spec.unit_cost)
    checks.text("supplier_sku", spec.supplier_sku, max_length=100, required=False)
    problems += [_at(p, path) for p in checks.problems]
    price = await effective_price(
        session, order.supplier_id, product_id, datetime.now(UTC), order.currency
    )
    if spec.unit_cost is None and price is None:
        problems.append(
            Problem(
                ErrorCode.VALIDATION,
                f"The supplier has no price in effect for this product in {order.currency}; "
                "give unitCost",
                (*path, "unitCost"),
            )
        )
    if price is not None and 0 < spec.quantity < price.minimum_order_quantity:
        problems.append(
            Problem(
                ErrorCode.VALIDATION,
                f"quantity must be at least the supplier's minimum order quantity "
                f"({price.minimum_order_quantity})",
                (*path, "quantity"),
            )
        )
    if problems:
        raise UserErrors(problems)
    unit_cost = spec.unit_cost if spec.unit_cost is not None else _cost(price)
    return PurchaseOrderLine(
        purchase_order_id=order.id,
        position=position,
        product_id=product_id,
        variant_id=variant_id,
        price_list_id=price.id if price is not None else None,
        quantity_ordered=spec.quantity,
        unit_cost=unit_cost,
        currency=order.currency,
        supplier_sku=spec.supplier_sku or (price.supplier_sku if price is not None else None),
    )


async def _only_variant(session: AsyncSession, product_id: uuid.UUID) -> uuid.UUID | None:
    """A product's one variant, when it has exactly one (stock is kept per variant)."""
    found = (
        await session.scalars(
            select(Variant.id)
            .where(Variant.product_id == product_id, Variant.deleted_at.is_(None))
            .limit(2)
        )
    ).all()
    return found[0] if len(found) == 1 else None


def _cost(price: SupplierPriceList | None) -> Decimal:
    assert price is not None
    return price.unit_cost


def _at(problem: Problem, path: tuple[str, ...]) -> Problem:
    """Move a problem reported at ("input", field) to the line's path."""
    field = problem.field[1:] if problem.field and problem.field[0] == "input" else ()
    return Problem(problem.code, problem.message, (*path, *field))


async def create_purchase_order(
    session: AsyncSession,
    actor: Actor,
    supplier_global_id: str,
    values: dict[str, Any],
    lines: Sequence[LineSpec],
) -> PurchaseOrder:
    """A draft PO for an active supplier, in its currency, with its lines and totals."""
    checks = Checks()
    _check_order_fields(checks, values)
    checks.raise_if_any()
    supplier = await _orderable_supplier(session, supplier_global_id)
    order = PurchaseOrder(
        supplier_id=supplier.id,
        status=P.DRAFT,
        currency=supplier.default_currency,
        shipping_cost=values.get("shipping_cost") or Decimal("0.00"),
        tax_amount=values.get("tax_amount") or Decimal("0.00"),
        expected_at=values.get("expected_at"),
        supplier_reference=values.get("supplier_reference"),
        notes=values.get("notes"),
    )
    await writes.create(session, actor, order)
    problems: list[Problem] = []
    built = []
    for index, spec in enumerate(lines):
        try:
            built.append(
                await _build_line(session, order, spec, index, ("input", "lines", str(index)))
            )
        except UserErrors as exc:
            problems += exc.problems
    if problems:
        raise UserErrors(problems)
    session.add_all(built)
    await session.flush()
    return await refresh_totals(session, actor, order, {})


async def _get_order(session: AsyncSession, global_id: str) -> PurchaseOrder:
    return await get_for_update(session, PurchaseOrder, global_id)


async def update_purchase_order(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    values: dict[str, Any],
    expected_version: int | None,
) -> PurchaseOrder:
    """Expected date, supplier reference and notes at any open status; shipping and tax
    only on a draft (they make up its total)."""
    order = await _get_order(session, global_id)
    writes.check_version(order, expected_version)
    status = P(order.status)
    if status in (P.CLOSED, P.CANCELLED):
        raise UserErrors.one(
            ErrorCode.IMMUTABLE,
            f"Purchase order {order.po_number or '(draft)'} is {status.value}; it no longer "
            "changes",
            ("input", "id"),
        )
    if {"shipping_cost", "tax_amount"} & values.keys():
        require_draft(order, "shipping and tax change")
    checks = Checks()
    _check_order_fields(checks, values)
    checks.raise_if_any()
    return await refresh_totals(session, actor, order, values)


async def add_line(
    session: AsyncSession, actor: Actor, global_id: str, spec: LineSpec
) -> PurchaseOrder:
    order = await _get_order(session, global_id)
    require_draft(order, "lines are added")
    position = (
        await session.execute(
            select(func.coalesce(func.max(PurchaseOrderLine.position) + 1, 0)).where(
                PurchaseOrderLine.purchase_order_id == order.id
            )
        )
    ).scalar_one()
    line = await _build_line(session, order, spec, int(position), ("input",))
    session.add(line)
    await session.flush()
    audit.record(session, actor, AuditAction.CREATED, line, after=audit.snapshot(line))
    return await refresh_totals(session, actor, order, {})


async def remove_line(session: AsyncSession, actor: Actor, global_id: str) -> PurchaseOrder:
    """BR-46: a line goes only from a draft (a draft has no lots)."""
    line = await get_for_update(session, PurchaseOrderLine, global_id)
    order = await session.get(PurchaseOrder, line.purchase_order_id, with_for_update=True)
    assert order is not None
    require_draft(order, "lines are removed")
    await writes.hard_delete(session, actor, line)
    return await refresh_totals(session, actor, order, {})


async def delete_purchase_order(
    session: AsyncSession, actor: Actor, global_id: str
) -> PurchaseOrder:
    """BR-46: only a draft with no lines (soft delete)."""
    order = await _get_order(session, global_id)
    if P(order.status) is not P.DRAFT:
        raise not_deletable(
            "Purchase order", order.po_number or "", f"it is {order.status}; cancel it instead"
        )
    lines = (
        await session.execute(
            select(func.count())
            .select_from(PurchaseOrderLine)
            .where(PurchaseOrderLine.purchase_order_id == order.id)
        )
    ).scalar_one()
    if lines:
        raise not_deletable("Purchase order", "(draft)", f"it has {lines} line(s); remove them")
    return await writes.soft_delete(session, actor, order)


async def change_status(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    target: PurchaseOrderStatus,
    reason: str | None,
    expected_version: int | None,
) -> TransitionContext[PurchaseOrderStatus]:
    """Move a PO through PURCHASE_ORDER_WORKFLOW (cancelling needs a reason)."""
    reason = reason.strip() if reason else None
    inputs: dict[str, Any] = {}
    if target is P.CANCELLED:
        inputs["cancel_reason"] = require_reason(reason, "to cancel a purchase order")
    return await transition(
        session,
        actor,
        PURCHASE_ORDER_WORKFLOW,
        PurchaseOrder,
        global_id,
        target,
        expected_version=expected_version,
        inputs=inputs,
        reason=reason,
    )
