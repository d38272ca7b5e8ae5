"""Inbound shipments (SPEC §1.7, §2.8, BR-19, BR-23, BR-40): made when a job ships (the
JobShipped handler) or by hand, moved along INBOUND_WORKFLOW, received line by line.

The ledger follows the goods: creating a shipment raises `incoming` for each expected line;
a receipt that counts more or fewer than expected corrects it; QC (inspections.py) turns
the received units into stock or failures and lowers `incoming` by them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import (
    FulfillmentCenter,
    InboundShipment,
    InboundShipmentItem,
    JobItem,
    ManufacturingJob,
    OrderItem,
    Variant,
)
from domain.bounds import QUANTITY
from domain.errors import ErrorCode, Problem, UserErrors
from domain.fulfillment import (
    InboundSourceType,
    InboundStatus,
    LedgerKind,
    LedgerReference,
    PackageCondition,
    inbound_number,
    tracking_url,
)
from domain.jobs import ShippingCarrier
from domain.validation import Checks
from resolvers import writes
from resolvers.fulfillment import ledger
from resolvers.fulfillment.centers import default_center
from resolvers.fulfillment.inbound_workflow import INBOUND_WORKFLOW, MANUAL_TARGETS
from resolvers.ids import decode_input_id
from resolvers.lookup import get_for_update, not_found
from resolvers.sequences import next_value
from resolvers.transitions import apply, permits

SHIPMENT = "InboundShipment"
MAX_ITEMS = 100
MAX_TEXT = 2000
# A job's goods are expected this long after it ships unless ops give a date.
DEFAULT_TRANSIT_DAYS = 7


@dataclass(frozen=True)
class ExpectedLine:
    variant_id: uuid.UUID
    quantity: int
    source_line_id: uuid.UUID | None = None


@dataclass(frozen=True)
class NewShipment:
    """What an inbound shipment is made of, whoever makes it."""

    source_type: InboundSourceType
    source_id: uuid.UUID
    manufacturer_id: uuid.UUID | None
    fulfillment_center_id: uuid.UUID
    lines: Sequence[ExpectedLine]
    carrier: ShippingCarrier | None = None
    tracking_number: str | None = None
    shipped_at: datetime | None = None
    expected_arrival: date | None = None
    notes: str | None = None
    # False when the source holds the `incoming` itself (a purchase order, BR-19).
    raises_incoming: bool = True


async def job_lines(session: AsyncSession, job_id: uuid.UUID) -> list[ExpectedLine]:
    """A job's items as expected lines: the variant each order line orders, in line order."""
    rows = await session.execute(
        select(JobItem.id, OrderItem.variant_id, JobItem.quantity)
        .join(OrderItem, OrderItem.id == JobItem.order_item_id)
        .where(JobItem.job_id == job_id)
        .order_by(OrderItem.position, JobItem.id)
    )
    return [ExpectedLine(variant, quantity, item_id) for item_id, variant, quantity in rows]


async def create_shipment(session: AsyncSession, actor: Actor, new: NewShipment) -> InboundShipment:
    """Write the shipment, its items and `incoming` for each (BR-19), audited."""
    now = datetime.now(UTC)
    sequence = await next_value(session, "inbound_shipment", now.year)
    shipment = await writes.create(
        session,
        actor,
        InboundShipment(
            shipment_number=inbound_number(now.year, sequence),
            source_type=new.source_type,
            source_id=new.source_id,
            manufacturer_id=new.manufacturer_id,
            fulfillment_center_id=new.fulfillment_center_id,
            status=INBOUND_WORKFLOW.initial,
            carrier=new.carrier,
            tracking_number=new.tracking_number,
            tracking_url=tracking_url(new.carrier, new.tracking_number),
            shipped_at=new.shipped_at,
            expected_arrival=new.expected_arrival,
            notes=new.notes,
        ),
    )
    for position, line in enumerate(new.lines):
        item = await writes.create(
            session,
            actor,
            InboundShipmentItem(
                shipment_id=shipment.id,
                variant_id=line.variant_id,
                source_line_id=line.source_line_id,
                position=position,
                expected_quantity=line.quantity,
            ),
        )
        if new.raises_incoming:
            await _incoming(session, actor, shipment, item, line.quantity)
    return shipment


async def _incoming(
    session: AsyncSession,
    actor: Actor,
    shipment: InboundShipment,
    item: InboundShipmentItem,
    quantity: int,
) -> None:
    if quantity:
        await ledger.record(
            session,
            center_id=shipment.fulfillment_center_id,
            variant_id=item.variant_id,
            kind=LedgerKind.INCOMING,
            quantity=quantity,
            reference_type=LedgerReference.INBOUND_SHIPMENT,
            reference_id=shipment.id,
            actor=actor,
        )


async def shipment_of_source(
    session: AsyncSession, source_type: InboundSourceType, source_id: uuid.UUID
) -> InboundShipment | None:
    found = await session.scalars(
        select(InboundShipment).where(
            InboundShipment.source_type == source_type, InboundShipment.source_id == source_id
        )
    )
    return found.first()


