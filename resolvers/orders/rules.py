"""Orders (SPEC §1.3, §2.2): customers, drafts and their line items, priorities, status
changes, and how an order follows its jobs.

Every status change goes through resolvers.transitions with ORDER_WORKFLOW (its guards and
timeline live in resolvers.orders.workflow); this module never sets a status itself. It
reacts to the jobs domain's events (resolvers.events.jobs) without importing that domain.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import owns
from auth.actor import Actor
from auth.permissions import Permission
from db.models import Customer, Order, OrderItem, Variant
from domain.derived_bounds import LineFigures, derived_problems
from domain.enums import AuditAction
from domain.errors import ErrorCode, Problem, UserErrors
from domain.orders import OrderPriority, OrderStatus, Technique
from domain.validation import Checks
from resolvers import audit, writes
from resolvers.domain_events import publish
from resolvers.events.orders import OrderHoldReleased
from resolvers.ids import decode_input_id
from resolvers.lookup import get_for_update, not_found
from resolvers.orders.costs import highest_unit_costs
from resolvers.orders.timeline import MESSAGES, add_event
from resolvers.orders.workflow import ORDER_WORKFLOW
from resolvers.owners import CUSTOMER_RECORD, customer_for_new_record
from resolvers.sequences import next_value
from resolvers.transitions import TransitionContext, transition

# -- references --------------------------------------------------------------------------------

REFERENCE_SEQUENCE = "ORD"


def format_reference(year: int, number: int) -> str:
    """ORD-2026-001: the year and its sequence number, at least three digits."""
    return f"{REFERENCE_SEQUENCE}-{year}-{number:03d}"


# -- orders following their jobs (handlers of the jobs domain's events) ------------------------


# -- customers ---------------------------------------------------------------------------------


async def create_customer(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Customer:
    checks = Checks()
    checks.text("name", values.get("name"), max_length=200, required=True)
    checks.text("email", values.get("email"), max_length=255, required=False)
    checks.email("email", values.get("email"))
    checks.text("company", values.get("company"), max_length=200, required=False)
    checks.raise_if_any()
    values["name"] = values["name"].strip()
    return await writes.create(session, actor, Customer(**values))


# -- drafts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    """One line item as a client gave it (IDs still global)."""

    variant_id: str
    quantity: int
    size: str | None = None
    technique: Technique | None = None
    unit_price: Decimal | None = None
    metadata: Any = None


def _check_order_fields(checks: Checks, values: Mapping[str, Any]) -> None:
    checks.text("notes", values.get("notes"), max_length=10_000, required=False)
    metadata = values.get("metadata_")
    if "metadata_" in values and metadata is not None and not isinstance(metadata, dict):
        checks.fail("metadata", "metadata must be a JSON object")


async def _build_items(
    session: AsyncSession, specs: Sequence[ItemSpec], order_id: uuid.UUID
) -> list[OrderItem]:
    """Validate every line (all problems at once, each at its own path) and build them."""
    problems: list[Problem] = []
    ids: dict[int, uuid.UUID] = {}
    for i, spec in enumerate(specs):
        try:
            ids[i] = decode_input_id(spec.variant_id, "Variant", "variant_id")
        except UserErrors as exc:
            problems.extend(_at_item(p, i) for p in exc.problems)
    found: dict[uuid.UUID, Variant] = {}
    if ids:
        rows = await session.scalars(
            select(Variant).where(Variant.id.in_(set(ids.values())), Variant.deleted_at.is_(None))
        )
        found = {v.id: v for v in rows}
    items: list[OrderItem] = []
    for i, spec in enumerate(specs):
        path = ("input", "items", str(i))
        variant = found.get(ids[i]) if i in ids else None
        if i in ids and variant is None:
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND,
                    f"No Variant with ID {spec.variant_id}",
                    (*path, "variantId"),
                )
            )
        size = (spec.size or "").strip() or (variant.size if variant is not None else None)
        if size is not None and len(size) > 20:
            problems.append(
                Problem(ErrorCode.VALIDATION, "size must be at most 20 characters", (*path, "size"))
            )
        if variant is not None and not size:
            problems.append(
                Problem(
                    ErrorCode.VALIDATION,
                    f"size is required: variant {variant.sku} has no size of its own",
                    (*path, "size"),
                )
            )
        price = (
            spec.unit_price
            if spec.unit_price is not None
            else (variant.price if variant is not None else None)
        )
        if spec.unit_price is not None:
            checks = Checks()
            checks.money("unit_price", spec.unit_price)
            problems.extend(
                Problem(p.code, p.message, (*path, "unitPrice")) for p in checks.problems
            )
        elif variant is not None and price is None:
            problems.append(
                Problem(
                    ErrorCode.VALIDATION,
                    f"unitPrice is required: variant {variant.sku} has no price",
                    (*path, "unitPrice"),
                )
            )
        if spec.metadata is not None and not isinstance(spec.metadata, dict):
            problems.append(
                Problem(ErrorCode.VALIDATION, "metadata must be a JSON object", (*path, "metadata"))
            )
        if variant is not None and size and price is not None:
            items.append(
                OrderItem(
                    order_id=order_id,
                    variant_id=variant.id,
                    position=i,
                    quantity=spec.quantity,
                    size=size,
                    technique=spec.technique or Technique.DTG,
                    unit_price=price,
                    metadata_=spec.metadata or {},
                )
            )
    problems += await _derived_problems(session, specs, ids, found)
    if problems:
        raise UserErrors(problems)
    return items


async def _derived_problems(
    session: AsyncSession,
    specs: Sequence[ItemSpec],
    ids: Mapping[int, uuid.UUID],
    found: Mapping[uuid.UUID, Variant],
) -> list[Problem]:
    """Quantities in range, and the totals and job figures they lead to within their
    columns (domain/derived_bounds.py)."""
    costs = await highest_unit_costs(session, set(ids.values()))
    lines = []
    for i, spec in enumerate(specs):
        pk = ids.get(i)
        variant = found.get(pk) if pk is not None else None
        price = spec.unit_price
        if price is None and variant is not None:
            price = variant.price
        lines.append(LineFigures(spec.quantity, price, costs.get(pk) if pk else None))
    return [
        Problem(
            ErrorCode.VALIDATION,
            p.message,
            ("input", p.field) if p.line is None else ("input", "items", str(p.line), p.field),
        )
        for p in derived_problems(lines)
    ]


def _at_item(problem: Problem, index: int) -> Problem:
    """Move a problem reported at ("input", field) to ("input", "items", i, field)."""
    field = problem.field[1:] if problem.field and problem.field[0] == "input" else ()
    return Problem(problem.code, problem.message, ("input", "items", str(index), *field))


def _total(items: Sequence[OrderItem]) -> Decimal:
    return sum((item.unit_price * item.quantity for item in items), Decimal("0.00"))


async def create_order(
    session: AsyncSession,
    actor: Actor,
    customer_global_id: str | None,
    values: dict[str, Any],
    items: Sequence[ItemSpec],
) -> Order:
    """A draft order with its reference (ORD-YYYY-NNN) and line items."""
    checks = Checks()
    _check_order_fields(checks, values)
    checks.raise_if_any()
    customer_id = await customer_for_new_record(
        session, actor, Permission.EDIT_ORDERS, customer_global_id
    )
    order_id = uuid.uuid4()
    lines = await _build_items(session, items, order_id)
    now = datetime.now(UTC)
    number = await next_value(session, REFERENCE_SEQUENCE, now.year)
    order = Order(
        id=order_id,
        reference=format_reference(now.year, number),
        customer_id=customer_id,
        status=OrderStatus.DRAFT,
        priority=values.get("priority") or OrderPriority.STANDARD,
        notes=values.get("notes"),
        metadata_=values.get("metadata_") or {},
        total=_total(lines),
        # A production order's design, garment and prompt (resolvers.orders.production).
        design_id=values.get("design_id"),
        garment_id=values.get("garment_id"),
        image_url=values.get("image_url"),
        prompt=values.get("prompt"),
        garment_title=values.get("garment_title"),
    )
    await writes.create(session, actor, order)
    session.add_all(lines)
    add_event(session, order, MESSAGES[OrderStatus.DRAFT], occurred_at=now)
    await session.flush()
    return order


async def _get_order(
    session: AsyncSession, actor: Actor, global_id: str, permission: Permission
) -> Order:
    """Lock an order the caller may change with `permission` (NOT_FOUND otherwise)."""
    order = await get_for_update(session, Order, global_id)
    if not owns(actor, permission, CUSTOMER_RECORD, order.customer_id):
        raise not_found("Order", global_id)
    return order


async def update_order(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    values: dict[str, Any],
    items: Sequence[ItemSpec] | None,
    expected_version: int | None,
) -> Order:
    """Change a draft: notes, metadata, and (replacing them all) its line items."""
    order = await _get_order(session, actor, global_id, Permission.EDIT_ORDERS)
    writes.check_version(order, expected_version)
    if OrderStatus(order.status) is not OrderStatus.DRAFT:
        raise UserErrors.one(
            ErrorCode.IMMUTABLE,
            f"Order {order.reference} is {OrderStatus(order.status).value}; only a draft can "
            "be edited",
            ("input", "id"),
        )
    checks = Checks()
    _check_order_fields(checks, values)
    checks.not_null(values, ("metadata_",))
    checks.raise_if_any()
    before = audit.snapshot(order)
    context: dict[str, Any] | None = None
    if items is not None:
        lines = await _build_items(session, items, order.id)
        old = await session.scalars(select(OrderItem).where(OrderItem.order_id == order.id))
        context = {
            "items_before": [_item_summary(i) for i in old],
            "items_after": [_item_summary(i) for i in lines],
        }
        await session.execute(delete(OrderItem).where(OrderItem.order_id == order.id))
        session.add_all(lines)
        values["total"] = _total(lines)
    for key, value in values.items():
        setattr(order, key, value)
    after = audit.snapshot(order)
    if before != after or (context and context["items_before"] != context["items_after"]):
        order.updated_at = datetime.now(UTC)  # a change to the lines is a change of the order
        await session.flush()
        audit.record(
            session, actor, AuditAction.UPDATED, order, before=before, after=after, context=context
        )
    return order


def _item_summary(item: OrderItem) -> dict[str, Any]:
    return {
        "variant_id": str(item.variant_id),
        "quantity": item.quantity,
        "size": item.size,
        "technique": Technique(item.technique).value,
        "unit_price": str(item.unit_price),
    }


# -- status changes ----------------------------------------------------------------------------


async def change_status(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    target: OrderStatus,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
    path: tuple[str | int, ...] = ("input",),
) -> TransitionContext[OrderStatus]:
    """Move an order through ORDER_WORKFLOW (canceling needs a non-blank reason)."""
    reason = reason.strip() if reason else None
    inputs: dict[str, Any] = {}
    if target is OrderStatus.CANCELED:
        if not reason:
            raise UserErrors.one(
                ErrorCode.VALIDATION,
                "reason is required to cancel an order",
                (*map(str, path), "reason"),
            )
        inputs["cancel_reason"] = reason
    return await transition(
        session,
        actor,
        ORDER_WORKFLOW,
        Order,
        global_id,
        target,
        expected_version=expected_version,
        inputs=inputs,
        reason=reason,
        path=path,
    )


async def set_priority(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    priority: OrderPriority,
    expected_version: int | None,
) -> Order:
    """Rush / Standard / Hold. HOLD pauses routing; leaving HOLD is published, and routing
    routes an approved order it has not routed yet."""
    order = await _get_order(session, actor, global_id, Permission.VIEW_ORDERS)
    writes.check_version(order, expected_version)
    status = OrderStatus(order.status)
    if status in (OrderStatus.FULFILLED, OrderStatus.CANCELED):
        raise UserErrors.one(
            ErrorCode.IMMUTABLE,
            f"Order {order.reference} is {status.value}; its priority can no longer change",
            ("input", "priority"),
        )
    previous = OrderPriority(order.priority)
    await writes.update(session, actor, order, {"priority": priority})
    if previous is OrderPriority.HOLD and priority is not OrderPriority.HOLD:
        await publish(session, OrderHoldReleased(order, actor, datetime.now(UTC)))
    return order


MAX_BULK = 100


def check_bulk(ids: Sequence[str], target: OrderStatus, reason: str | None) -> None:
    """Problems of the bulk input as a whole (then no order is touched)."""
    checks = Checks()
    checks.require(bool(ids), "ids", "Give at least one order ID")
    checks.require(
        len(ids) <= MAX_BULK, "ids", f"At most {MAX_BULK} orders at a time (got {len(ids)})"
    )
    checks.require(
        target is not OrderStatus.CANCELED or bool(reason and reason.strip()),
        "reason",
        "reason is required to cancel orders",
    )
    checks.raise_if_any()


async def bulk_change_status(
    session: AsyncSession,
    actor: Actor,
    index: int,
    global_id: str,
    target: OrderStatus,
    reason: str | None,
) -> Order:
    """One order of a bulk status update (the caller runs each in its own transaction);
    problems are reported at ("input", "ids", index, ...)."""
    path = ("input", "ids", index)
    try:
        ctx = await change_status(session, actor, global_id, target, reason=reason, path=path)
    except UserErrors as exc:
        raise UserErrors([_at_index(p, index) for p in exc.problems]) from exc
    order: Order = ctx.entity
    return order


def _at_index(problem: Problem, index: int) -> Problem:
    field = problem.field
    if field and field[:2] == ("input", "id"):
        field = ("input", "ids", str(index), *field[2:])
    return Problem(problem.code, problem.message, field)
