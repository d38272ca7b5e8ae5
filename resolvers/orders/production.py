"""Production orders ([001] "Send to Production"; issue 29): a design on a garment blank in
a size run. The garment is a catalog product whose variants are its sizes, at their prices
(no second catalog); the draft is made like any order (rules.create_order) and checkout
takes it from there (it reacts to ProductionOrderPlaced).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import owns
from auth.actor import Actor
from auth.permissions import Permission
from db.models import Design, Order, Product, Variant
from domain.designs import DesignStatus
from domain.errors import ErrorCode, Problem, UserErrors
from domain.orders import OrderPriority, Technique
from resolvers.domain_events import publish
from resolvers.events.checkout import ProductionOrderPlaced
from resolvers.ids import decode_input_id, encode_id
from resolvers.orders.rules import ItemSpec, create_order
from resolvers.owners import CUSTOMER_RECORD

MAX_URL = 2000


@dataclass(frozen=True)
class SizeSpec:
    size: str
    quantity: int


@dataclass(frozen=True)
class ProductionOrderSpec:
    garment_id: str
    sizes: Sequence[SizeSpec]
    design_id: str | None = None
    design_url: str | None = None
    customer_id: str | None = None
    priority: OrderPriority | None = None
    notes: str | None = None
    technique: Technique | None = None


def _problem(message: str, *field: str, code: ErrorCode = ErrorCode.VALIDATION) -> Problem:
    return Problem(code, message, ("input", *field))


async def _design(
    session: AsyncSession, actor: Actor, spec: ProductionOrderSpec, problems: list[Problem]
) -> Design | None:
    """The design by ID (one the caller may order), or None for a bare design URL."""
    if (spec.design_id is None) == (spec.design_url is None):
        problems.append(_problem("Give exactly one of designId and designUrl", "designId"))
        return None
    if spec.design_url is not None:
        url = spec.design_url.strip()
        if not url.startswith(("https://", "http://")) or len(url) > MAX_URL:
            problems.append(
                _problem(
                    f"designUrl must be an http(s) URL of at most {MAX_URL} characters", "designUrl"
                )
            )
        return None
    assert spec.design_id is not None
    try:
        pk = decode_input_id(spec.design_id, "Design", "design_id")
    except UserErrors as exc:
        problems.extend(exc.problems)
        return None
    design = await session.get(Design, pk)
    if design is None or not owns(
        actor, Permission.EDIT_ORDERS, CUSTOMER_RECORD, design.customer_id
    ):
        problems.append(
            _problem(f"No Design with ID {spec.design_id}", "designId", code=ErrorCode.NOT_FOUND)
        )
        return None
    if DesignStatus(design.status) is not DesignStatus.READY:
        problems.append(
            _problem(
                f"Design {design.title!r} is {DesignStatus(design.status).value}; only a ready "
                "design can be sent to production",
                "designId",
            )
        )
        return None
    return design


async def _garment(
    session: AsyncSession, spec: ProductionOrderSpec, problems: list[Problem]
) -> tuple[Product | None, dict[str, Variant | None]]:
    """The garment blank and its sizes (variants with a size and a price), by size."""
    try:
        pk = decode_input_id(spec.garment_id, "Product", "garment_id")
    except UserErrors as exc:
        problems.extend(Problem(p.code, p.message, ("input", "garmentId")) for p in exc.problems)
        return None, {}
    garment = await session.get(Product, pk)
    if garment is None or garment.deleted_at is not None:
        problems.append(
            _problem(f"No garment with ID {spec.garment_id}", "garmentId", code=ErrorCode.NOT_FOUND)
        )
        return None, {}
    variants = await session.scalars(
        select(Variant).where(
            Variant.product_id == garment.id,
            Variant.deleted_at.is_(None),
            Variant.size.is_not(None),
            Variant.price.is_not(None),
        )
    )
    sizes: dict[str, Variant | None] = {}
    for v in variants:
        key = (v.size or "").strip().upper()
        # Two variants in one size (colours) would make a size run ambiguous: refused below.
        sizes[key] = None if key in sizes else v
    if not sizes:
        problems.append(_problem(f"{garment.name} has no sizes with a price to order", "garmentId"))
    return garment, sizes


def _size_run(
    spec: ProductionOrderSpec, sizes: dict[str, Variant | None], problems: list[Problem]
) -> list[tuple[Variant, int]]:
    if not spec.sizes:
        problems.append(_problem("Choose at least one size", "sizes"))
    run: list[tuple[Variant, int]] = []
    seen: set[str] = set()
    offered = ", ".join(v.size or "" for v in sizes.values() if v is not None)
    for i, item in enumerate(spec.sizes):
        key = item.size.strip().upper()
        if item.quantity <= 0:
            problems.append(
                _problem("quantity must be greater than zero", "sizes", str(i), "quantity")
            )
        if key in seen:
            problems.append(_problem(f"Size {item.size} is given twice", "sizes", str(i), "size"))
        seen.add(key)
        if key in sizes and sizes[key] is None:
            problems.append(
                _problem(
                    f"Size {item.size!r} is offered in several variants (colours) of this "
                    "garment; order a garment with one variant per size",
                    "sizes",
                    str(i),
                    "size",
                )
            )
            continue
        variant = sizes.get(key)
        if variant is None:
            if sizes:
                problems.append(
                    _problem(
                        f"Size {item.size!r} is not offered for this garment (sizes: {offered})",
                        "sizes",
                        str(i),
                        "size",
                    )
                )
            continue
        run.append((variant, item.quantity))
    return run


async def create_production_order(
    session: AsyncSession, actor: Actor, spec: ProductionOrderSpec
) -> Order:
    """Validate the design, the garment and the size run (every problem at once, at its
    path), make the draft with one line per size at the variant's price, and announce it."""
    problems: list[Problem] = []
    design = await _design(session, actor, spec, problems)
    garment, sizes = await _garment(session, spec, problems)
    run = _size_run(spec, sizes, problems)
    if problems:
        raise UserErrors(problems)
    assert garment is not None
    customer = spec.customer_id
    if design is not None and customer is None and actor.customer_id is None:
        customer = encode_id("Customer", design.customer_id)  # ops ordering a customer's design
    image_url = design.image_url if design is not None else (spec.design_url or "").strip()
    values: dict[str, Any] = {
        "priority": spec.priority,
        "notes": spec.notes,
        "design_id": design.id if design is not None else None,
        "garment_id": garment.id,
        "garment_title": garment.name,
        "image_url": image_url,
        "prompt": design.prompt if design is not None else None,
    }
    items = [
        ItemSpec(
            variant_id=encode_id("Variant", variant.id),
            quantity=quantity,
            size=variant.size,
            technique=spec.technique,
        )
        for variant, quantity in run
    ]
    order = await create_order(session, actor, customer, values, items)
    if design is not None and design.customer_id != order.customer_id:
        raise UserErrors([_problem("The design belongs to another customer", "designId")])
    await publish(session, ProductionOrderPlaced(order, actor, datetime.now(UTC)))
    return order