async def expect_shipped_job(
    session: AsyncSession, actor: Actor, job: ManufacturingJob, center: FulfillmentCenter
) -> InboundShipment | None:
    """A shipped job's goods, expected at `center` with the job's carrier and tracking (once
    per job: a job shipped again is not expected twice)."""
    kind = InboundSourceType.MANUFACTURING_JOB
    if await shipment_of_source(session, kind, job.id) is not None:
        return None
    lines = await job_lines(session, job.id)
    if not lines:
        return None
    shipped_at = job.shipped_at or datetime.now(UTC)
    return await create_shipment(
        session,
        actor,
        NewShipment(
            source_type=kind,
            source_id=job.id,
            manufacturer_id=job.manufacturer_id,
            fulfillment_center_id=center.id,
            lines=lines,
            carrier=job.shipping_carrier,
            tracking_number=job.tracking_number,
            shipped_at=shipped_at,
            expected_arrival=shipped_at.date() + timedelta(days=DEFAULT_TRANSIT_DAYS),
        ),
    )


# -- by hand -------------------------------------------------------------------------------


def _check_text(checks: Checks, values: Mapping[str, Any]) -> None:
    checks.text("tracking_number", values.get("tracking_number"), max_length=100, required=False)
    checks.text("notes", values.get("notes"), max_length=MAX_TEXT, required=False)


async def create_manual(
    session: AsyncSession, actor: Actor, values: Mapping[str, Any]
) -> InboundShipment:
    """Ops expect a shipment by hand: the job it comes from, the center (the default one
    unless given), carrier and tracking, the expected date, and the lines (the job's items
    unless given)."""
    checks = Checks()
    _check_text(checks, values)
    given_lines: Sequence[Mapping[str, Any]] | None = values.get("items")
    if given_lines is not None:
        checks.require(0 < len(given_lines) <= MAX_ITEMS, "items", f"Give 1 to {MAX_ITEMS} items")
    checks.raise_if_any()

    job_id = decode_input_id(values["job_id"], "ManufacturingJob", "job_id")
    job = await session.get(ManufacturingJob, job_id)
    if job is None:
        raise not_found("ManufacturingJob", values["job_id"], "job_id")
    center = await _center(session, values.get("fulfillment_center_id"))
    lines = (
        await _given_lines(session, given_lines)
        if given_lines is not None
        else await job_lines(session, job.id)
    )
    if not lines:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            "The job has no items: give the shipment's items",
            ("input", "items"),
        )
    return await create_shipment(
        session,
        actor,
        NewShipment(
            source_type=InboundSourceType.MANUFACTURING_JOB,
            source_id=job.id,
            manufacturer_id=job.manufacturer_id,
            fulfillment_center_id=center.id,
            lines=lines,
            carrier=values.get("carrier"),
            tracking_number=values.get("tracking_number"),
            shipped_at=job.shipped_at,
            expected_arrival=values.get("expected_arrival"),
            notes=values.get("notes"),
        ),
    )


async def _center(session: AsyncSession, global_id: str | None) -> FulfillmentCenter:
    if global_id is None:
        center = await default_center(session)
        if center is None:
            raise UserErrors.one(
                ErrorCode.VALIDATION,
                "There is no active default fulfillment center: name one",
                ("input", "fulfillmentCenterId"),
            )
        return center
    pk = decode_input_id(global_id, "FulfillmentCenter", "fulfillment_center_id")
    found = await session.get(FulfillmentCenter, pk)
    if found is None:
        raise not_found("FulfillmentCenter", global_id, "fulfillment_center_id")
    if not found.is_active:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"Fulfillment center {found.code} is not active",
            ("input", "fulfillmentCenterId"),
        )
    return found


async def _given_lines(
    session: AsyncSession, given: Sequence[Mapping[str, Any]]
) -> list[ExpectedLine]:
    problems: list[Problem] = []
    lines = []
    for index, line in enumerate(given):
        path = ("input", "items", str(index))
        try:
            variant_id = decode_input_id(line["variant_id"], "Variant", "variant_id")
        except UserErrors as exc:
            problems += [Problem(p.code, p.message, (*path, "variantId")) for p in exc.problems]
            continue
        if await session.get(Variant, variant_id) is None:
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND,
                    f"No Variant with ID {line['variant_id']}",
                    (*path, "variantId"),
                )
            )
        quantity = line["expected_quantity"]
        problem = QUANTITY.problem(quantity)
        if problem:
            problems.append(
                Problem(
                    ErrorCode.VALIDATION, f"expectedQuantity {problem}", (*path, "expectedQuantity")
                )
            )
        lines.append(ExpectedLine(variant_id, quantity))
    if problems:
        raise UserErrors(problems)
    return lines


# -- moves ---------------------------------------------------------------------------------


async def locked_shipment(
    session: AsyncSession, actor: Actor, global_id: str, field: str = "id"
) -> InboundShipment:
    """The shipment an input names, locked, if the caller may read it (NOT_FOUND else)."""
    shipment = await get_for_update(session, InboundShipment, global_id, field)
    if not permits(actor, INBOUND_WORKFLOW.read, INBOUND_WORKFLOW, shipment.manufacturer_id):
        raise not_found(SHIPMENT, global_id, field)
    return shipment


async def move_shipment(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    target: InboundStatus,
    *,
    expected_version: int | None = None,
    inputs: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> InboundShipment:
    """transitionInboundShipment: on the way and delivered (receiving and QC have their own
    mutations)."""
    if target not in MANUAL_TARGETS:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"{target.value} is reached through "
            + ("receiveInboundShipment" if target is InboundStatus.RECEIVED else "QC inspections"),
            ("input", "status"),
        )
    # What the caller gave (a null leaves the column as it is).
    values = {name: value for name, value in (inputs or {}).items() if value is not None}
    checks = Checks()
    _check_text(checks, values)
    checks.text("reason", reason, max_length=MAX_TEXT, required=False)
    checks.raise_if_any()
    shipment = await locked_shipment(session, actor, global_id)
    if "carrier" in values or "tracking_number" in values:
        carrier = values.get("carrier", shipment.carrier)
        number = values.get("tracking_number", shipment.tracking_number)
        values["tracking_url"] = tracking_url(carrier, number)
    context = await apply(
        session,
        actor,
        INBOUND_WORKFLOW,
        shipment,
        target,
        expected_version=expected_version,
        inputs=values,
        reason=reason,
    )
    moved: InboundShipment = context.entity
    return moved


@dataclass(frozen=True)
class Receipt:
    package_condition: PackageCondition
    temperature_on_arrival: Decimal | None = None
    # Counted per item (its global ID and units); items not named arrived as expected.
    counted: Sequence[tuple[str, int]] = ()
    expected_version: int | None = None
    reason: str | None = None


async def receive(
    session: AsyncSession, actor: Actor, global_id: str, receipt: Receipt
) -> InboundShipment:
    """BR-41: record who received it, when, its condition and temperature, and the units
    counted per line; `incoming` follows the count (BR-19: no stock moves until QC)."""
    shipment = await locked_shipment(session, actor, global_id)
    if shipment.source_type is InboundSourceType.PURCHASE_ORDER:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Shipment {shipment.shipment_number} is a purchase order's: receive it with "
            "receivePurchaseOrder (each line's lot, dates and supplier lot)",
            ("input", "id"),
        )
    items = await items_of(session, shipment.id)
    counted = _counted(items, receipt.counted)
    checks = Checks()
    temperature = receipt.temperature_on_arrival
    checks.require(
        temperature is None or Decimal(-100) <= temperature <= Decimal(100),
        "temperature_on_arrival",
        "temperatureOnArrival must be between -100 and 100 (°C)",
    )
    checks.text("reason", receipt.reason, max_length=MAX_TEXT, required=False)
    checks.raise_if_any()
    await apply(
        session,
        actor,
        INBOUND_WORKFLOW,
        shipment,
        InboundStatus.RECEIVED,
        expected_version=receipt.expected_version,
        inputs={
            "package_condition": receipt.package_condition,
            "temperature_on_arrival": temperature,
            "received_by": actor.id,
        },
        reason=receipt.reason,
    )
    for item in items:
        units = counted[item.id]
        await writes.update(session, actor, item, {"received_quantity": units})
        await _incoming(session, actor, shipment, item, units - item.expected_quantity)
    return shipment


def _counted(
    items: Sequence[InboundShipmentItem], given: Sequence[tuple[str, int]]
) -> dict[uuid.UUID, int]:
    by_id = {item.id: item for item in items}
    counted = {item.id: item.expected_quantity for item in items}
    problems: list[Problem] = []
    for index, (global_id, units) in enumerate(given):
        path = ("input", "items", str(index), "itemId")
        try:
            pk = decode_input_id(global_id, "InboundShipmentItem", "items")
        except UserErrors as exc:
            problems += [Problem(p.code, p.message, path) for p in exc.problems]
            continue
        if pk not in by_id:
            problems.append(
                Problem(ErrorCode.NOT_FOUND, f"No item {global_id} on this shipment", path)
            )
        elif not 0 <= units <= QUANTITY.maximum:
            problems.append(
                Problem(
                    ErrorCode.VALIDATION,
                    f"receivedQuantity must be 0 to {QUANTITY.maximum}",
                    path,
                )
            )
        else:
            counted[pk] = units
    if problems:
        raise UserErrors(problems)
    return counted


async def items_of(
    session: AsyncSession, shipment_id: uuid.UUID, *, lock: bool = True
) -> list[InboundShipmentItem]:
    statement = (
        select(InboundShipmentItem)
        .where(InboundShipmentItem.shipment_id == shipment_id)
        .order_by(InboundShipmentItem.position)
    )
    if lock:
        statement = statement.with_for_update()
    return list((await session.scalars(statement)).all())
